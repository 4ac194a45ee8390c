"""Record states as of a moment: the one way the past is rebuilt, shared by status, deadlines, history and reports.

A record's state at a moment is, field by field, the ``new`` value of its latest event (highest id) before that
moment; ``status_at`` is the time of its latest status event. A record without an event by then did not exist yet.
Today's state is the ``record`` table itself, which the same events wrote (``tests/storage`` checks that the two
agree). ``records_as_of`` says the past as one SQL common table expression, status and the 报送 counts aggregate
over it: it rebuilds only the records changed since the moment asked for and reads the others' rows.
``read_states``, for the Python readers, rebuilds each record it reads from the event log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import CTE, ColumnElement, Float, case, cast, except_, func, select, type_coerce, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from jobpolicy.clock import CHINA
from jobpolicy.domain.mapping import Source
from jobpolicy.domain.status import Review, Status
from jobpolicy.domain.values import decode
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Evidence, Record, UTCDateTime

# Every field an event can set on a record, in the order of RecordState; evidence and item moves are not fields.
FIELDS = ("status", "progress", "owner", "department", "due", "value", "note", "na_reason", "review",
          "review_reason", "reassess", "reassess_reason")


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` ends in China (UTC+8): "as of 2025-06-30" includes all of that day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=CHINA).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    """The first instant of ``day`` in China (UTC+8)."""
    return datetime.combine(day, time(), tzinfo=CHINA).astimezone(UTC)


def china_date(moment: datetime | None) -> date | None:
    """The date in China of a UTC moment."""
    return None if moment is None else moment.astimezone(CHINA).date()


def records_as_of(until: datetime, *, fields: Iterable[str] = ("status",),
                  schools: Callable[[ColumnElement], ColumnElement | None] | None = None,
                  name: str = "as_of") -> CTE:
    """One row per record that existed before ``until``: ``record_id``, each wanted field's value then, typed as
    the ``record`` table types it (text, ``value`` a number; ``review`` NULL when never set: read it as a draft),
    and ``status_at``. A common table expression, not a subquery: a statement that reads it twice (status's two
    halves) builds it once.

    The past as a delta from today: a record's fields at ``until`` differ from its row now only if an event set one
    of them at or after ``until``. Those records (few for a report's window) are rebuilt from the event log
    (``_rebuilt``); every other record's state then is its row now (a record created after ``until`` wrote its
    status then, so it is rebuilt, from nothing: it did not exist). One difference from a rebuild of everything:
    a record copied by ``policy load`` keeps its source's ``status_at``, as its row does, where its first status
    event says the load's time; so a past moment after the load reads as today does.

    Args:
        until: the moment; events at or after it are not seen.
        fields: the fields wanted, of ``SQL_FIELDS`` (status aggregates over two; fewer fields, fewer records
            to rebuild).
        schools: the condition limiting the records to some schools, said of a given institution code column
            (asked of the events' and of the records'), e.g. ``Covered.on``; None, or a None condition, for all.
        name: the CTE's name; two moments in one statement need two names.
    """
    wanted = _wanted(fields)
    scope, on_records = (None, None) if schools is None else (schools(Event.institution_code),
                                                               schools(Record.institution_code))
    changed = _changed(until, wanted, scope)
    rebuilt = _rebuilt(until, wanted, scope, only=Event.record_id.in_(changed)).subquery(f"{name}_rebuilt")
    # The others, as the ids of every record EXCEPT the changed ones rather than NOT IN: PostgreSQL hashes a NOT IN
    # only while its list fits in work_mem and else probes the list row by row (an as-of a year back changes most
    # records), while it hashes an EXCEPT and an IN whatever their size; SQLite reads either as fast.
    unchanged = select(Record.id)
    if on_records is not None:
        unchanged = unchanged.where(on_records)
    kept = select(Record.id, *(getattr(Record, name) for name in wanted), Record.status_at).where(
        Record.id.in_(except_(unchanged, changed)))
    return union_all(select(rebuilt.c.record_id, *_typed(rebuilt, wanted), rebuilt.c.status_at), kept).cte(name)


def records_changed(until: datetime, *, fields: Iterable[str] = ("status",),
                    schools: Callable[[ColumnElement], ColumnElement | None] | None = None,
                    name: str = "as_of") -> CTE:
    """``records_as_of`` for a statement that reads the ``record`` table anyway: only the records it rebuilds (one
    of the ``fields`` set at or after ``until``), each by ``record_id``, with ``then_id`` (its id, NULL when it did
    not exist yet), each field's value then and ``status_at``. Every record without a row here was then as its row
    is now. Arguments as ``records_as_of``'s."""
    wanted, scope = _wanted(fields), None if schools is None else schools(Event.institution_code)
    # Each id once, as the records among the changed ones: a DISTINCT over the events would scan them all by record.
    changed = select(Record.id.label("record_id")).where(Record.id.in_(_changed(until, wanted, scope)))
    changed = changed.subquery(f"{name}_ids")
    rebuilt = _rebuilt(until, wanted, scope, only=Event.record_id.in_(select(changed.c.record_id)))
    rebuilt = rebuilt.subquery(f"{name}_rebuilt")
    return (select(changed.c.record_id, rebuilt.c.record_id.label("then_id"), *_typed(rebuilt, wanted),
                   rebuilt.c.status_at).outerjoin(rebuilt, rebuilt.c.record_id == changed.c.record_id).cte(name))


def _wanted(fields: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(("status", *fields)))
    unknown = set(wanted) - set(SQL_FIELDS)
    if unknown:
        raise ValueError(f"records_as_of reads {SQL_FIELDS}, not {sorted(unknown)}")
    return wanted


