"""The summary's tables of measures and departments, counted in SQL (``services.summary_tallies``), agree with the
checklist lines the Python readers build (``record show``), line by line: now and at a past date, through a mapping,
with 启用前 lines, 不适用, departments and reporting schools apart, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.institution_scope import EVERYWHERE
from jobpolicy.domain.line_tally import LineTally, SummaryTallies
from jobpolicy.domain.scoring import Completion, status_lines
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Status
from jobpolicy.services import sql_rows
from jobpolicy.services import summary_tallies as tallies_module
from jobpolicy.services._uow import reading
from jobpolicy.services.history import show_records
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.status import overview_status
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.services.summary_tallies import summary_counts
from jobpolicy.services.tracking import set_institution_start

PLAN_FILE = Path(__file__).parent.parent / "data" / "mappings" / "good_inline" / "plan.yaml"
PLAN, OPINION = "demo-province-2025", "gse-2025"
NOW = datetime(2026, 3, 1, 2, tzinfo=UTC)
SCHOOLS = (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL)
WRITES = [  # (when, school, policy, item, period, fields)
    (datetime(2025, 6, 2, 2, tzinfo=UTC), SHANXI, OPINION, "support.16.a", None,
     dict(status="done", value="450", department="人事处")),
    (datetime(2025, 6, 2, 3, tzinfo=UTC), SHANXI, OPINION, "support.16.b", None,
     dict(status="in_progress", department="人事处")),
    (datetime(2025, 6, 5, 2, tzinfo=UTC), SHANXI, OPINION, "support.15.c", None,
     dict(status="not_applicable", na_reason="省统筹", department="财务处")),
    (datetime(2025, 12, 15, 2, tzinfo=UTC), SHANXI, OPINION, "evaluation.14.a", "2025", dict(status="done")),
    (datetime(2026, 1, 10, 2, tzinfo=UTC), SHANXI, OPINION, "guidance.4.a", None,
     dict(status="done", department="")),
    (datetime(2025, 6, 3, 2, tzinfo=UTC), TAIYUAN_TECH, PLAN, "service.1.a", None, dict(status="done", value="380")),
    (datetime(2025, 6, 3, 3, tzinfo=UTC), TAIYUAN_TECH, OPINION, "recruitment.7.b", "2025",
     dict(status="in_progress", department="招生就业处")),
    (datetime(2025, 6, 4, 2, tzinfo=UTC), CHANGZHI_VOCATIONAL, OPINION, "support.16.a", None,
     dict(status="done", value="450", department="人事处")),
]


@pytest.fixture
def recorded(engine):
    """The opinion with a plan mapped onto it, the writes above, and one school tracked from late 2025 (so that its
    earlier occurrences are 启用前)."""
    load_policy_version(engine, PLAN_FILE, actor="测试")
    for moment, code, policy, item, period, fields in WRITES:
        with time_machine.travel(moment, tick=False):
            set_record(engine, code, item, RawChange(**fields), actor="张老师", period=period, policy_id=policy)
    set_institution_start(engine, TAIYUAN_TECH, date(2026, 1, 1))
    return engine


def from_lines(engine, policy_id: str | None, as_of: date | None, reporting: set[str],
               schools=SCHOOLS) -> SummaryTallies:
    """The tallies as the Python readers see them: each school's counted lines from ``record show``."""
    found = SummaryTallies()
    measures: dict[tuple[str, bool], dict[str, bool]] = {}
    for code in schools:
        with time_machine.travel(NOW, tick=False):
            lines = show_records(engine, code, as_of=as_of, policy_id=policy_id).lines
        for line in lines:
            if not line.counted:
                continue
            rated = line.standing is not Standing.BEFORE_START
            status = line.state.status if line.state is not None else None
            still_open = rated and status not in (Status.DONE, Status.NOT_APPLICABLE)
            counts = Completion(
                applicable=rated, reported=rated and status is not None, done=rated and status == Status.DONE,
                not_applicable=rated and status == Status.NOT_APPLICABLE,
                weight=line.item.weight if rated and status != Status.NOT_APPLICABLE else 0.0,
                done_weight=line.item.weight if rated and status == Status.DONE else 0.0,
                overdue_current=rated and line.standing is Standing.OVERDUE,
                done_late=rated and line.standing is Standing.DONE_LATE)
            tally = LineTally(1, still_open, counts)
            key = (line.item.id, code in reporting)
            found.items[key] = found.items.get(key, LineTally()) + tally
            if rated and status is not None and status != Status.NOT_APPLICABLE:
                where = line.state.department or ""
                found.departments[where] = found.departments.get(where, LineTally()) + tally
            if rated:
                schools = measures.setdefault((line.item.id.rsplit(".", 1)[0], code in reporting), {})
                schools[code] = schools.get(code, False) or still_open
    found.measures = {key: (len(schools), sum(schools.values())) for key, schools in measures.items()}
    return found


