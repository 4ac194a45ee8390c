"""Deadlines: overdue and upcoming obligations per period, as of any date, over every institution at once."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy import clock
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.standing import Standing
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services._uow import writing
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.policies import store_catalog
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.tracking import set_institution_start

ANNUAL_REPORT = "evaluation.14.a"  # yearly, due December 31st
DEMO = "demo-deadlines"
MONTHLY = "assistance.1.a"  # good_monthly: due on the last day of each month from July to December


def at(year, month, day, hour=10):
    """A moment in Beijing office hours (UTC+8), as UTC."""
    return datetime(year, month, day, hour - 8, tzinfo=UTC)


def record(engine, when, code, item, *, period=None, policy=None, **values):
    with time_machine.travel(when, tick=False):
        set_record(engine, code, item, RawChange(**values), actor="张", period=period, policy_id=policy)


def deadlines(engine, today, **kwargs):
    """The report as run on ``today`` (which decides whether an earlier as-of date is replayed), with every
    obligation unless ``detail`` says otherwise."""
    kwargs.setdefault("detail", True)
    with time_machine.travel(at(*today), tick=False):
        return list_deadlines(engine, **kwargs)


def keyed(report):
    return {(o.code, o.item_id, o.period): o for o in report.obligations}


@pytest.mark.parametrize(
    ("as_of", "within", "overdue", "days_late", "days_left"),
    [
        (date(2025, 11, 30), 30, None, None, None),  # 31 days ahead: not yet listed
        (date(2025, 12, 1), 30, False, None, 30),
        (date(2025, 12, 31), 0, False, None, 0),  # due on the day itself is not late
        (date(2026, 1, 1), 30, True, 1, None),
        (date(2026, 12, 31), 0, True, 365, None),  # still owed a year later, next to the 2026 report
    ],
)
def test_overdue_and_upcoming_across_as_of_dates(engine, as_of, within, overdue, days_late, days_left):
    report = deadlines(engine, (2027, 3, 1), institution=SHANXI, as_of=as_of, within_days=within)
    found = keyed(report).get((SHANXI, ANNUAL_REPORT, "2025"))
    if overdue is None:
        assert found is None
    else:
        assert (found.deadline, found.overdue, found.days_late, found.days_left) == (
            date(2025, 12, 31), overdue, days_late, days_left)
        assert (found.institution, found.status) == ("山西大学", None)


def test_done_or_not_applicable_is_never_overdue(engine):
    record(engine, at(2025, 12, 20), SHANXI, ANNUAL_REPORT, status="已完成")
    record(engine, at(2025, 12, 20), TAIYUAN_TECH, ANNUAL_REPORT, status="不适用", na_reason="合并办学，由本部发布")
    record(engine, at(2025, 12, 20), CHANGZHI_VOCATIONAL, ANNUAL_REPORT, status="推进中", owner="李",
           department="就业处")
    report = deadlines(engine, (2026, 1, 10))
    found = keyed(report)
    assert (SHANXI, ANNUAL_REPORT, "2025") not in found
    assert (TAIYUAN_TECH, ANNUAL_REPORT, "2025") not in found
    late = found[(CHANGZHI_VOCATIONAL, ANNUAL_REPORT, "2025")]
    assert (late.overdue, late.days_late, late.status, late.owner, late.department) == (
        True, 10, "in_progress", "李", "就业处")


def test_an_item_done_early_is_still_listed_as_upcoming_with_its_status(engine):
    record(engine, at(2025, 12, 1), SHANXI, ANNUAL_REPORT, status="已完成")
    found = keyed(deadlines(engine, (2025, 12, 10), institution=SHANXI))[(SHANXI, ANNUAL_REPORT, "2025")]
    assert (found.overdue, found.status, found.days_left) == (False, "done", 21)


def test_last_years_done_report_stays_done_while_this_years_is_due(engine):
    record(engine, at(2025, 12, 20), SHANXI, ANNUAL_REPORT, status="已完成", period="2025")
    found = keyed(deadlines(engine, (2026, 12, 15), institution=SHANXI))
    assert (SHANXI, ANNUAL_REPORT, "2025") not in found
    assert (found[(SHANXI, ANNUAL_REPORT, "2026")].overdue, found[(SHANXI, ANNUAL_REPORT, "2026")].days_left) == (
        False, 16)
    later = keyed(deadlines(engine, (2027, 1, 5), institution=SHANXI))
    assert (SHANXI, ANNUAL_REPORT, "2025") not in later
    assert later[(SHANXI, ANNUAL_REPORT, "2026")].days_late == 5


def test_monthly_periods_each_have_their_own_record(monthly_engine):
    record(monthly_engine, at(2025, 8, 5), SHANXI, MONTHLY, status="已完成", period="2025-07")
    report = deadlines(monthly_engine, (2025, 9, 1), institution=SHANXI)
    periods = [(o.period, o.overdue) for o in report.obligations if o.item_id == MONTHLY]
    assert periods == [("2025-08", True), ("2025-09", False)]


def test_every_unfinished_past_month_is_overdue_with_its_own_days_late(monthly_engine):
    record(monthly_engine, at(2025, 9, 3), SHANXI, MONTHLY, status="推进中", period="2025-08")
    report = deadlines(monthly_engine, (2025, 10, 11), within_days=20)
    assert [(o.item_id, o.period, o.status, o.days_late) for o in report.overdue] == [
        (MONTHLY, "2025-07", None, 72), (MONTHLY, "2025-08", "in_progress", 41), (MONTHLY, "2025-09", None, 11)]
    assert [(o.item_id, o.period, o.days_left) for o in report.upcoming] == [(MONTHLY, "2025-10", 20)]


def test_a_plan_date_is_shown_beside_the_deadline_and_never_moves_it(engine):
    record(engine, at(2025, 12, 20), SHANXI, ANNUAL_REPORT, period="2025", status="推进中", due="2026-03-01")
    record(engine, at(2025, 12, 20), SHANXI, ANNUAL_REPORT, period="2026", status="推进中", due="2026-01-05")
    late = keyed(deadlines(engine, (2026, 1, 10), institution=SHANXI))[(SHANXI, ANNUAL_REPORT, "2025")]
    assert (late.deadline, late.plan, late.overdue, late.days_late) == (
        date(2025, 12, 31), date(2026, 3, 1), True, 10)  # a later plan does not excuse it
    found = keyed(deadlines(engine, (2026, 1, 10), institution=SHANXI))
    assert (SHANXI, ANNUAL_REPORT, "2026") not in found  # planned for 5 January, due 31 December: not late, not near


def test_done_after_the_deadline_is_done_late_and_no_longer_owed(engine):
    record(engine, at(2026, 1, 4), SHANXI, ANNUAL_REPORT, period="2025", status="已完成")
    record(engine, at(2025, 12, 31, 23), TAIYUAN_TECH, ANNUAL_REPORT, period="2025", status="已完成")  # on the day
    report = deadlines(engine, (2026, 1, 10))
    assert (SHANXI, ANNUAL_REPORT, "2025") not in keyed(report)  # 逾期完成: status counts it apart
    assert (TAIYUAN_TECH, ANNUAL_REPORT, "2025") not in keyed(report)
    before = deadlines(engine, (2026, 1, 10), as_of=date(2026, 1, 3))  # the day before it was done
    assert keyed(before)[(SHANXI, ANNUAL_REPORT, "2025")].standing is Standing.OVERDUE


def test_occurrences_due_before_the_tracking_start_are_never_overdue_and_listed_apart(engine):
    with time_machine.travel(at(2025, 10, 1), tick=False):
        set_institution_start(engine, SHANXI, date(2025, 10, 1))
    report = deadlines(engine, (2025, 12, 25), institution=SHANXI, within_days=7)
    assert [(o.item_id, o.period) for o in report.overdue] == [("support.15.b", "2025")]  # 10 October: after
    assert report.before_start == []  # only when asked for
    report = deadlines(engine, (2025, 12, 25), institution=SHANXI, within_days=7, before_start=True)
    assert [(o.item_id, o.period, o.standing, o.days_late, o.days_left) for o in report.before_start] == [
        ("recruitment.7.b", "2025", Standing.BEFORE_START, None, None),
        ("evaluation.14.b", "2025", Standing.BEFORE_START, None, None)]
    record(engine, at(2025, 12, 26), SHANXI, "recruitment.7.b", period="2025", status="已完成")  # still recordable
    report = deadlines(engine, (2025, 12, 27), institution=SHANXI, within_days=7, before_start=True)
    assert [o.item_id for o in report.before_start] == ["evaluation.14.b"]  # done: nothing left to list


def test_the_current_period_overdue_is_a_part_of_the_cumulative(monthly_engine):
    report = deadlines(monthly_engine, (2025, 11, 1), institution=SHANXI)
    assert [(o.period, o.current) for o in report.overdue] == [
        ("2025-07", False), ("2025-08", False), ("2025-09", False), ("2025-10", True)]
    assert [o.period for o in report.overdue_current] == ["2025-10"]


@pytest.mark.parametrize(
    ("as_of", "status", "overdue"),
    [
        (date(2026, 1, 3), None, True),  # nothing recorded yet on that day
        (date(2026, 1, 4), "in_progress", True),
        (date(2026, 1, 5), None, None),  # done that day: no longer owed
    ],
)
def test_a_past_as_of_date_is_rebuilt_from_the_event_log(engine, as_of, status, overdue):
    record(engine, at(2026, 1, 4), SHANXI, ANNUAL_REPORT, status="推进中", period="2025")
    record(engine, at(2026, 1, 5, 23), SHANXI, ANNUAL_REPORT, status="已完成", period="2025")
    found = keyed(deadlines(engine, (2026, 2, 1), as_of=as_of)).get((SHANXI, ANNUAL_REPORT, "2025"))
    if overdue is None:
        assert found is None
    else:
        assert (found.status, found.overdue) == (status, overdue)


def test_order_is_overdue_oldest_first_then_upcoming_by_date_then_code_and_item(engine):
    # Plan dates on items without a policy deadline make no obligation: only the policy's deadlines count.
    record(engine, at(2025, 9, 1), TAIYUAN_TECH, "support.16.a", status="推进中", due="2025-10-20")
    record(engine, at(2025, 8, 1), SHANXI, "supply.2.b", status="推进中", due="2025-08-31")
    report = deadlines(engine, (2025, 10, 11), within_days=90)
    rows = [(o.overdue, o.deadline, o.code, o.item_id, o.period) for o in report.obligations]
    assert rows == sorted(rows, key=lambda r: (not r[0], *r[1:]))
    assert [(o.code, o.item_id, o.period) for o in report.obligations[:3]] == [
        (SHANXI, "recruitment.7.b", "2025"), (TAIYUAN_TECH, "recruitment.7.b", "2025"),
        (CHANGZHI_VOCATIONAL, "recruitment.7.b", "2025")]
    upcoming = [(o.code, o.item_id, o.days_left) for o in report.upcoming]
    assert upcoming == [(SHANXI, "evaluation.14.a", 81), (TAIYUAN_TECH, "evaluation.14.a", 81),
                        (CHANGZHI_VOCATIONAL, "evaluation.14.a", 81)]
    assert len(report.overdue) == 3 * 3  # per school the Aug 31, Sep 30, Oct 10 yearly items


@pytest.fixture
def demo(engine, catalogs):
    """The deadline-case catalog loaded next to the bundled one."""
    path = catalogs / "good_deadlines" / "deadlines.yaml"
    with writing(engine) as session:
        store_catalog(session, load_policy_file(path), path.read_text(encoding="utf-8"), at=clock.now())
    return engine


def test_one_off_items_count_only_with_the_catalogs_due_date_and_plans_stand_beside_it(demo):
    report = deadlines(demo, (2025, 7, 1), policy_id=DEMO, within_days=90)
    assert {(o.code, o.item_id, o.deadline, o.overdue) for o in report.obligations if o.period == "once"} == {
        (SHANXI, "guidance.1.a", date(2025, 6, 30), True),  # the catalog's date
        (TAIYUAN_TECH, "guidance.1.a", date(2025, 6, 30), True),
        (CHANGZHI_VOCATIONAL, "guidance.1.a", date(2025, 6, 30), True),
        (CHANGZHI_VOCATIONAL, "guidance.1.e", date(2025, 9, 1), False),  # 专科 only; province items never
    }
    record(demo, at(2025, 5, 1), SHANXI, "guidance.1.a", policy=DEMO, status="推进中", due="2025-09-30")
    record(demo, at(2025, 5, 1), SHANXI, "guidance.1.b", policy=DEMO, due="2025-07-15")
    found = keyed(deadlines(demo, (2025, 7, 1), policy_id=DEMO, within_days=100, institution=SHANXI))
    planned = found[(SHANXI, "guidance.1.a", "once")]
    assert (planned.deadline, planned.plan, planned.overdue) == (date(2025, 6, 30), date(2025, 9, 30), True)
    assert (SHANXI, "guidance.1.b", "once") not in found  # a plan date alone is not a deadline


def test_calendar_has_one_entry_per_institution_and_dated_item(demo):
    record(demo, at(2025, 5, 1), SHANXI, "guidance.1.a", policy=DEMO, due="2025-09-30")
    report = deadlines(demo, (2025, 7, 1), policy_id=DEMO, within_days=0)
    entries = {(e.code, e.item.id): e.start for e in report.calendar}
    assert entries == {
        (SHANXI, "guidance.1.a"): date(2025, 6, 30), (SHANXI, "guidance.1.c"): date(2024, 12, 31),  # not the plan
        (TAIYUAN_TECH, "guidance.1.a"): date(2025, 6, 30), (TAIYUAN_TECH, "guidance.1.c"): date(2024, 12, 31),
        (CHANGZHI_VOCATIONAL, "guidance.1.a"): date(2025, 6, 30), (CHANGZHI_VOCATIONAL, "guidance.1.c"):
            date(2024, 12, 31), (CHANGZHI_VOCATIONAL, "guidance.1.e"): date(2025, 9, 1),
    }


def test_records_are_read_in_the_same_few_queries_however_many_institutions(engine):
    def statements(target):
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(target, "before_cursor_execute", listener)
        try:
            deadlines(target, (2025, 10, 11), as_of=date(2025, 10, 1))
        finally:
            event.remove(target, "before_cursor_execute", listener)
        return len(seen)

    record(engine, at(2025, 9, 1), SHANXI, ANNUAL_REPORT, status="推进中")
    before = statements(engine)
    for code in ("4114010109", "4114010110"):  # two more 山西 institutions
        add_institution(engine, code)
    assert statements(engine) == before


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"within_days": -1}, InvalidInput, "天数 -1 无效：不能为负数"),
        ({"institution": "4114019999"}, NotFound, "学校 4114019999 尚未添加"),
        ({"policy_id": "nope"}, NotFound, "数据库中没有加载政策 nope"),
    ],
)
def test_bad_requests(engine, kwargs, error, message):
    with pytest.raises(error) as raised:
        list_deadlines(engine, **kwargs)
    assert raised.value.message == message


# ---------------------------------------------------------------- a line per school


@pytest.fixture
def three_schools_late(engine):
    """On 2025-12-25 every school owes the yearly items due 31 Aug, 30 Sep and 10 Oct; 山西大学 has done the
    one of 30 Sep, 太原理工大学 the one of 31 Aug."""
    record(engine, at(2025, 12, 1), SHANXI, "evaluation.14.b", period="2025", status="已完成")
    record(engine, at(2025, 12, 1), TAIYUAN_TECH, "recruitment.7.b", period="2025", status="已完成")
    return engine


def lines(report) -> list[tuple]:
    return [(s.code, s.counts.overdue_cumulative, s.counts.overdue_current, s.counts.upcoming, s.counts.oldest,
             s.counts.oldest_days_late) for s in report.schools]


def test_a_line_per_school_worst_first_most_overdue_then_oldest(three_schools_late):
    report = deadlines(three_schools_late, (2025, 12, 25), within_days=7, detail=False)
    assert lines(report) == [
        (CHANGZHI_VOCATIONAL, 3, 3, 1, date(2025, 8, 31), 116),
        (SHANXI, 2, 2, 1, date(2025, 8, 31), 116),  # as many as 太原理工大学, owed longer
        (TAIYUAN_TECH, 2, 2, 1, date(2025, 9, 30), 86),
    ]
    total = report.total
    assert (total.overdue_cumulative, total.overdue_current, total.upcoming, total.oldest) == (
        7, 7, 3, date(2025, 8, 31))


def test_the_lines_count_exactly_the_obligations_detail_lists(three_schools_late):
    for as_of in (date(2025, 9, 1), date(2025, 12, 25), date(2026, 11, 1)):
        summary = deadlines(three_schools_late, (2026, 11, 2), as_of=as_of, within_days=45, detail=False)
        listed = deadlines(three_schools_late, (2026, 11, 2), as_of=as_of, within_days=45)
        assert lines(summary) == lines(listed)
        for school in listed.schools:
            mine = [o for o in listed.overdue if o.code == school.code]
            assert (school.counts.overdue_cumulative, school.counts.overdue_current, school.counts.upcoming) == (
                len(mine), len([o for o in mine if o.current]),
                len([o for o in listed.upcoming if o.code == school.code])), (as_of, school.code)
            assert school.counts.oldest == min((o.deadline for o in mine), default=None)


def test_only_detail_keeps_the_obligations(three_schools_late):
    many = deadlines(three_schools_late, (2025, 12, 25), detail=None)
    assert (many.detail, many.obligations, len(many.schools)) == (False, [], 3)
    one = deadlines(three_schools_late, (2025, 12, 25), institution=SHANXI, detail=None)
    assert one.detail and len(one.overdue) == 2 and [s.code for s in one.schools] == [SHANXI]
    lines_only = deadlines(three_schools_late, (2025, 12, 25), institution=SHANXI, detail=False)
    assert (lines_only.obligations, lines(lines_only)) == ([], lines(one))


def test_a_line_tells_this_periods_overdue_from_every_periods(monthly_engine):
    report = deadlines(monthly_engine, (2025, 11, 1), detail=False)
    assert lines(report) == [(SHANXI, 4, 1, 1, date(2025, 7, 31), 93)]  # November due within 30 days
    assert report.detail is False  # asked for lines only, though the database holds one school


def test_a_scope_reads_only_its_schools(three_schools_late):
    from jobpolicy.domain.institution_scope import InstitutionScope

    report = deadlines(three_schools_late, (2025, 12, 25), scope=InstitutionScope(level="专科"), detail=False)
    assert [s.code for s in report.schools] == [CHANGZHI_VOCATIONAL]
    assert report.covered == "专科 · 1 所"
    with pytest.raises(NotFound, match="没有符合条件（北京市）的学校"):
        deadlines(three_schools_late, (2025, 12, 25), scope=InstitutionScope(province="北京市"))
