"""``jobpolicy record set | show | history``."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
import time_machine

from codes import SHANXI


def test_set_prints_each_change(run_db):
    result = run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--value", "480", "--by", "张老师")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "已记录: 山西大学 support.16.a（2 项变更）"
    assert lines[1].endswith("张老师  support.16.a 状态：（空） → 推进中  （命令 record set）")
    assert lines[2].endswith("张老师  support.16.a 指标值：（空） → 480  （命令 record set）")


def test_set_the_same_again_says_no_change(run_db):
    run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中")
    result = run_db("record", "set", SHANXI, "support.16.a", "--status", "in_progress")
    assert result.stdout == "无变化: 山西大学 support.16.a（值与已记录的相同）\n"


def test_actor_from_environment(run_db, monkeypatch):
    monkeypatch.setenv("JOBPOLICY_USER", "环境用户")
    result = run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--json")
    assert {e["actor"] for e in json.loads(result.stdout)["events"]} == {"环境用户"}


@pytest.mark.parametrize(
    ("args", "code", "first_line"),
    [
        (["support.16.a", "--status", "finished"], 3, "错误: 状态“finished”无效"),
        (["support.16.a", "--due", "2025年2月30日"], 3, "错误: 完成时限“2025年2月30日”无效：没有这一天"),
        (["support.16.a", "--evidence", "javascript:alert(1)"], 3,
         "错误: 佐证链接“javascript:alert(1)”无效：只接受 http:// 或 https:// 链接"),
        (["nope.1.a", "--status", "done"], 1, "错误: 未知检查项“nope.1.a”"),
    ],
)
def test_bad_input_is_one_line_and_a_hint(run_db, args, code, first_line):
    result = run_db("record", "set", SHANXI, *args)
    assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert lines[0] == first_line and lines[1].startswith("提示: ") and len(lines) == 2


def test_show_text_and_json(run_db):
    run_db("record", "set", SHANXI, "support.16.a", "--status", "已完成", "--value", "480", "--owner", "王老师")
    text = run_db("record", "show", SHANXI, "support.16.a").stdout.splitlines()
    assert text[0].startswith("山西大学（4114010108）  gse-2025@2025.2  截至 ")
    assert text[2] == "（十六）打造专业化就业指导教师队伍  [support.16]"  # the measure's official heading
    assert text[3] == "  support.16.a  已完成｜草稿  按规定配齐校级专职就业工作人员"
    assert text[4] == ("      参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员"
                       "（来源：教育部关于做好2013年全国普通高等学校毕业生就业工作的通知"
                       "（教学〔2012〕11号，2012年））｜实际 480（达标）")  # target, value and verdict side by side
    assert "      责任人：王老师" in text
    data = json.loads(run_db("record", "show", SHANXI, "--json").stdout)
    staffing = next(line for line in data["lines"] if line["item"] == "support.16.a")
    assert (staffing["status"], staffing["value"], staffing["met"], staffing["review"]) == ("done", 480.0, True, "draft")
    assert staffing["measure"] == {"id": "support.16", "heading": "（十六）打造专业化就业指导教师队伍"}
    assert (staffing["indicator"]["reference"], staffing["indicator"]["basis"]["year"]) == (True, 2012)
    assert staffing["indicator"]["basis"]["kind"] == "notice"
    assert len({line["item"] for line in data["lines"] if not line["recorded"]}) == 61  # 山西大学's 62 items but one


def test_done_with_a_value_that_misses_its_target_is_recorded_with_a_note(run_db):
    result = run_db("record", "set", SHANXI, "guidance.4.a", "--status", "已完成", "--value", "32", "--by", "张老师")
    assert result.exit_code == 0 and result.stdout.startswith("已记录: 山西大学 guidance.4.a（2 项变更）")
    assert result.stderr.splitlines() == [
        "注意: guidance.4.a 标为已完成，但指标值 32 未达到目标（参考指标：职业发展与就业指导课学时 ≥ 38 学时）",
        "提示: 数值有误时用 --value 更正；数值无误则该项计为已完成、未达标"]
    again = run_db("record", "set", SHANXI, "guidance.4.a", "--owner", "李老师", "--by", "张老师")
    assert again.stderr == ""  # said once, when stated
    fixed = run_db("record", "set", SHANXI, "guidance.4.a", "--value", "38", "--json", "--by", "张老师")
    assert json.loads(fixed.stdout)["warnings"] == [] and fixed.stderr == ""
    shown = run_db("record", "show", SHANXI, "guidance.4.a").stdout
    assert "参考指标：职业发展与就业指导课学时 ≥ 38 学时" in shown and "｜实际 38（达标）" in shown


def test_show_as_of_a_bad_date(run_db):
    result = run_db("record", "show", SHANXI, "--as-of", "昨天")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "错误: --as-of 的日期“昨天”无效"


def test_history(run_db):
    run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--by", "张")
    run_db("record", "set", SHANXI, "support.16.a", "--status", "已完成", "--by", "李")
    lines = run_db("record", "history", SHANXI, "support.16.a").stdout.splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [
        "张  support.16.a 状态：（空） → 推进中  （命令 record set）",
        "李  support.16.a 状态：推进中 → 已完成  （命令 record set）",
    ]
    assert len(json.loads(run_db("record", "history", SHANXI, "support.16.a", "--json").stdout)) == 2


def test_show_groups_lines_under_official_measure_headings(run_numbered):
    with time_machine.travel(datetime(2025, 6, 1, 2, tzinfo=UTC), tick=False):
        run_numbered("record", "set", SHANXI, "support.25.a", "--status", "推进中", "--value", "1")
        text = run_numbered("record", "show", SHANXI).stdout.splitlines()
    assert [line for line in text if not line.startswith(" ")] == [
        text[0], "", "（十一）健全困难帮扶机制  [assistance.11]", "", "（二十五）建强高校毕业生就业服务机构  [support.25]",
        "", "名词说明："]
    assert text[-5:] == ["  support.25.a  推进中｜草稿  截止 2025-12-31  每年召开校级就业工作领导小组会议不少于2次",
                         "      指标：就业工作领导小组会议 ≥ 2 次/年｜实际 1（未达标）", "", "名词说明：",
                         "  参考指标：政策原文没有规定的目标值，取自此前的国家通知或地方做法，来源注明在指标之后。"]
    assert ("      参考指标：每名困难毕业生推送岗位数 ≥ 5 个（来源：教育部关于做好2015届全国普通高等学校毕业生就业创业工作的通知"
            "（教学〔2014〕15号，2014年））｜未填") in text
    assert not any("编号待核实" in line for line in text)
    data = json.loads(run_numbered("record", "show", SHANXI, "support.25.a", "--json").stdout)["lines"][0]
    assert data["measure"] == {"id": "support.25", "heading": "（二十五）建强高校毕业生就业服务机构"}
    assert (data["indicator"]["reference"], data["indicator"]["basis"]["kind"]) == (False, "opinion")


def test_set_by_school_name_and_keyword(run_db):
    result = run_db("record", "set", "山西大学", "实名登记", "--status", "已完成", "--by", "张老师")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, "已记录: 山西大学 assistance.11.d（1 项变更）")


def test_a_keyword_several_items_have_lists_them_and_changes_nothing(run_db):
    result = run_db("record", "set", SHANXI, "离校", "--status", "已完成")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "错误: “离校”对应山西大学清单上的 2 个检查项，请写检查项编号",
        "  assistance.11.d  落实离校未就业毕业生实名就业帮扶要求：毕业生离校前完成离校未就业毕业生实名登记…",
        "  evaluation.13.c  每名毕业生离校前完成毕业去向登记，登记信息真实准确，同步转换为就业进展监测数据",
        "提示: 例如 assistance.11.d",
    ]
    assert "已完成" not in run_db("record", "show", SHANXI, "离校").stdout


@pytest.mark.parametrize("item", ["（十一）", "十一", "(11)", "11", "Assistance.11"])
def test_show_a_measure_by_its_official_number(run_db, item):
    lines = run_db("record", "show", SHANXI, item).stdout.splitlines()
    assert lines[2] == "（十一）健全困难帮扶机制  [assistance.11]"
    shown = [line.split()[0] for line in lines[3:] if line.startswith("  assistance")]
    assert shown == [f"assistance.11.{x}" for x in "abcde"]


def test_show_by_keyword_lists_every_item_that_has_it(run_db):
    shown = [line.split()[0] for line in run_db("record", "show", SHANXI, "离校").stdout.splitlines()
             if line.startswith("  ")]
    assert shown == ["assistance.11.d", "evaluation.13.c"]


def test_ids_in_any_case(run_db):
    result = run_db("record", "set", SHANXI, "Support.16.A", "--status", "推进中", "--by", "张老师")
    assert result.stdout.splitlines()[0] == "已记录: 山西大学 support.16.a（1 项变更）"


def test_a_near_miss_of_an_id_or_a_status_is_suggested(run_db):
    result = run_db("record", "set", SHANXI, "suport.16.a", "--status", "已完成")
    assert result.stderr.splitlines()[0].startswith("错误: 未知检查项“suport.16.a”，您是不是要找：support.16.a、")
    result = run_db("record", "set", SHANXI, "support.16.a", "--status", "完成")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "错误: 状态“完成”无效，您是不是要找：已完成",
        "提示: 可选：未启动（not_started）、推进中（in_progress）、已完成（done）、不适用（not_applicable）",
    ]


# ---------------------------------------------------------------- dates and periods as offices write them

DURING_2025 = datetime(2025, 11, 15, 2, tzinfo=UTC)


@pytest.mark.parametrize("spelling", ["2025年10月", "2025/10", "2025-10", "25年10月", "２０２５年１０月份"])
def test_a_period_is_taken_in_the_spellings_offices_type(run_monthly, spelling):
    with time_machine.travel(DURING_2025, tick=False):
        result = run_monthly("record", "set", SHANXI, "assistance.1.a", "--status", "已完成", "--period", spelling,
                             "--json")
        history = run_monthly("record", "history", SHANXI, "assistance.1.a", "--period", "2025年10月", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["period"] == "2025-10"
    assert {event["period"] for event in json.loads(history.stdout)} == {"2025-10"}


@pytest.mark.parametrize(
    ("period", "lines"),
    [
        ("2025年", ["错误: 检查项 assistance.1.a 的期次“2025年”无效：该项按月填报，这段时间内有 6 期，须写明是哪一期",
                   "提示: 期次可写作 2025-11、2025/11 或 2025年11月（最近的期次：2025-10、2025-11）"]),
        ("2025年3月", ["错误: 检查项 assistance.1.a 的期次“2025年3月”无效：该项没有这一期（每月 最后一天前"
                      "（7、8、9、10、11、12月），自 2025-07-01 起）",
                      "提示: 期次可写作 2025-11、2025/11 或 2025年11月（最近的期次：2025-10、2025-11）"]),
    ],
)
def test_a_period_that_names_no_single_period_is_refused_with_the_accepted_forms(run_monthly, period, lines):
    with time_machine.travel(DURING_2025, tick=False):
        result = run_monthly("record", "set", SHANXI, "assistance.1.a", "--status", "已完成", "--period", period)
        shown = run_monthly("record", "show", SHANXI, "assistance.1.a", "--json")
    assert (result.exit_code, result.stderr.splitlines()) == (3, lines)
    assert not any(line["recorded"] for line in json.loads(shown.stdout)["lines"])  # nothing was written


@pytest.mark.parametrize("spelling", ["26年12月31日", "2026.12.31", "２０２６／１２／３１", "2026年12月31日 星期四",
                                      "20261231"])
def test_a_due_date_is_taken_as_spreadsheets_show_it(run_db, spelling):
    result = run_db("record", "set", SHANXI, "support.16.a", "--due", spelling, "--json")
    assert result.exit_code == 0, result.stderr
    [line] = json.loads(run_db("record", "show", SHANXI, "support.16.a", "--json").stdout)["lines"]
    assert line["plan"] == "2026-12-31"  # 完成时限, the office's plan date


def test_an_ambiguous_date_is_refused_saying_why(run_db):
    result = run_db("record", "set", SHANXI, "support.16.a", "--due", "12/31/2026")
    assert (result.exit_code, result.stderr.splitlines()) == (
        3, ["错误: 完成时限“12/31/2026”无效：分不清月和日，请把四位年份写在前面",
            "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"])


# ---------------------------------------------------------------- evidence as people read it

def test_evidence_shows_name_size_and_date_and_the_digest_only_in_detail(run_db, tmp_path):
    proof = tmp_path / "人员名单.pdf"
    proof.write_bytes(b"%PDF-1.4 staff list")
    with time_machine.travel(datetime(2025, 6, 30, 2, tzinfo=UTC), tick=False):
        run_db("record", "set", SHANXI, "support.16.a", "--evidence", proof, "--by", "张老师")
        plain = run_db("record", "show", SHANXI, "support.16.a").stdout.splitlines()
        detail = run_db("record", "show", SHANXI, "support.16.a", "--detail").stdout.splitlines()
        history = run_db("record", "history", SHANXI, "support.16.a").stdout
    assert "      佐证：人员名单.pdf（19 字节，2025-06-30 张老师添加）" in plain
    assert not any("sha256" in line for line in plain)
    digest = hashlib.sha256(proof.read_bytes()).hexdigest()
    assert f"      佐证：人员名单.pdf（19 字节，2025-06-30 张老师添加，位置 {proof}，sha256 {digest}）" in detail
    assert "佐证材料：添加 人员名单.pdf  （命令 record set）" in history and "sha256" not in history
