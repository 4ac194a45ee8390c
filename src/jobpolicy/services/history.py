"""Reading records: the state now or at any past date (rebuilt from the event log), and full histories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.periods import ONCE, period_due
from jobpolicy.domain.periods import current_period as cadence_current_period
from jobpolicy.domain.scoring import counted_period
from jobpolicy.domain.status import Review, Status
from jobpolicy.domain.values import decode
from jobpolicy.services._uow import reading
from jobpolicy.services.lookup import get_institution, resolve_item, resolve_period
from jobpolicy.services.policies import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Evidence, ImportBatch, Institution, Record


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` ends in China (UTC+8): "as of 2025-06-30" includes all of that day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=CHINA).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    """The first instant of ``day`` in China (UTC+8)."""
    return datetime.combine(day, time(), tzinfo=CHINA).astimezone(UTC)


@dataclass
class RecordState:
    """One record's fields at some moment."""

    record_id: int
    item_id: str
    period: str
    status: str = Status.NOT_STARTED.value
    progress: int | None = None
    owner: str | None = None
    department: str | None = None
    due: date | None = None
    value: float | None = None
    note: str | None = None
    na_reason: str | None = None
    review: str = Review.DRAFT.value
    review_reason: str | None = None
    reassess: bool = False
    reassess_reason: str | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    @classmethod
    def of(cls, record: Record) -> RecordState:
        names = [f for f in cls.__dataclass_fields__ if f not in ("record_id", "evidence")]
        return cls(record_id=record.id, **{n: getattr(record, n) for n in names})


def replay(records: list[Record], events: list[Event]) -> dict[int, RecordState]:
    """Rebuild record states from their events (oldest first); records without events are absent."""
    by_id = {r.id: r for r in records}
    states: dict[int, RecordState] = {}
    for event in events:
        record = by_id[event.record_id]
        state = states.get(event.record_id)
        if state is None:
            # Keyed by the record's item id today: a record moved by a newer catalog version shows under
            # the item it belongs to now, also for dates before the move.
            state = states[event.record_id] = RecordState(record.id, record.item_id, record.period)
        if event.field in ("evidence", "item_id"):
            continue  # evidence rows carry their own time (see states_at); the item id is today's
        setattr(state, event.field, decode(event.field, event.new))
        state.updated_at, state.updated_by = event.at, event.actor
    return states


def states_at(session: Session, records: list[Record], as_of: date | None) -> dict[int, RecordState]:
    """Current states, or the states at the end of ``as_of`` rebuilt from the event log."""
    ids = [r.id for r in records]
    if as_of is None:
        states = {r.id: RecordState.of(r) for r in records}
        until = None
    else:
        until = end_of_day(as_of)
        states = replay(records, repo.events_of(session=session, record_ids=ids, until=until))
    for evidence in repo.evidence_of(session=session, record_ids=ids, until=until):
        if evidence.record_id in states:
            states[evidence.record_id].evidence.append(evidence)
    return states


def effective_due(item: Item, state: RecordState | None, period: str) -> date | None:
    """A due date set on the record wins; else the occurrence's date, else the catalog's one-off date."""
    if state is not None and state.due is not None:
        return state.due
    if item.cadence is not None and period != ONCE:
        return period_due(item.cadence, period)
    return item.due


@dataclass
class ChecklistLine:
    """One line of an institution's checklist: an item in one period, with its state if recorded."""

    item: Item
    period: str
    state: RecordState | None
    due: date | None
    overdue: bool


@dataclass
class InstitutionRecords:
    """An institution's checklist at a moment."""

    institution: Institution
    policy: Policy
    as_of: date
    lines: list[ChecklistLine]


def checklist_lines(policy: Policy, institution: Institution, states: list[RecordState],
                    today: date) -> list[ChecklistLine]:
    """Every applicable item with each recorded period, plus the current period of recurring items."""
    by_item: dict[str, dict[str, RecordState]] = {}
    for state in states:
        by_item.setdefault(state.item_id, {})[state.period] = state
    lines = []
    for item in policy.institution_items(level=institution.level, province=institution.province):
        periods = dict(by_item.get(item.id, {}))
        # The period the rates count (last one due) and the one being worked on now (next one due).
        counted = counted_period(item, today)
        for wanted in {counted.period if counted else ONCE,
                       cadence_current_period(item.cadence, today) if item.cadence else ONCE}:
            periods.setdefault(wanted, None)
        for period in sorted(periods):
            state = periods[period]
            due = effective_due(item, state, period)
            closed = state is not None and Status(state.status).closed
            lines.append(ChecklistLine(item, period, state, due, due is not None and due < today and not closed))
    return lines


def show_records(engine: Engine, code: str, *, item_id: str | None = None, as_of: date | None = None,
                 policy_id: str | None = None) -> InstitutionRecords:
    """An institution's checklist with the state of every item, now or at the end of ``as_of``.

    Raises:
        NotFound: unknown institution, policy or item.
    """
    today = as_of or clock.today()
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        if item_id is not None:
            resolve_item(policy, institution, item_id)
        records = repo.records_of(session=session, institution_code=institution.code, policy_id=policy.id,
                                  item_id=item_id)
        states = list(states_at(session, records, as_of).values())
    lines = checklist_lines(policy, institution, states, today)
    if item_id is not None:
        lines = [line for line in lines if line.item.id == item_id]
    return InstitutionRecords(institution, policy, today, lines)


@dataclass
class History:
    """Every event of one item of one institution, oldest first, and the import batches they came in by."""

    institution: Institution
    item: Item
    events: list[Event]
    batches: dict[int, ImportBatch] = field(default_factory=dict)  # by id: the importer beside the 填报人


def record_history(engine: Engine, code: str, item_id: str, *, period: str | None = None,
                   as_of: date | None = None, policy_id: str | None = None) -> History:
    """The full event history of an item (all periods unless one is given), following moved records.

    Raises:
        NotFound: unknown institution or item.
        InvalidInput: a period that names no period of the item.
    """
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        item = resolve_item(policy, institution, item_id)
        records = repo.records_of(session=session, institution_code=institution.code, policy_id=policy.id,
                                  item_id=item.id)
        if period is not None:
            label = resolve_period(item, period, clock.today())
            records = [r for r in records if r.period == label]
        until = end_of_day(as_of) if as_of else None
        events = repo.events_of(session=session, record_ids=[r.id for r in records], until=until)
        batches = repo.import_batches(session=session, ids=(e.batch_id for e in events))
    return History(institution, item, events, batches)