def _typed(rebuilt, wanted: tuple[str, ...]) -> list:
    """The rebuilt fields typed as the ``record`` table types them (``value`` a number, the others text)."""
    return [cast(rebuilt.c[name], Float).label(name) if name == "value" else rebuilt.c[name] for name in wanted]


# The fields ``records_as_of`` gives in SQL: the text ones, and ``value`` as a number (the others, a date, an integer
# and a flag, are stored as text in events in ways SQL would not read back alike on both back ends).
SQL_FIELDS = ("status", "owner", "department", "value", "note", "na_reason", "review", "review_reason",
              "reassess_reason")


def _changed(until: datetime, wanted: Iterable[str], scope: ColumnElement | None):
    """The ids of the records one of whose ``wanted`` fields an event set at or after ``until``."""
    query = select(Event.record_id).where(Event.at >= until, Event.field.in_(tuple(wanted)))
    return query if scope is None else query.where(scope)


def _rebuilt(until: datetime, wanted: tuple[str, ...], scope: ColumnElement | None,
             only: ColumnElement | None = None):
    """The records rebuilt from the event log alone: ``record_id``, each wanted field's latest value before ``until``
    as the event log stores it (text, see ``domain.values.encode``), ``status_at`` and ``last_event_id`` (the latest
    of those events); ``only``, a further condition on ``Event`` (which records)."""
    latest = (select(Event.record_id, Event.field, func.max(Event.id).label("event_id"))
              .where(Event.at < until, Event.field.in_(wanted)))
    for condition in (scope, only):
        if condition is not None:
            latest = latest.where(condition)
    latest = latest.group_by(Event.record_id, Event.field).subquery("latest")
    event = aliased(Event)

    def pick(name: str):
        return func.max(case((latest.c.field == name, event.new))).label(name)

    status_at = type_coerce(func.max(case((latest.c.field == "status", event.at))), UTCDateTime())
    return (select(latest.c.record_id, *(pick(name) for name in wanted), status_at.label("status_at"),
                   func.max(latest.c.event_id).label("last_event_id"))
            .join(event, event.id == latest.c.event_id).group_by(latest.c.record_id))


@dataclass
class RecordState:
    """One record's fields at some moment, and the evidence it had by then."""

    record_id: int
    institution_code: str
    item_id: str  # today's: a record moved by a newer catalog version shows under its item now, also in the past
    period: str
    status: str = Status.NOT_STARTED.value
    progress: int | None = None
    owner: str | None = None
    department: str | None = None
    due: date | None = None  # the office's plan date (完成时限), not the policy's deadline
    value: float | None = None
    note: str | None = None
    na_reason: str | None = None
    review: str = Review.DRAFT.value
    review_reason: str | None = None
    reassess: bool = False
    reassess_reason: str | None = None
    status_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    via: Source | None = None  # counted through a mapping: the other policy's item the record is kept under

    @property
    def status_day(self) -> date | None:
        """The China date the current status was set: 逾期完成 compares it with the deadline."""
        return china_date(self.status_at)


_KEYS = (Record.id, Record.institution_code, Record.item_id, Record.period)


def _current(session: Session, where: list[ColumnElement]) -> list[RecordState]:
    columns = [getattr(Record, name) for name in FIELDS]
    query = select(*_KEYS, *columns, Record.status_at, Record.updated_at, Record.updated_by).where(*where)
    return [RecordState(*row) for row in session.execute(query)]


def _past(session: Session, where: list[ColumnElement], until: datetime,
          scope: ColumnElement | None) -> list[RecordState]:
    as_of = _rebuilt(until, FIELDS, scope).cte("as_of")
    last = aliased(Event)
    query = (select(*_KEYS, *(as_of.c[name] for name in FIELDS), as_of.c.status_at, last.at, last.actor)
             .join(as_of, as_of.c.record_id == Record.id).join(last, last.id == as_of.c.last_event_id)
             .where(*where))
    states = []
    for row in session.execute(query):
        keys, values, tail = row[:4], row[4:4 + len(FIELDS)], row[4 + len(FIELDS):]
        decoded = {name: decode(name, text) for name, text in zip(FIELDS, values, strict=True) if text is not None}
        states.append(RecordState(*keys, **decoded, status_at=tail[0], updated_at=tail[1], updated_by=tail[2]))
    return states


def read_states(session: Session, *, where: list[ColumnElement], until: datetime | None,
                scope: ColumnElement | None = None, evidence: bool = False) -> list[RecordState]:
    """The states of the records matching ``where`` (conditions on ``Record``), now or at ``until``.

    Args:
        session: an open session.
        where: conditions on ``Record``; one joined query however many institutions they cover.
        until: the moment to rebuild (``end_of_day(as_of)``), or None for the records as they are.
        scope: a condition on ``Event`` narrowing the events read (e.g. one institution's); optional.
        evidence: also attach the evidence each record cited then (``repo.cited``).

    Returns:
        The states, by institution, item and period.
    """
    states = _current(session, where) if until is None else _past(session, where, until, scope)
    states.sort(key=lambda s: (s.institution_code, s.item_id, s.period))
    if evidence and states:
        by_id = {s.record_id: s for s in states}
        query = select(Evidence).join(Record, Record.id == Evidence.record_id).where(*where, repo.cited(until))
        for proof in session.scalars(query.order_by(Evidence.id)):
            if proof.record_id in by_id:
                by_id[proof.record_id].evidence.append(proof)
    return states
