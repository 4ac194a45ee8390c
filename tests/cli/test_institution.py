"""``jobpolicy institution add | import | list | set-start``."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from codes import TRACKED_SINCE


def test_add_from_the_list(run_db):
    with time_machine.travel(datetime(2026, 9, 1, 2, tzinfo=UTC), tick=False):
        result = run_db("institution", "add", "4111010001")
    assert (result.exit_code, result.stdout) == (
        0, "已添加: 4111010001 北京大学（北京市北京市，本科），自 2026-09-01 起跟踪\n")  # tracked from today


def test_add_unlisted_without_a_name(run_db):
    result = run_db("institution", "add", "4199999999")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "错误: 学校标识码 4199999999 不在教育部 2026 年高校名单中，需用 --name 写明学校名称",
        "提示: 例如 jobpolicy institution add 4199999999 --name 学校全称 --province 山西省 --level 本科",
    ]


def test_add_a_malformed_code(run_db):
    result = run_db("institution", "add", "41140101")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "错误: 学校标识码“41140101”格式不对：应为 10 位数字"


def test_import_and_list(run_db):
    assert run_db("institution", "import", "--province", "山西").stdout == "新增 81 所，按新名单更新 0 所，未变 3 所\n"
    rows = json.loads(run_db("institution", "list", "--province", "山西", "--json").stdout)
    assert len(rows) == 84 and rows[0].keys() >= {"code", "name", "province", "level", "listed"}
    text = run_db("institution", "list", "--province", "山西").stdout.splitlines()
    assert f"4114010108  山西大学  山西省太原市  本科  自 {TRACKED_SINCE} 起跟踪" in text


def test_add_with_a_start_and_change_it_later(run_db):
    added = run_db("institution", "add", "4111010001", "--start", "2026/9/1")
    assert added.stdout == "已添加: 4111010001 北京大学（北京市北京市，本科），自 2026-09-01 起跟踪\n"
    again = run_db("institution", "add", "4111010001", "--start", "2026-10-01")
    assert again.stdout.splitlines() == [
        "已存在: 4111010001 北京大学（北京市北京市，本科），自 2026-09-01 起跟踪",
        "开始跟踪日期未改；要改为 2026-10-01，运行 jobpolicy institution set-start 4111010001 2026-10-01"]
    moved = run_db("institution", "set-start", "4111010001", "2026年10月1日")
    assert (moved.exit_code, moved.stdout) == (0, "4111010001 北京大学 开始跟踪日期：2026-09-01 → 2026-10-01\n")
    listed = json.loads(run_db("institution", "list", "--province", "北京", "--json").stdout)
    assert [(row["code"], row["tracking_start"]) for row in listed] == [("4111010001", "2026-10-01")]


def test_import_with_a_start_leaves_the_schools_already_added_as_they_were(run_db):
    assert run_db("institution", "import", "--province", "山西", "--start", "2026-09-01").exit_code == 0
    rows = {row["code"]: row["tracking_start"] for row in
            json.loads(run_db("institution", "list", "--province", "山西", "--json").stdout)}
    assert (rows["4114010108"], rows["4114010109"]) == (TRACKED_SINCE, "2026-09-01")


@pytest.mark.parametrize("args", [("add", "4111010001", "--start", "明天"), ("set-start", "4114010108", "2026-13-01"),
                                  ("import", "--province", "山西", "--start", "9月1日")])
def test_a_bad_start_is_refused_and_nothing_is_stored(run_db, args):
    result = run_db("institution", *args)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1] == "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"
    rows = json.loads(run_db("institution", "list", "--json").stdout)
    assert [(row["code"], row["tracking_start"]) for row in rows] == [
        (code, TRACKED_SINCE) for code in ("4114010108", "4114010112", "4114012388")]


def test_a_bad_start_date_is_named_in_the_error(run_db):
    assert run_db("institution", "set-start", "4114010108", "2026-13-01").stderr.splitlines()[0] == (
        "错误: 开始跟踪日期“2026-13-01”无效：没有这一天")
    assert run_db("institution", "add", "4111010001", "--start", "明天").stderr.splitlines()[0] == (
        "错误: --start 的日期“明天”无效")


def test_set_start_of_an_institution_not_added(run_db):
    result = run_db("institution", "set-start", "4111010001", "2026-09-01")
    assert (result.exit_code, result.stderr.splitlines()) == (
        1, ["错误: 学校 4111010001 尚未添加", "提示: 先运行 jobpolicy institution add 4111010001"])


def test_add_by_name(run_db):
    result = run_db("institution", "add", "北京大学", "--start", "2026-09-01")
    assert (result.exit_code, result.stdout) == (0, "已添加: 4111010001 北京大学（北京市北京市，本科），自 2026-09-01 起跟踪\n")


def test_add_by_a_name_several_schools_fit_lists_candidates_and_adds_nothing(run_db):
    result = run_db("institution", "add", "中北")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "错误: “中北”对应教育部名单中的 3 所学校，请写全称或学校标识码",
        "  4114010110 中北大学（山西省，本科）",
        "  4132013906 南京师范大学中北学院（江苏省，本科）",
        "  4161014770 宝鸡中北职业学院（陕西省，专科）",
        "提示: 例如 jobpolicy institution add 4114010110；jobpolicy institution search 中北 列出全部",
    ]
    assert "中北" not in run_db("institution", "list").stdout


def test_a_long_candidate_list_says_how_many_more(run_db):
    lines = run_db("institution", "add", "山西").stderr.splitlines()
    assert len(lines) == 1 + 10 + 2 and lines[11].startswith("  ……另有 ") and lines[11].endswith(" 项未列出")


def test_candidates_in_json_mode(run_db):
    result = run_db("institution", "search", "x", "--json")  # a search finds nothing: not an error
    assert json.loads(result.stdout) == {"schools": [], "near": []}
    result = run_db("record", "show", "大学", "--json")
    error = json.loads(result.stdout)["error"]
    assert (result.exit_code, error["code"], error["more"]) == (3, "ambiguous", 0)
    assert error["candidates"] == ["4114010108 山西大学（山西省，本科）", "4114010112 太原理工大学（山西省，本科）"]


def test_add_by_a_name_not_on_the_list(run_db):
    result = run_db("institution", "add", "北京大雪")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "错误: 教育部 2026 年高校名单中没有“北京大雪”"
    assert result.stderr.splitlines()[1].startswith("提示: 您是不是要找：北京大学")


def test_search(run_db):
    result = run_db("institution", "search", "理工", "--province", "山西")
    assert (result.exit_code, result.stdout.splitlines()) == (0, [
        "4114010112  太原理工大学  山西省太原市  本科  （已添加）",
        "4114013538  山西晋中理工学院  山西省晋中市  本科",
        "共 2 所，其中已添加 1 所；添加：jobpolicy institution add 学校标识码",
    ])
    assert run_db("institution", "search", "山西大雪").stdout.startswith("教育部名单中没有名称含“山西大雪”的学校；您是不是要找：山西大学、")


def test_every_command_taking_a_school_takes_its_name(run_db):
    assert run_db("status", "太原理工").stdout.startswith("太原理工大学（4114010112）")
    assert run_db("todo", "长治职业技术学院").exit_code == 0
    result = run_db("record", "show", "北京大学")
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        "错误: 已添加的学校中没有“北京大学”",
        "提示: 教育部名单中有 4111010001 北京大学（北京市，本科）；先运行 jobpolicy institution add 4111010001",
    ]
