"""Reading records: an institution's checklist now or at any past date (``as_of``), judged line by line, and full
histories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.periods import ONCE
from jobpolicy.domain.periods import current_period as cadence_current_period
from jobpolicy.domain.scoring import counted_period
from jobpolicy.domain.standing import Standing, policy_deadline, standing
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services._uow import reading
from jobpolicy.services.as_of import RecordState, end_of_day
from jobpolicy.services.left_behind import LeftBehind, left_behind
from jobpolicy.services.lookup import find_items, get_institution, resolve_item, resolve_period
from jobpolicy.services.mapped_states import read_counted_states, read_partial_states
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.services.tracking import institution_start
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, ImportBatch, Institution, Record


@dataclass
class ChecklistLine:
    """One line of an institution's checklist: an item in one period, with its state if recorded."""

    item: Item
    period: str
    state: RecordState | None
    deadline: date | None  # the policy's 截止日期
    standing: Standing
    counted: bool  # the period status counts for this item (当期)
    partial: list[RecordState] = field(default_factory=list)  # partial evidence through a mapping, never counted

    @property
    def plan(self) -> date | None:
        """The office's own plan date (完成时限), when it set one."""
        return self.state.due if self.state is not None else None

    @property
    def overdue(self) -> bool:
        """Past its deadline and not done (the one rule: ``domain.standing``)."""
        return self.standing is Standing.OVERDUE


@dataclass
class InstitutionRecords:
    """An institution's checklist at a moment, and the day its tracking started."""

    institution: Institution
    policy: Policy
    as_of: date
    start: date
    lines: list[ChecklistLine]
    left_behind: list[LeftBehind] = field(default_factory=list)  # records no line shows (services.left_behind)


def checklist_line(item: Item, period: str, state: RecordState | None, *, start: date | None, today: date,
                   counted: str | None) -> ChecklistLine:
    """One line, judged on ``today`` for an institution tracked from ``start``; ``counted`` is the counted period."""
    deadline = policy_deadline(item, period)
    where = standing(deadline=deadline, start=start, status=state.status if state else None,
                     status_day=state.status_day if state else None, today=today)
    return ChecklistLine(item, period, state, deadline, where, period == counted)


def checklist_lines(policy: Policy, institution: Institution, states: list[RecordState], today: date,
                    start: date | None, partial: list[RecordState] = (),
                    items: list[Item] | None = None) -> list[ChecklistLine]:
    """Every applicable item with each recorded period, plus the counted and the current period of recurring
    items, judged on ``today`` for an institution tracked from ``start``; ``partial`` (records mapped onto an item
    only in part, ``mapped_states.read_partial_states``) is attached to the line of its item and period.

    ``items`` is the institution's checklist (``policy.institution_items``) or a part of it, when the caller has it
    already (a summary asks the same of every school of a level and province)."""
    by_item: dict[str, dict[str, RecordState]] = {}
    for state in states:
        by_item.setdefault(state.item_id, {})[state.period] = state
    if items is None:
        items = policy.institution_items(level=institution.level, province=institution.province)
    lines = _lines(items, by_item, today, start)
    evidence: dict[tuple[str, str], list[RecordState]] = {}
    for state in partial:
        evidence.setdefault((state.item_id, state.period), []).append(state)
    for line in lines:
        line.partial = evidence.get((line.item.id, line.period), [])
    return lines


@lru_cache(maxsize=8192)
def _shown_periods(item: Item, today: date, start: date | None) -> tuple[str | None, tuple[str, ...]]:
    """The period the rates count (last one due since the start; None without) and the periods every checklist
    shows: that one and the one being worked on now (next one due). The same for every school of one start, so
    asked once."""
    counted = counted_period(item, today, start)
    counted_label = counted.period if counted else None
    current = cadence_current_period(item.cadence, today) if item.cadence else ONCE
    return counted_label, tuple(dict.fromkeys((counted_label or ONCE, current)))


def _lines(items: list[Item], by_item: dict[str, dict[str, RecordState]], today: date,
           start: date | None) -> list[ChecklistLine]:
    lines = []
    for item in items:
        periods = dict(by_item.get(item.id, {}))
        counted_label, shown = _shown_periods(item, today, start)
        for wanted in shown:
            periods.setdefault(wanted, None)
        for period in sorted(periods):
            lines.append(checklist_line(item, period, periods[period], start=start, today=today,
                                        counted=counted_label))
    return lines


def show_records(engine: Engine, code: str, *, item_id: str | None = None, as_of: date | None = None,
                 policy_id: str | None = None) -> InstitutionRecords:
    """An institution's checklist with the state of every item, now or at the end of ``as_of``, and after it the
    records left under items its checklist no longer shows (``services.left_behind``). ``item_id`` may name one of
    those too.

    Raises:
        NotFound: unknown institution, policy or item.
    """
    today = as_of or clock.today()
    until = end_of_day(as_of) if as_of else None
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        start = institution_start(session, institution)
        try:
            wanted = None if item_id is None else {i.id for i in find_items(policy, institution, item_id)}
        except (NotFound, InvalidInput):
            behind = left_behind(session, policy, institution, item_id=item_id.strip(), until=until)
            if not behind:
                raise
            return InstitutionRecords(institution, policy, today, start, [], behind)
        mine, events = [Record.institution_code == institution.code], Event.institution_code == institution.code
        states = read_counted_states(session, policy, where=mine, until=until, scope=events, evidence=True)
        partial = read_partial_states(session, policy, where=mine, until=until, scope=events)
        behind = left_behind(session, policy, institution, until=until) if wanted is None else []
    lines = checklist_lines(policy, institution, states, today, start, partial)
    if wanted is not None:
        lines = [line for line in lines if line.item.id in wanted]
    return InstitutionRecords(institution, policy, today, start, lines, behind)


@dataclass
class History:
    """Every event of one item of one institution, oldest first, and the import batches they came in by."""

    institution: Institution
    item: Item | None  # None for an item no checklist shows any more (``services.left_behind``)
    events: list[Event]
    batches: dict[int, ImportBatch] = field(default_factory=dict)  # by id: the importer beside the 填报人
    item_id: str = ""

    def __post_init__(self) -> None:
        self.item_id = self.item_id or self.item.id


def record_history(engine: Engine, code: str, item_id: str, *, period: str | None = None,
                   as_of: date | None = None, policy_id: str | None = None) -> History:
    """The full event history of an item (all periods unless one is given), following moved records; also of an
    item the institution's checklist no longer shows, by its id, where records were left under it.

    Raises:
        NotFound: unknown institution or item.
        InvalidInput: a period that names no period of the item.
    """
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        try:
            item = resolve_item(policy, institution, item_id)
        except (NotFound, InvalidInput):
            item = None
            if not left_behind(session, policy, institution, item_id=item_id.strip(), until=None):
                raise
        wanted = item.id if item is not None else item_id.strip()
        records = repo.records_of(session=session, institution_code=institution.code, policy_id=policy.id,
                                  item_id=wanted)
        if period is not None:
            label = resolve_period(item, period, clock.today()) if item is not None else period.strip()
            records = [r for r in records if r.period == label]
        until = end_of_day(as_of) if as_of else None
        events = repo.events_of(session=session, record_ids=[r.id for r in records], until=until)
        batches = repo.import_batches(session=session, ids=(e.batch_id for e in events))
    return History(institution, item, events, batches, wanted)
