"""Status: the three rates, overdue and stale counts, per section and per institution, now and as of a past date."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH, TRACKED_SINCE
from jobpolicy.domain.catalog import Actor
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.scoring import Completion
from jobpolicy.errors import NotFound
from jobpolicy.services.catalog import get_policy
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.scope import resolve_scope
from jobpolicy.services.status import institution_status, overview_status, threshold_failure
from jobpolicy.services.tracking import set_database_start, set_institution_start

PEKING = "4111010001"  # 北京大学, 本科
SINCE = date.fromisoformat(TRACKED_SINCE)
POLICY = get_policy("gse-2025")
UNIVERSITY_ITEMS = [i for i in POLICY.items() if i.actor is Actor.UNIVERSITY]
WEIGHT = sum(i.weight for i in UNIVERSITY_ITEMS)


def at(year, month, day, hour=10):
    """A moment in Beijing office hours (UTC+8), as UTC."""
    return datetime(year, month, day, hour - 8, tzinfo=UTC)


def record(engine, when, item, code=SHANXI, by="张老师", period=None, policy=None, **values):
    with time_machine.travel(when, tick=False):
        return set_record(engine, code, item, RawChange(**values), actor=by, period=period, policy_id=policy)


def section(result, section_id):
    return next(s.completion for s in result.sections if s.id == section_id)


def status_on(engine, day, code=SHANXI):
    return institution_status(engine, code, as_of=day)


def test_the_catalog_under_test():
    # The numbers below rely on these facts about gse-2025.
    assert POLICY.key == "gse-2025@2025.2"
    assert (len(UNIVERSITY_ITEMS), WEIGHT) == (62, 64.0)
    assert POLICY.item("guidance.4.a").weight == 2 and POLICY.item("support.15.b").weight == 2
    assert POLICY.item("guidance.4.f").applies_to.levels == ("本科",)  # so a 专科 school has 61 items, weight 63
    staffing = POLICY.item("support.16.a").indicator
    assert (staffing.comparator, staffing.target) == ("<=", 500)


def test_nothing_recorded_yet(engine):
    with time_machine.travel(at(2025, 6, 1), tick=False):
        result = institution_status(engine, SHANXI)
    assert result.as_of == date(2025, 6, 1)
    assert [s.id for s in result.sections] == ["supply", "guidance", "recruitment", "assistance", "evaluation",
                                               "support"]
    assert section(result, "guidance") == Completion(applicable=16, weight=17.0)
    assert result.total == Completion(applicable=62, weight=64.0)  # nothing due before the first cadences
    assert (result.total.reported_pct_str, result.total.done_pct_str, result.total.met_pct_str) == (
        "0.0%", "0.0%", "—")


def test_rates_with_not_applicable_weights_and_indicators(engine):
    when = at(2025, 6, 1)
    record(engine, when, "supply.2.a", status="不适用", na_reason="本年度无新设专业")
    record(engine, when, "guidance.4.a", status="已完成", value="36")  # weight 2; 36 < 38: not met
    record(engine, when, "support.16.a", status="已完成", value="480")  # <= 500: met
    record(engine, when, "support.15.c", status="推进中", value="0.5")  # >= 1: not met
    record(engine, when, "assistance.11.b", status="不适用", na_reason="无困难毕业生", value="6")  # N/A: no indicator
    result = status_on(engine, date(2025, 6, 1))
    # Every indicator of 2025.2 is a 参考指标 (its target comes from a notice or a province's practice, not from
    # the opinion): all three count as such.
    assert result.total == Completion(applicable=62, reported=5, done=2, not_applicable=2, weight=62.0,
                                      done_weight=3.0, indicators_reported=3, indicators_met=1, indicators_reference=3)
    assert (result.total.reported_pct_str, result.total.done_pct_str, result.total.met_pct_str) == (
        "8.1%", "4.8%", "33.3%")  # 5/62, 3/62, 1/3
    assert section(result, "supply") == Completion(applicable=7, reported=1, not_applicable=1, weight=6.0)
    assert section(result, "support") == Completion(applicable=18, reported=2, done=1, weight=19.0, done_weight=1.0,
                                                    indicators_reported=2, indicators_met=1, indicators_reference=2)
    assert section(result, "support").met_pct_str == "50.0%"
    assert sum((s.completion for s in result.sections), Completion()) == result.total


def test_a_value_that_moves_across_the_target(engine):
    record(engine, at(2025, 6, 1), "support.16.a", value="520")
    assert section(status_on(engine, date(2025, 6, 1)), "support").indicators_met == 0
    record(engine, at(2025, 6, 2), "support.16.a", value="500")  # exactly the target meets <=
    assert section(status_on(engine, date(2025, 6, 2)), "support").indicators_met == 1


def test_an_all_not_applicable_section_has_no_done_rate(engine):
    items = [i.id for i in UNIVERSITY_ITEMS if POLICY.section_of(i.id).id == "assistance"]
    assert items == ["assistance.11.a", "assistance.11.b", "assistance.11.c", "assistance.11.d", "assistance.11.e",
                     "assistance.12.a"]  # the smallest section (五), all one-off
    for item in items:
        record(engine, at(2025, 6, 1), item, status="不适用", na_reason="本校无帮扶对象")
    assistance = section(status_on(engine, date(2025, 6, 1)), "assistance")
    assert assistance == Completion(applicable=6, reported=6, not_applicable=6)
    assert (assistance.done_pct_str, assistance.reported_pct_str) == ("—", "100.0%")


def test_recurring_items_count_the_most_recent_occurrence_due(engine):
    # evaluation.14.a is due every 31 December; evaluation.14.b every 30 September (never recorded here).
    record(engine, at(2025, 11, 1), "evaluation.14.a", status="已完成", evidence=("https://jy.sxu.edu.cn/2025",))
    assert section(status_on(engine, date(2025, 11, 1)), "evaluation") == Completion(
        applicable=7, reported=1, done=1, weight=7.0, done_weight=1.0, overdue_current=1,
        overdue_cumulative=1)  # 14.b's 2025 is late
    record(engine, at(2026, 3, 1), "evaluation.14.a", status="推进中")  # the open occurrence: 2026
    assert section(status_on(engine, date(2026, 3, 1)), "evaluation") == Completion(
        applicable=7, reported=1, done=1, weight=7.0, done_weight=1.0, overdue_current=1,
        overdue_cumulative=1)  # still assessed on 2025
    assert section(status_on(engine, date(2027, 1, 1)), "evaluation") == Completion(
        applicable=7, reported=1, weight=7.0, overdue_current=2,
        overdue_cumulative=3)  # 2026 now counts: in progress and late; 14.b's 2025 is still owed too


def test_overdue_follows_the_policy_deadline_not_the_plan_and_done_late_is_counted_apart(engine):
    record(engine, at(2025, 9, 1), "evaluation.14.b", status="已完成", evidence=("https://jy.sxu.edu.cn/b",))
    record(engine, at(2025, 5, 1), "evaluation.14.a", status="推进中", due="2026-03-31")  # planned late
    assert section(status_on(engine, date(2025, 12, 31)), "evaluation").overdue_current == 0  # due today: not late
    assert section(status_on(engine, date(2026, 1, 1)), "evaluation").overdue_current == 1  # the plan changes nothing
    record(engine, at(2025, 9, 1), "supply.2.b", status="推进中", due="2025-06-30")  # no policy deadline at all
    assert section(status_on(engine, date(2026, 1, 1)), "supply").overdue_current == 0  # a plan is not a deadline
    record(engine, at(2026, 1, 4), "evaluation.14.a", status="已完成", evidence=("https://jy.sxu.edu.cn/2025",))
    assert section(status_on(engine, date(2026, 1, 4)), "evaluation") == Completion(
        applicable=7, reported=2, done=2, weight=7.0, done_weight=2.0, done_late=1)  # 14.a done after the deadline
    assert section(status_on(engine, date(2026, 1, 3)), "evaluation").overdue_current == 1
    with time_machine.travel(at(2026, 1, 5), tick=False):  # the current state agrees with the event log
        assert section(institution_status(engine, SHANXI), "evaluation").done_late == 1


def test_unrecorded_occurrences_past_due_are_overdue(engine):
    result = status_on(engine, date(2025, 11, 1))
    overdue = {s.id: s.completion.overdue_current for s in result.sections if s.completion.overdue_current}
    # recruitment.7.b (31 Aug), evaluation.14.b (30 Sep), support.15.b (10 Oct); evaluation.14.a is due 31 Dec
    assert overdue == {"recruitment": 1, "evaluation": 1, "support": 1}
    assert result.total.overdue_cumulative == 3  # nothing owed from an earlier year


def test_a_monthly_item_counts_only_the_month_most_recently_due(monthly_engine):
    # good_monthly: assistance.1.a is due on the last day of each month from July; assistance.1.b every 31 December.
    status = status_on(monthly_engine, date(2025, 11, 1))
    assert status.total == Completion(applicable=3, weight=3.0, overdue_current=1,
                                      overdue_cumulative=4)  # October is late (当期); July to September too (累计)
    record(monthly_engine, at(2025, 11, 1), "assistance.1.a", period="2025-10", status="已完成", value="99",
           evidence=("https://jy.sxu.edu.cn/contact-2025-10",))
    assert status_on(monthly_engine, date(2025, 11, 1)).total == Completion(
        applicable=3, reported=1, done=1, weight=3.0, done_weight=1.0, indicators_reported=1, indicators_met=1,
        overdue_cumulative=3, done_late=1, indicators_reference=1)  # October's, done on 1 November: 逾期完成
    with time_machine.travel(at(2025, 11, 1), tick=False):  # deadlines, by contrast, still owes every past month
        owed = list_deadlines(monthly_engine, institution=SHANXI).overdue
    assert [(o.item_id, o.period) for o in owed] == [
        ("assistance.1.a", "2025-07"), ("assistance.1.a", "2025-08"), ("assistance.1.a", "2025-09")]
    assert status_on(monthly_engine, date(2025, 12, 1)).total == Completion(
        applicable=3, weight=3.0, overdue_current=1,
        overdue_cumulative=4)  # November now counts, not recorded: October's record no longer counts


def test_stale_when_a_done_occurrence_has_no_evidence_from_its_own_window(engine):
    record(engine, at(2025, 11, 1), "evaluation.14.a", status="已完成")  # 2025, no evidence
    assert section(status_on(engine, date(2025, 11, 1)), "evaluation").stale == 1
    record(engine, at(2025, 11, 15), "evaluation.14.a", evidence=("https://jy.sxu.edu.cn/report-2025",))
    assert section(status_on(engine, date(2025, 11, 14)), "evaluation").stale == 1
    assert section(status_on(engine, date(2025, 11, 15)), "evaluation").stale == 0
    # The 2026 report marked done in December 2025 with evidence from before its window (from 1 January 2026).
    record(engine, at(2025, 12, 20), "evaluation.14.a", period="2026", status="已完成",
           evidence=("https://jy.sxu.edu.cn/draft-2026",))
    assert section(status_on(engine, date(2027, 1, 1)), "evaluation").stale == 1
    record(engine, at(2026, 12, 1), "evaluation.14.a", period="2026", evidence=("https://jy.sxu.edu.cn/report-2026",))
    assert section(status_on(engine, date(2027, 1, 1)), "evaluation").stale == 0


def test_one_off_items_are_never_stale(engine):
    record(engine, at(2025, 6, 1), "support.16.a", status="已完成")
    assert status_on(engine, date(2026, 6, 1)).total.stale == 0


@pytest.fixture
def timeline(engine):
    """山西大学 works on the staffing item (<= 500) and one dated item over a year."""
    record(engine, at(2025, 3, 1), "support.16.a", status="推进中", value="620")
    record(engine, at(2025, 6, 30, 23), "support.16.a", value="520", by="王老师")
    record(engine, at(2025, 5, 1), "recruitment.7.b", status="推进中", due="2025-06-30")
    record(engine, at(2025, 9, 1), "support.16.a", status="已完成", value="480")
    record(engine, at(2025, 9, 1), "recruitment.7.b", due="2025-12-31")  # the plan moves, the deadline does not
    return engine


@pytest.mark.parametrize(
    ("day", "reported", "done", "met", "late"),
    [
        (date(2025, 2, 28), 0, 0, 0, 0),
        (date(2025, 3, 1), 1, 0, 0, 0),
        (date(2025, 6, 30), 2, 0, 0, 0),  # 23:00 Beijing time is still 30 June
        (date(2025, 7, 1), 2, 0, 0, 0),  # its plan date passed: not its deadline (31 August)
        (date(2025, 9, 1), 2, 1, 1, 1),  # past its deadline, though the plan moved to December; staffing done
    ],
)
def test_as_of_an_earlier_date_gives_the_earlier_numbers(timeline, day, reported, done, met, late):
    result = status_on(timeline, day)
    assert (result.total.reported, result.total.done, result.total.indicators_met) == (reported, done, met)
    assert result.total.indicators_reported == (1 if reported else 0)
    assert section(result, "recruitment").overdue_current == late


def test_as_of_today_rebuilt_from_events_equals_the_current_state(timeline):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        now = institution_status(timeline, SHANXI)
        overview = overview_status(timeline)
    rebuilt = status_on(timeline, date(2026, 1, 5))
    assert now.total.reported == 2 and now.total.overdue_current > 0
    assert [s.completion for s in now.sections] == [s.completion for s in rebuilt.sections]
    assert overview_status(timeline, as_of=date(2026, 1, 5)).institutions == overview.institutions


def test_overview_is_one_row_per_institution_sorted_by_code(engine):
    add_institution(engine, PEKING, start=SINCE)
    record(engine, at(2025, 6, 1), "support.16.a", code=PEKING, status="已完成", value="300")
    record(engine, at(2025, 6, 1), "support.16.a", status="已完成", value="520")
    result = overview_status(engine, as_of=date(2025, 6, 1))
    assert [row.code for row in result.institutions] == [PEKING, SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL]
    assert [row.name for row in result.institutions] == ["北京大学", "山西大学", "太原理工大学", "长治职业技术学院"]
    # Three 本科 schools (62 items, weight 64) and one 专科 school without guidance.4.f (61 items, weight 63).
    assert result.total == Completion(applicable=247, reported=2, done=2, weight=255.0, done_weight=2.0,
                                      indicators_reported=2, indicators_met=1, indicators_reference=2)
    peking = result.institutions[0]
    assert peking.sections["support"].indicators_met == 1 and peking.total.done == 1
    assert set(peking.sections) == {"supply", "guidance", "recruitment", "assistance", "evaluation", "support"}
    assert [sid for sid, _ in result.sections] == [s.id for s in institution_status(engine, PEKING).sections]


@pytest.mark.parametrize("as_of", [date(2025, 6, 1), None])  # rebuilt from the event log, and now
def test_a_scope_counts_only_its_schools(engine, as_of):
    add_institution(engine, PEKING, start=SINCE)
    record(engine, at(2025, 6, 1), "support.16.a", code=PEKING, status="已完成")
    record(engine, at(2025, 6, 1), "support.16.a", code=CHANGZHI_VOCATIONAL, status="已完成")
    shanxi = overview_status(engine, scope=resolve_scope(province="山西"), as_of=as_of)
    assert (shanxi.scope.province, shanxi.covered) == ("山西省", "山西省 · 3 所")
    assert [row.code for row in shanxi.institutions] == [SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL]
    assert shanxi.total.done == 1
    vocational = overview_status(engine, scope=InstitutionScope(province="山西省", level="专科"), as_of=as_of)
    assert [(row.code, row.total.done) for row in vocational.institutions] == [(CHANGZHI_VOCATIONAL, 1)]
    assert vocational.total == vocational.institutions[0].total
    ministry = overview_status(engine, scope=InstitutionScope(authority="教育部"), as_of=as_of)
    assert [(row.code, row.total.done) for row in ministry.institutions] == [(PEKING, 1)]
    assert ministry.subject == "主管部门 教育部 1 所学校的总体"
    everyone = overview_status(engine, as_of=as_of)
    assert everyone.total.done == 2 and everyone.subject == "全部 4 所学校的总体"
    # Each school's figures are the same whichever filter it is seen through.
    assert vocational.institutions[0] == next(r for r in everyone.institutions if r.code == CHANGZHI_VOCATIONAL)


def test_a_scope_without_stored_schools_says_so(engine):
    with pytest.raises(NotFound) as caught:
        overview_status(engine, scope=InstitutionScope(province="北京市"))
    assert caught.value.message == "没有符合条件（北京市）的学校（2026 年高校名单中有 92 所，尚未添加）"


def test_an_institution_no_item_applies_to(engine):
    add_institution(engine, "9999999901", name="示例成人学院", province="山西省", level="成人")
    result = institution_status(engine, "9999999901", as_of=date(2025, 6, 1))
    assert result.total == Completion()
    assert result.total.done_pct_str == "—"
    row = next(r for r in overview_status(engine, as_of=date(2025, 6, 1)).institutions if r.code == "9999999901")
    assert (row.total, row.sections) == (Completion(), {})


LOCAL_POLICY = """\
format: 1
policy:
  id: local-2025
  version: "1"
  title: 地方示例政策
  issuer: 示例发文机关
  issued: 2025-01-01
  source: 示例来源
  applies_to: {levels: [本科]}
