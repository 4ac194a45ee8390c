"""``jobpolicy diff``: what changed between two dates, item by item, and who changed it."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from codes import SHANXI


def beijing(month, day, hour):
    return datetime(2025, month, day, hour - 8, tzinfo=UTC)


@pytest.fixture
def changed(run_db):
    """山西大学 in May and June 2025."""
    with time_machine.travel(beijing(5, 20, 9), tick=False):
        run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--value", "620", "--by", "王老师")
    with time_machine.travel(beijing(6, 10, 15), tick=False):
        run_db("record", "set", SHANXI, "support.16.a", "--status", "已完成", "--value", "480",
               "--evidence", "https://jy.sxu.edu.cn/staff", "--by", "张老师")
    with time_machine.travel(beijing(6, 12, 9), tick=False):
        run_db("record", "set", SHANXI, "evaluation.14.a", "--period", "2025", "--status", "推进中", "--by", "李老师")
    return run_db


def test_text_lists_each_item_field_and_change(changed):
    result = changed("diff", SHANXI, "--since", "2025-06-01", "--until", "2025-06-30")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "山西大学（4114010108）  gse-2025@2025.2  2025-06-01 至 2025-06-30 的变化（2 项）",
        "",
        "evaluation.14.a [2025]  每年12月31日前面向社会发布本校毕业生就业质量年度报告  （新填报）",
        "  状态：（空） → 推进中",
        "      2025-06-12 09:00  李老师  （空） → 推进中  （命令 record set）",
        "",
        "support.16.a  按规定配齐校级专职就业工作人员",
        "  状态：推进中 → 已完成",
        "      2025-06-10 15:00  张老师  推进中 → 已完成  （命令 record set）",
        "  指标值：620 → 480",
        "      2025-06-10 15:00  张老师  620 → 480  （命令 record set）",
        "  佐证材料：添加 https://jy.sxu.edu.cn/staff  2025-06-10 15:00  张老师",
    ]


def test_json_shape(changed):
    data = json.loads(changed("diff", SHANXI, "--since", "2025/6/1", "--until", "2025年6月30日", "--json").stdout)
    assert list(data) == ["institution", "policy", "since", "until", "items"]
    assert (data["since"], data["until"]) == ("2025-06-01", "2025-06-30")
    assert [(i["item"], i["period"], i["created"]) for i in data["items"]] == [
        ("evaluation.14.a", "2025", True), ("support.16.a", "once", False)]
    staffing = data["items"][1]
    assert list(staffing) == ["item", "title", "period", "created", "fields", "evidence"]
    value = staffing["fields"][1]
    assert {k: value[k] for k in ("field", "before", "after", "actors")} == {
        "field": "value", "before": "620", "after": "480", "actors": ["张老师"]}
    assert [(c["actor"], c["old"], c["new"], c["at"]) for c in value["changes"]] == [
        ("张老师", "620", "480", "2025-06-10T07:00:00+00:00")]
    assert [(e["new"], e["actor"]) for e in staffing["evidence"]] == [("https://jy.sxu.edu.cn/staff", "张老师")]


def test_until_defaults_to_now(changed):
    with time_machine.travel(beijing(7, 1, 9), tick=False):
        result = changed("diff", SHANXI, "--since", "2025-05-01", "--json")
    data = json.loads(result.stdout)
    assert data["until"] is None
    assert [i["item"] for i in data["items"]] == ["evaluation.14.a", "support.16.a"]


def test_nothing_changed(changed):
    result = changed("diff", SHANXI, "--since", "2025-07-01", "--until", "2025-07-31")
    assert (result.exit_code, result.stdout) == (0, "山西大学（4114010108） 在 2025-07-01 至 2025-07-31 期间没有变化\n")


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (["--since", "2025-07-01", "--until", "2025-06-30"],
         ["错误: --until 2025-06-30 早于 --since 2025-07-01", "提示: --since 是起始日期，--until 是截止日期（均含当天）"]),
        (["--since", "六月"], ["错误: --since 的日期“六月”无效", "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"]),
    ],
)
def test_bad_dates_exit_3(changed, args, lines):
    result = changed("diff", SHANXI, *args)
    assert (result.exit_code, result.stderr.splitlines()) == (3, lines)


def test_since_is_required(run_db):
    result = run_db("diff", SHANXI)
    assert result.exit_code == 2
    assert "--since" in result.stderr