def from_sql(engine, policy_id: str | None, as_of: date | None, reporting: set[str]) -> SummaryTallies:
    with time_machine.travel(NOW, tick=False), reading(engine) as session:
        policy = current_policy(session, policy_id)
        return summary_counts(session, policy, scope=EVERYWHERE, on=as_of or NOW.date(), as_of=as_of,
                              reporting=reporting).tallies


@pytest.mark.parametrize("policy_id", [OPINION, PLAN])
@pytest.mark.parametrize("as_of", [None, date(2025, 6, 3), date(2025, 12, 31)])
def test_sql_and_the_checklist_lines_count_the_same(recorded, policy_id, as_of):
    reporting = {SHANXI}

    assert from_sql(recorded, policy_id, as_of, reporting) == from_lines(recorded, policy_id, as_of, reporting)


@pytest.mark.parametrize("policy_id", [OPINION, PLAN])
@pytest.mark.parametrize("as_of", [None, date(2025, 6, 3), date(2025, 12, 31)])
def test_the_same_pass_gives_each_schools_rates_as_status_does(recorded, policy_id, as_of):
    with reading(recorded) as session:
        opinion = current_policy(session, OPINION)
    vocational = {item.id for item in opinion.institution_items(level="专科", province="山西")}
    everywhere = [item for item in opinion.institution_items(level="本科", province="山西") if item.id in vocational]
    first = min((line.deadline, item.id) for item in everywhere
                for line in status_lines(item, NOW.date(), None) if line.counted and line.deadline)
    with time_machine.travel(datetime.combine(first[0], time(4), UTC) + timedelta(days=20), tick=False):
        set_record(recorded, SHANXI, first[1], RawChange(status="done"), actor="张老师", policy_id=OPINION)  # late
    with time_machine.travel(NOW, tick=False):
        overview = overview_status(recorded, as_of=as_of, policy_id=policy_id)
        with reading(recorded) as session:
            counts = summary_counts(session, current_policy(session, policy_id), scope=EVERYWHERE,
                                    on=as_of or NOW.date(), as_of=as_of, reporting={SHANXI})

    assert counts.sections == {row.code: row.sections for row in overview.institutions if row.sections}
    if as_of is None and policy_id == OPINION:  # counts of every kind are there to differ (启用前: the test below)
        figures = Completion.total(row.total for row in overview.institutions)
        assert figures.done_late and figures.overdue_current and figures.via_mapping
        assert figures.indicators_reported and figures.indicators_met and figures.stale and figures.not_applicable


def test_the_counts_are_what_was_recorded(recorded):
    tallies = from_sql(recorded, OPINION, None, {SHANXI})

    support = tallies.item("support.16.a")  # 太原理工's through the plan's equal item
    assert support.rated.done == 3 and support.rated.applicable == 3 and support.open == 0
    assert support.rated.via_mapping == 0  # not a figure of these tables
    assert tallies.item("support.16.a", reporting=True).rated.done == 1
    assert tallies.departments["人事处"].rated.applicable == 3  # two done, one in progress
    assert tallies.departments["人事处"].rated.done == 2
    assert "财务处" not in tallies.departments  # 不适用 lines are not in the department table
    assert tallies.schools("support.16", reporting=True) == (1, 1)  # 山西大学: support.16.b still open
    assert tallies.item("support.15.c").rated.not_applicable == 1
    assert tallies.item("support.15.c").rated.weight == tallies.item("support.15.c").rated.applicable - 1


def test_before_start_lines_are_counted_lines_but_not_rated(standing_engine):
    with time_machine.travel(datetime(2025, 10, 1, 2, tzinfo=UTC), tick=False):
        set_record(standing_engine, SHANXI, "guidance.1.a", RawChange(status="done"), actor="张老师")
    set_institution_start(standing_engine, SHANXI, date(2025, 9, 1))  # after guidance.1.a's deadline, 2025-06-30

    tallies = from_sql(standing_engine, None, None, set())

    assert tallies == from_lines(standing_engine, None, None, set(), schools=[SHANXI])
    before = tallies.item("guidance.1.a")
    assert before.lines == 1 and before.rated.applicable == 0 and before.open == 0


def test_a_database_without_the_materialized_hint_counts_the_same(recorded, monkeypatch):
    hinted = from_sql(recorded, OPINION, date(2025, 12, 31), {SHANXI})
    monkeypatch.setattr(tallies_module, "_materialises", lambda session: False)  # SQLite before 3.35
    monkeypatch.setattr(sql_rows, "takes_materialized", lambda dialect: False)  # the lines' JSON read per use

    assert from_sql(recorded, OPINION, date(2025, 12, 31), {SHANXI}) == hinted