sections:
  - id: guidance
    title: 强化就业指导体系
    measures:
      - id: guidance.1
        title: 示例举措
        basis: {quote: 示例举措, ref: 一}
        items:
          - id: guidance.1.a
            actor: university
            title: 本科高校都要做的事
            evidence: [文件]
          - id: guidance.1.b
            actor: university
            title: 北京的高校要做的事（不分层次）
            evidence: [文件]
            applies_to: {provinces: [北京市]}
"""


def test_applicability_by_level_and_province_is_decided_in_sql(engine, tmp_path):
    path = tmp_path / "local-2025.yaml"
    path.write_text(LOCAL_POLICY, encoding="utf-8")
    load_policy_version(engine, path, actor="管理员")
    add_institution(engine, PEKING, start=SINCE)
    applicable = {code: institution_status(engine, code, as_of=date(2025, 6, 1), policy_id="local-2025")
                  .total.applicable for code in (PEKING, SHANXI, CHANGZHI_VOCATIONAL)}
    assert applicable == {PEKING: 2, SHANXI: 1, CHANGZHI_VOCATIONAL: 0}
    with pytest.raises(NotFound) as caught:
        institution_status(engine, SHANXI)
    assert caught.value.message == "数据库中加载了多项政策（gse-2025、local-2025），请用 --policy 指定"


def test_unknown_institution(engine):
    with pytest.raises(NotFound) as caught:
        institution_status(engine, "4111010001")
    assert (caught.value.message, caught.value.hint) == ("学校 4111010001 尚未添加",
                                                         "先运行 jobpolicy institution add 4111010001")


def test_threshold_failure_compares_the_done_rate(engine):
    record(engine, at(2025, 6, 1), "support.16.a", status="已完成")
    one = status_on(engine, date(2025, 6, 1))
    assert threshold_failure(one, None) is None
    assert one.total.done_pct_str == "1.6%"  # 1/64 = 1.5625%
    assert threshold_failure(one, 1.6) is None  # compared as shown, though 1.5625 < 1.6
    assert threshold_failure(one, 1.65) is not None
    failure = threshold_failure(one, 80)
    assert (failure.message, failure.hint, failure.exit_code) == (
        "山西大学的落实率 1.6%，低于 --fail-under 要求的 80%",
        f"运行 jobpolicy record show {SHANXI} 查看未完成和逾期的检查项", 4)
    overall = overview_status(engine, scope=resolve_scope(province="山西"), as_of=date(2025, 6, 1))
    assert overall.total.done_pct_str == "0.5%"  # 1 / (64 + 64 + 63) = 0.52%
    assert threshold_failure(overall, 0.5) is None
    assert threshold_failure(overall, 0.55).message == (
        "山西省 3 所学校的总体落实率 0.5%，低于 --fail-under 要求的 0.55%")


def test_threshold_with_nothing_to_rate(engine):
    add_institution(engine, "9999999901", name="示例成人学院", province="山西省", level="成人")
    failure = threshold_failure(institution_status(engine, "9999999901"), 0)
    assert failure.message == "示例成人学院的落实率无法计算（没有需要落实的检查项），未达到 --fail-under 0%"


def test_a_school_added_today_is_judged_from_today(engine):
    with time_machine.travel(at(2025, 10, 1), tick=False):
        add_institution(engine, PEKING)  # no start given: today
    result = status_on(engine, date(2025, 12, 25), code=PEKING)
    # recruitment.7.b (31 Aug) and evaluation.14.b (30 Sep) fell due before the start: their 2026 occurrences count;
    # support.15.b (10 Oct) fell due after it and is late.
    assert (result.start, result.total.overdue_current, result.total.overdue_cumulative) == (date(2025, 10, 1), 1, 1)
    assert status_on(engine, date(2025, 12, 25)).total.overdue_current == 3  # 山西大学, tracked since 2024


def test_a_one_off_item_due_before_the_start_is_counted_nowhere(engine, catalogs):
    load_policy_version(engine, catalogs / "good_deadlines" / "deadlines.yaml", actor="管理员")
    set_institution_start(engine, SHANXI, date(2025, 7, 1))  # guidance.1.a was due on 30 June
    record(engine, at(2025, 8, 1), "guidance.1.a", status="已完成", policy="demo-deadlines")  # still recordable
    result = institution_status(engine, SHANXI, as_of=date(2025, 8, 1), policy_id="demo-deadlines")
    assert result.total == Completion(applicable=2, weight=2.0, before_start=1)  # 1.b and 1.c; 1.a apart
    taiyuan = institution_status(engine, TAIYUAN_TECH, as_of=date(2025, 8, 1), policy_id="demo-deadlines")
    assert (taiyuan.total.applicable, taiyuan.total.overdue_current) == (3, 2)  # 1.a, and 1.c's 2024 report


def test_the_database_start_applies_when_it_is_later(engine):
    set_database_start(engine, date(2025, 10, 1))
    result = overview_status(engine, as_of=date(2025, 12, 25))
    assert [row.total.overdue_current for row in result.institutions] == [1, 1, 1]  # support.15.b only
    set_institution_start(engine, SHANXI, date(2025, 10, 11))
    assert status_on(engine, date(2025, 12, 25)).total.overdue_current == 0
