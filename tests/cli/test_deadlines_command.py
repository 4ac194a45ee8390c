"""``jobpolicy deadlines``: the list, --json, --fail-on-overdue (exit 4) and the --ics calendar file."""

import json
from datetime import UTC, date, datetime

import icalendar
import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH

NOW = datetime(2025, 12, 25, 2, 0, tzinfo=UTC)  # 10:00 on 2025-12-25 in Beijing
RECURRING = {"recruitment.7.b": "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=31",
             "evaluation.14.a": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
             "evaluation.14.b": "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=30",
             "support.15.b": "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=10"}
MONTHLY_TITLE = "离校后每月跟踪联系离校未就业毕业生并更新实名台账，联系率不低于98%"  # good_monthly's assistance.1.a

OVERDUE_LEGEND = ["", "名词说明：", "  累计逾期：含往期每一期已过截止日期仍未完成的项数（与 jobpolicy deadlines 所列相同）。",
                  "  当期逾期：计入比率的那一期已过截止日期，仍未完成。"]


@pytest.fixture
def at_christmas(run_db):
    """Run commands on 2025-12-25 with the clock stopped, so DTSTAMP and day counts are fixed."""
    with time_machine.travel(NOW, tick=False):
        yield run_db


def test_text_lists_overdue_then_upcoming_then_a_summary(at_christmas):
    at_christmas("record", "set", SHANXI, "support.15.b", "--period", "2025", "--status", "推进中",
                 "--department", "就业指导中心", "--owner", "王老师")
    result = at_christmas("deadlines", "--institution", SHANXI, "--within", "7")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "【当期逾期 116 天】  2025-08-31  山西大学（4114010108）  recruitment.7.b [2025]  举措（七）  "
        "书记校长带头开展访企拓岗促就业专项行动，校领导走访或新开拓用人单位不少于100家  未填报",
        "【当期逾期 86 天】  2025-09-30  山西大学（4114010108）  evaluation.14.b [2025]  举措（十四）  "
        "每年9月向社会公布本校毕业生就业状况  未填报",
        "【当期逾期 76 天】  2025-10-10  山西大学（4114010108）  support.15.b [2025]  举措（十五）  由校领导牵头完成就业服务机构、"
        "人员、场地、经费“四到位”年度自评并按时报送  推进中  就业指导中心、王老师",
        "还有 6 天  2025-12-31  山西大学（4114010108）  evaluation.14.a [2025]  举措（十四）  "
        "每年12月31日前面向社会发布本校毕业生就业质量年度报告  未填报",
        "截至 2025-12-25（山西大学）：累计逾期 3 项（含往期；其中当期逾期 3 项），7 天内到期 1 项",
        *OVERDUE_LEGEND,
    ]


def test_text_lists_every_unfinished_past_month_and_same_day_items_by_id(run_monthly):
    with time_machine.travel(NOW, tick=False):
        result = run_monthly("deadlines", "--within", "7")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    head = "山西大学（4114010108）  assistance.1.a"
    assert lines == [
        f"【逾期 147 天】  2025-07-31  {head} [2025-07]  举措（一）  {MONTHLY_TITLE}  未填报",
        f"【逾期 116 天】  2025-08-31  {head} [2025-08]  举措（一）  {MONTHLY_TITLE}  未填报",
        f"【逾期 86 天】  2025-09-30  {head} [2025-09]  举措（一）  {MONTHLY_TITLE}  未填报",
        f"【逾期 55 天】  2025-10-31  {head} [2025-10]  举措（一）  {MONTHLY_TITLE}  未填报",
        f"【当期逾期 25 天】  2025-11-30  {head} [2025-11]  举措（一）  {MONTHLY_TITLE}  未填报",  # the month counted
        f"还有 6 天  2025-12-31  {head} [2025-12]  举措（一）  {MONTHLY_TITLE}  未填报",
        "还有 6 天  2025-12-31  山西大学（4114010108）  assistance.1.b [2025]  举措（一）  "
        "每年12月31日前汇总全年跟踪服务情况  未填报",
        "截至 2025-12-25（山西大学）：累计逾期 5 项（含往期；其中当期逾期 1 项），7 天内到期 2 项",
        *OVERDUE_LEGEND,
    ]


def test_fail_on_overdue_prints_the_list_then_exits_4(at_christmas):
    result = at_christmas("deadlines", "--fail-on-overdue")
    assert result.exit_code == 4
    # per school: recruitment.7.b, evaluation.14.b and support.15.b late; evaluation.14.a due on 31 December
    assert result.stdout.splitlines()[-5:] == [
        "截至 2025-12-25（3 所学校）：累计逾期 9 项（含往期；其中当期逾期 9 项），30 天内到期 3 项", *OVERDUE_LEGEND]
    assert result.stderr.splitlines() == ["错误: 截至 2025-12-25 累计逾期 9 项未完成（其中当期逾期 9 项）",
                                          "提示: 完成后用 jobpolicy record set 更新状态"]


def test_fail_on_overdue_passes_when_nothing_is_late(at_christmas):
    result = at_christmas("deadlines", "--as-of", "2025-07-01", "--within", "29", "--fail-on-overdue")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "截至 2025-07-01（3 所学校）：累计逾期 0 项（含往期；其中当期逾期 0 项），29 天内到期 0 项\n"


