"""The past as a delta from today: ``records_as_of`` rebuilds from the event log only the records changed since the
moment asked for and reads the others' rows; for every moment it says what a rebuild of every record from the event
log alone says, on SQLite and PostgreSQL.

A seeded history over the split catalog (``good_split``): three schools' records set, changed several times, given
evidence, submitted, accepted and returned at random moments; then a new version loaded, which moves some records to
new items and copies others (a split); then more changes, and records created after the load. Every record is
compared at many moments: each moment of the history, just before it, and between.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select
from sqlmodel import Session

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.values import decode
from jobpolicy.errors import InvalidInput
from jobpolicy.services import as_of
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import accept, return_item, submit
from jobpolicy.storage.models import Event, Record

CATALOGS = Path(__file__).parents[1] / "data" / "catalogs" / "good_split"
OLD_ITEMS = ("guidance.1.a", "guidance.1.b", "guidance.1.c", "guidance.1.d", "guidance.1.k", "guidance.1.m")
NEW_ITEMS = ("guidance.1.e", "guidance.1.f", "guidance.1.g", "guidance.1.d")
SCHOOLS = (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL)
BEGIN = datetime(2025, 3, 1, 1, tzinfo=UTC)
LOADED = datetime(2025, 6, 1, 2, tzinfo=UTC)
NOW = datetime(2025, 9, 1, 2, tzinfo=UTC)
FIELDS = ("status", "department", "value", "note", "na_reason", "review", "review_reason")


@pytest.fixture
def split_engine(db_url, templates):
    from conftest import _database_of

    yield from _database_of(db_url, CATALOGS / "demo-v1.yaml", templates)


def _step(engine, chance: random.Random, items: tuple[str, ...], n: int) -> None:
    """One random step of an office or the province: a change (status, department, value, note, evidence), or a
    submission, an acceptance or a return; a step the services refuse is skipped."""
    code, item = chance.choice(SCHOOLS), chance.choice(items)
    kind = chance.choice(("set", "set", "set", "evidence", "submit", "accept", "return"))
    try:
        if kind == "set":
            status = chance.choice(("not_started", "in_progress", "done", "not_applicable", None))
            set_record(engine, code, item, RawChange(
                status=status, na_reason="本校无此情况" if status == "not_applicable" else None,
                department=chance.choice((None, "就业处", "学工部")), value=chance.choice((None, "36", "0.5")),
                note=chance.choice((None, f"备注{n}"))), actor="学校")
        elif kind == "evidence":
            set_record(engine, code, item, RawChange(evidence=(f"https://e.example.cn/{n}",)), actor="学校")
        elif kind == "submit":
            submit(engine, code, actor="学校")
        elif kind == "accept":
            accept(engine, code, [], actor="省厅")
        else:
            return_item(engine, code, item, "请补充材料", actor="省厅")
    except InvalidInput:
        pass


@pytest.fixture
def history(split_engine) -> list[datetime]:
    """Run the seeded history; the moments of its steps."""
    engine, chance = split_engine, random.Random(20261130)
    for code in SCHOOLS[1:]:
        add_institution(engine, code, start=BEGIN.date())
    before = sorted(BEGIN + timedelta(minutes=chance.randrange(1, 130_000)) for _ in range(60))
    after = sorted(LOADED + timedelta(minutes=chance.randrange(1, 130_000)) for _ in range(40))
    for n, moment in enumerate(before):
        with time_machine.travel(moment, tick=False):
            _step(engine, chance, OLD_ITEMS, n)
    with time_machine.travel(LOADED, tick=False):
        load_policy_version(engine, CATALOGS / "demo-v2.yaml", actor="管理员")
    for n, moment in enumerate(after, start=len(before)):
        with time_machine.travel(moment, tick=False):
            _step(engine, chance, NEW_ITEMS, n)
    return [*before, LOADED, *after]


def _delta(session: Session, until: datetime, schools=None) -> dict[int, tuple]:
    cte = as_of.records_as_of(until, fields=FIELDS, schools=schools)
    return {row[0]: _seen(row[1:-1]) + (row[-1],) for row in session.execute(select(cte))}


def _full(session: Session, until: datetime, schools=None) -> dict[int, tuple]:
    """Every record rebuilt from the event log alone, decoded as the record table types the fields."""
    scope = None if schools is None else schools(Event.institution_code)
    rebuilt = as_of._rebuilt(until, ("status", *FIELDS[1:]), scope).subquery()
    return {row[0]: _seen(decode(name, text) for name, text in zip(FIELDS, row[1:-2], strict=True)) + (row[-2],)
            for row in session.execute(select(rebuilt))}


def _seen(values) -> tuple:
    """A review never set reads as a draft (the consumers coalesce it)."""
    values = list(values)
    values[FIELDS.index("review")] = values[FIELDS.index("review")] or "draft"
    return tuple(values)


def _copies(session: Session) -> set[int]:
    """The records the load created (copies of a split item): their first event is the load's."""
    first = select(Event.record_id, func.min(Event.id).label("id")).group_by(Event.record_id).subquery()
    return set(session.scalars(select(first.c.record_id).join(Event, Event.id == first.c.id)
                               .where(Event.source.like("政策版本%"))))


def _alike(delta: dict, full: dict, copies: set[int]) -> None:
    """Equal, but for a copy's ``status_at``: its row keeps its source's time, the full rebuild says the load's."""
    assert delta.keys() == full.keys()
    for record_id, state in full.items():
        if record_id in copies:
            assert delta[record_id][:-1] == state[:-1], record_id
        else:
            assert delta[record_id] == state, record_id


def test_the_delta_equals_a_rebuild_of_everything_at_every_moment(split_engine, history):
    with time_machine.travel(NOW, tick=False), Session(split_engine) as session:
        copies = _copies(session)
        moments = sorted({*history, *(m - timedelta(microseconds=1) for m in history), BEGIN, NOW})
        for until in moments:
            _alike(_delta(session, until), _full(session, until), copies)
        def school(column):
            return column == TAIYUAN_TECH

        for until in moments[::7]:
            delta = _delta(session, until, school)
            _alike(delta, _full(session, until, school), copies)
            assert {r.institution_code for r in session.scalars(select(Record).where(Record.id.in_(delta)))} <= {
                TAIYUAN_TECH}


def test_the_history_has_what_the_delta_must_handle(split_engine, history):
    """Not vacuous: records created after a moment, changed several times after it, moved and copied by the load,
    with evidence, and moments at which some records are rebuilt and others read from their rows."""
    with Session(split_engine) as session:
        events = list(session.scalars(select(Event)))
        copies = _copies(session)
    by_record: dict[int, list[Event]] = {}
    for event in events:
        by_record.setdefault(event.record_id, []).append(event)
    assert copies
    assert any(e.field == "item_id" and e.record_id not in copies for e in events)  # a record moved
    assert any(e.field == "evidence" for e in events)
    assert any(e.field == "review" for e in events)
    assert sum(1 for found in by_record.values() if len({e.at for e in found if e.field == "status"}) >= 3) >= 3
    midway = LOADED + timedelta(minutes=1)
    created_after = [r for r, found in by_record.items() if min(e.at for e in found) >= midway]
    changed_after = [r for r, found in by_record.items()
                     if min(e.at for e in found) < midway <= max(e.at for e in found if e.field in FIELDS)]
    untouched = [r for r, found in by_record.items() if max(e.at for e in found) < midway]
    assert created_after and changed_after and untouched


def test_a_field_outside_the_sql_ones_is_refused():
    with pytest.raises(ValueError, match="due"):
        as_of.records_as_of(NOW, fields=("due",))
