"""The one overdue rule, said twice: ``domain.standing`` in Python and ``standing_sql`` in SQL agree, and so do status,
deadlines and record show, over random histories and dates (past ones included) on SQLite and PostgreSQL.

Each example adds an institution of its own (random tracking start; the database's start is random too), writes a
random history of status changes through ``record set`` at random moments (some near midnight in China, some on a
deadline day), then asks about random days. The expected answer is computed here from the domain rule alone: the
status each line had at the end of the day (a fold over the history written) judged by ``domain.standing``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, select
from sqlmodel import Session

from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.scoring import Completion, status_lines
from jobpolicy.domain.standing import Standing, effective_start, standing
from jobpolicy.services.as_of import china_date, end_of_day, records_as_of
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.history import show_records
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.standing_sql import effective_start_sql, lines_cte, standing_sql
from jobpolicy.services.status import institution_status
from jobpolicy.services.tracking import set_database_start, tracking_start
from jobpolicy.storage.models import Institution, Record

PATH = Path(__file__).parents[1] / "data" / "catalogs" / "good_standing" / "standing.yaml"
POLICY = load_policy_file(PATH)
PERIODS = {
    "guidance.1.a": ["once"], "guidance.1.b": ["once"], "guidance.1.c": ["2024", "2025", "2026"],
    "guidance.1.d": ["2025-07", "2025-08", "2025-12", "2026-07", "2026-09"],
}
STATUSES = ("not_started", "in_progress", "done", "not_applicable")
NOW = datetime(2027, 6, 1, 2, tzinfo=UTC)  # after every moment written: every day asked about is in the past
FIRST, LAST = date(2024, 6, 1), date(2027, 2, 28)
# Deadlines, the days after them and the first day of the monthly cadence: where an off-by-one would show.
EDGES = sorted({d + timedelta(days=k) for d in (date(2024, 12, 31), date(2025, 6, 30), date(2025, 7, 31),
                                               date(2025, 8, 31), date(2025, 12, 31), date(2026, 7, 31),
                                               date(2026, 12, 31)) for k in (-1, 0, 1)})
days = st.one_of(st.dates(FIRST, LAST), st.sampled_from(EDGES))
codes = (f"99{n:08d}" for n in itertools.count(1))


@dataclass(frozen=True)
class Change:
    """One ``record set --status`` at a moment in China."""

    day: date
    minute: int  # of the day in China; near 0 or 1439 the China date and the UTC date differ
    item: str
    period: str
    status: str

    @property
    def moment(self) -> datetime:
        return datetime.combine(self.day, time(self.minute // 60, self.minute % 60), tzinfo=CHINA).astimezone(UTC)


changes = st.builds(
    Change, day=days, minute=st.one_of(st.integers(0, 1439), st.sampled_from([0, 1, 479, 480, 1438, 1439])),
    item=st.sampled_from(sorted(PERIODS)), period=st.integers(0, 4), status=st.sampled_from(STATUSES),
).map(lambda c: Change(c.day, c.minute, c.item, PERIODS[c.item][c.period % len(PERIODS[c.item])], c.status))


def write(engine, code: str, history: list[Change]) -> None:
    for change in sorted(history, key=lambda c: c.moment):
        reason = "本校无此情况" if change.status == "not_applicable" else None
        with time_machine.travel(change.moment, tick=False):
            set_record(engine, code, change.item, RawChange(status=change.status, na_reason=reason), actor="测试",
                       period=change.period, policy_id=POLICY.id)


def status_then(history: list[Change], item: str, period: str, until: datetime) -> tuple[str, datetime] | None:
    """The status a record had at ``until`` and when it was set: the last change of value before then."""
    found = None
    for change in sorted(history, key=lambda c: c.moment):
        if change.moment >= until or (change.item, change.period) != (item, period):
            continue
        if found is None or found[0] != change.status:  # setting the same status again writes nothing
            found = (change.status, change.moment)
    return found


def expected(history: list[Change], start: date | None, day: date) -> dict[tuple[str, str], tuple[Standing, bool]]:
    """Every line status judges on ``day``, with its standing by the domain rule and whether it is counted."""
    until = end_of_day(day)
    lines = {}
    for item in POLICY.items():
        for line in status_lines(item, day, start):
            state = status_then(history, item.id, line.period, until)
            where = standing(deadline=line.deadline, start=start, status=state[0] if state else None,
                             status_day=china_date(state[1]) if state else None, today=day)
            lines[(item.id, line.period)] = (where, line.counted)
    return lines


def sql_standings(engine, code: str, day: date) -> dict[tuple[str, str], Standing]:
    """The standing of each line by ``standing_sql``, over the records as they were at the end of ``day``."""
    with Session(engine) as session:
        database_start = tracking_start(session)
        own = session.get(Institution, code).tracking_start
        lines = lines_cte(POLICY, day, [own], database_start, dialect=engine.dialect)
        past = records_as_of(end_of_day(day), fields=("status",), schools=lambda column: column == code)
        where = standing_sql(deadline=lines.c.deadline, late_from=lines.c.late_from,
                             start=effective_start_sql(Institution.tracking_start, database_start),
                             status=past.c.status, status_at=past.c.status_at, today=day)
        query = (select(lines.c.item_id, lines.c.period, where).select_from(Institution)
                 .join(lines, Institution.tracking_start.between(lines.c.lo, lines.c.hi))
                 .outerjoin(Record, and_(Record.institution_code == Institution.code, Record.policy_id == POLICY.id,
                                         Record.item_id == lines.c.item_id, Record.period == lines.c.period))
                 .outerjoin(past, past.c.record_id == Record.id).where(Institution.code == code))
        return {(item, period): Standing(value) for item, period, value in session.execute(query)}


def counts(lines: dict[tuple[str, str], tuple[Standing, bool]]) -> dict[str, int]:
    def how_many(wanted, *, counted_only=True) -> int:
        return sum(1 for where, counted in lines.values() if where in wanted and (counted or not counted_only))

    live = set(Standing) - {Standing.BEFORE_START}
    return {"applicable": how_many(live), "done": how_many({Standing.DONE, Standing.DONE_LATE}),
            "not_applicable": how_many({Standing.NOT_APPLICABLE}), "overdue_current": how_many({Standing.OVERDUE}),
            "overdue_cumulative": how_many({Standing.OVERDUE}, counted_only=False),
            "done_late": how_many({Standing.DONE_LATE}), "before_start": how_many({Standing.BEFORE_START})}


def of(completion: Completion) -> dict[str, int]:
    return {name: getattr(completion, name) for name in (
        "applicable", "done", "not_applicable", "overdue_current", "overdue_cumulative", "done_late", "before_start")}


def check_day(engine, code: str, history: list[Change], start: date | None, day: date) -> None:
    lines = expected(history, start, day)
    # The SQL expression and the domain function, line by line.
    assert sql_standings(engine, code, day) == {key: where for key, (where, _) in lines.items()}
    # status (SQL aggregation), deadlines and record show (Python readers of the same rebuilt records).
    assert of(institution_status(engine, code, as_of=day, policy_id=POLICY.id).total) == counts(lines)
    report = list_deadlines(engine, institution=code, as_of=day, within_days=0, policy_id=POLICY.id)
    assert {(o.item_id, o.period) for o in report.overdue} == {
        key for key, (where, _) in lines.items() if where is Standing.OVERDUE}
    assert len(report.overdue_current) == counts(lines)["overdue_current"]
    for line in show_records(engine, code, as_of=day, policy_id=POLICY.id).lines:
        key = (line.item.id, line.period)
        if key in lines:
            assert (line.standing, line.counted) == lines[key], key


@settings(max_examples=40, deadline=None, database=None,
          # One database for all examples is the point: each example adds an institution of its own.
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(own_start=st.one_of(st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.sampled_from(EDGES)),
       database_start=st.one_of(st.dates(date(2023, 1, 1), date(2026, 6, 30)), st.sampled_from(EDGES)),
       history=st.lists(changes, max_size=10), asked=st.lists(days, min_size=1, max_size=3))
def test_sql_and_python_judge_every_line_alike(standing_engine, own_start, database_start, history, asked):
    engine = standing_engine
    code = next(codes)
    add_institution(engine, code, name=f"示例学院{code}", province="山西省", level="本科", start=own_start)
    set_database_start(engine, database_start)
    start = effective_start(own_start, database_start)
    write(engine, code, history)
    with time_machine.travel(NOW, tick=False):
        for day in asked:
            check_day(engine, code, history, start, day)
        # Today's answer comes from the record table, not the log: the same rule still holds.
        now = counts(expected(history, start, NOW.astimezone(CHINA).date()))
        assert of(institution_status(engine, code, policy_id=POLICY.id).total) == now


def test_the_examples_meet_every_standing(standing_engine):
    """The cases above are not vacuous: one fixed history meets all six standings and both overdue counts."""
    engine, code = standing_engine, next(codes)
    add_institution(engine, code, name="示例学院", province="山西省", level="本科", start=date(2025, 7, 1))
    set_database_start(engine, date(2024, 1, 1))
    history = [Change(date(2025, 9, 1), 600, "guidance.1.b", "once", "not_applicable"),
               Change(date(2025, 12, 31), 1439, "guidance.1.c", "2025", "done"),  # 23:59 on the day: on time
               Change(date(2025, 8, 1), 0, "guidance.1.d", "2025-07", "done")]  # 00:00 the next day: late
    write(engine, code, history)
    with time_machine.travel(NOW, tick=False):
        lines = expected(history, date(2025, 7, 1), date(2025, 10, 15))
        assert {where for where, _ in lines.values()} == {
            Standing.BEFORE_START, Standing.NOT_APPLICABLE, Standing.DONE_LATE, Standing.OVERDUE, Standing.NOT_DUE}
        assert lines[("guidance.1.d", "2025-08")] == (Standing.OVERDUE, False)  # only 累计逾期 counts it
        check_day(engine, code, history, date(2025, 7, 1), date(2025, 10, 15))
        assert expected(history, date(2025, 7, 1), date(2026, 1, 1))[("guidance.1.c", "2025")][0] is Standing.DONE
        check_day(engine, code, history, date(2025, 7, 1), date(2026, 1, 1))


def test_a_status_set_again_keeps_the_time_it_was_first_set(standing_engine):
    """逾期完成 compares the time the status became done, not the time it was last confirmed."""
    engine, code = standing_engine, next(codes)
    add_institution(engine, code, name="示例学院", province="山西省", level="本科", start=date(2024, 1, 1))
    history = [Change(date(2025, 12, 30), 600, "guidance.1.c", "2025", "done"),
               Change(date(2026, 1, 5), 600, "guidance.1.c", "2025", "done")]
    write(engine, code, history)
    with time_machine.travel(NOW, tick=False):
        assert expected(history, date(2024, 1, 1), date(2026, 2, 1))[("guidance.1.c", "2025")][0] is Standing.DONE
        check_day(engine, code, history, date(2024, 1, 1), date(2026, 2, 1))



def test_a_deadline_on_the_start_day_counts(standing_engine):
    """Started on the very day a one-off item falls due: it counts, and is overdue the next day."""
    engine, code = standing_engine, next(codes)
    add_institution(engine, code, name="示例学院", province="山西省", level="本科", start=date(2025, 6, 30))
    set_database_start(engine, date(2025, 6, 30))
    with time_machine.travel(NOW, tick=False):
        assert expected([], date(2025, 6, 30), date(2025, 7, 1))[("guidance.1.a", "once")] == (Standing.OVERDUE, True)
        check_day(engine, code, [], date(2025, 6, 30), date(2025, 7, 1))