def test_json(at_christmas):
    at_christmas("record", "set", TAIYUAN_TECH, "evaluation.14.a", "--status", "已完成")
    result = at_christmas("deadlines", "--json", "--within", "10")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["policy", "as_of", "within_days", "institutions", "overdue_cumulative", "overdue_current",
                          "upcoming", "obligations", "before_start"]
    assert {k: data[k] for k in list(data)[:7]} == {
        "policy": "gse-2025@2025.2", "as_of": "2025-12-25", "within_days": 10, "institutions": 3,
        "overdue_cumulative": 9, "overdue_current": 9, "upcoming": 3}  # 14.a done early is still listed as upcoming
    done = next(o for o in data["obligations"]
                if o["institution"]["code"] == TAIYUAN_TECH and o["item"]["id"] == "evaluation.14.a")
    assert done == {"institution": {"code": TAIYUAN_TECH, "name": "太原理工大学"},
                    "item": {"id": "evaluation.14.a", "title": "每年12月31日前面向社会发布本校毕业生就业质量年度报告"},
                    "period": "2025", "deadline": "2025-12-31", "plan": None, "standing": "done",
                    "standing_label": "已完成", "current": True, "status": "done", "status_label": "已完成",
                    "owner": None, "department": None, "days_late": None, "days_left": 6}


def test_json_with_fail_on_overdue_keeps_stdout_one_document(at_christmas):
    result = at_christmas("deadlines", "--json", "--fail-on-overdue", "--institution", CHANGZHI_VOCATIONAL)
    assert result.exit_code == 4
    assert json.loads(result.stdout)["overdue_cumulative"] == 3
    assert result.stderr.splitlines()[0] == "错误: 截至 2025-12-25 累计逾期 3 项未完成（其中当期逾期 3 项）"


def test_ics_file_reads_back_with_icalendar(at_christmas, tmp_path):
    at_christmas("record", "set", SHANXI, "support.16.a", "--due", "2026-03-31")  # a plan date: not in the calendar
    target = tmp_path / "日历.ics"
    result = at_christmas("deadlines", "--ics", target)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"已写入日历: {target}（12 个事件）"
    raw = target.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    parsed = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    events = parsed.walk("VEVENT")
    assert len(events) == 3 * len(RECURRING)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event in events:
        code, item = str(event["UID"]).removesuffix("@jobpolicy").split("-", 1)
        assert code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL)
        assert event["DTSTAMP"].dt == NOW
        assert event["RRULE"] == icalendar.vRecur.from_ical(RECURRING[item])
    report = next(e for e in events if str(e["UID"]) == f"{SHANXI}-evaluation.14.a@jobpolicy")
    assert report["DTSTART"].dt == date(2025, 12, 31)
    assert "佐证材料：就业质量年度报告全文；学校网站发布网页链接" in str(report["DESCRIPTION"])


def test_ics_writes_a_monthly_rule_with_its_months_and_last_day(run_monthly, tmp_path):
    target = tmp_path / "按月.ics"
    with time_machine.travel(NOW, tick=False):
        result = run_monthly("deadlines", "--ics", target)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"已写入日历: {target}（2 个事件）"  # assistance.1.c has no date
    raw = target.read_bytes().decode("utf-8")
    assert "\r\nRRULE:FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1\r\n" in raw
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
    assert set(events) == {f"{SHANXI}-assistance.1.a@jobpolicy", f"{SHANXI}-assistance.1.b@jobpolicy"}
    monthly = events[f"{SHANXI}-assistance.1.a@jobpolicy"]
    assert monthly["RRULE"] == icalendar.vRecur.from_ical("FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1")
    assert monthly["DTSTART"].dt == date(2025, 7, 31)  # the first occurrence
    assert str(monthly["SUMMARY"]) == f"山西大学：{MONTHLY_TITLE}"


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["--within", "-1"], 3, ["错误: 天数 -1 无效：不能为负数", "提示: 给出 0 或正整数，如 --within 30"]),
        (["--as-of", "2025-02-30"], 3,
         ["错误: --as-of 的日期“2025-02-30”无效：没有这一天", "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"]),
        (["--institution", "4114019999"], 1,
         ["错误: 学校 4114019999 尚未添加", "提示: 先运行 jobpolicy institution add 4114019999"]),
        (["--ics", "no-such-dir/x.ics"], 1,
         ["错误: 无法写入日历文件 no-such-dir/x.ics（文件或文件夹不存在）",
          "提示: 检查目录是否存在、是否有写入权限"]),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(at_christmas, args, code, stderr):
    result = at_christmas("deadlines", *args)
    assert (result.exit_code, result.stderr.splitlines(), result.stdout) == (code, stderr, "")


def test_lines_show_the_official_number_of_each_measure(run_numbered):
    with time_machine.travel(datetime(2025, 9, 20, 2, tzinfo=UTC), tick=False):
        result = run_numbered("deadlines", "--within", "120")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "还有 10 天  2025-09-30  山西大学（4114010108）  assistance.11.b  举措（十一）  为每名困难毕业生推送不少于5个岗位  未填报",
        "还有 102 天  2025-12-31  山西大学（4114010108）  assistance.11.a [2025]  举措（十一）  "
        "每月联系离校未就业毕业生并更新实名台账  未填报",
        "还有 102 天  2025-12-31  山西大学（4114010108）  support.25.a  举措（二十五）  "
        "每年召开校级就业工作领导小组会议不少于2次  未填报",
        "截至 2025-09-20（山西大学）：累计逾期 0 项（含往期；其中当期逾期 0 项），120 天内到期 3 项",
    ]
