"""Deadlines: the overdue and upcoming obligations of every institution (or one), and their iCalendar export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.file_names import refuse_windows_unsafe
from jobpolicy.domain.periods import ONCE, is_overdue, next_due, occurrences, period_due, period_label
from jobpolicy.domain.status import Status
from jobpolicy.errors import InvalidInput, ReportError, os_reason
from jobpolicy.services._uow import reading
from jobpolicy.services.history import effective_due, end_of_day, replay
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.policies import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution


class State(Protocol):
    """What deadlines read of a record: a RecordState replayed from the log, or a row as stored."""

    item_id: str
    period: str
    status: str
    due: date | None
    owner: str | None
    department: str | None


Recorded = dict[str, dict[str, State]]  # item id -> period -> state, of one institution


@dataclass(frozen=True)
class Obligation:
    """One item of one institution in one period with a due date: overdue, or due within the window."""

    code: str
    institution: str
    item_id: str
    title: str
    period: str
    due: date
    status: str | None  # None: nothing recorded (yet, as of the report date)
    owner: str | None
    department: str | None
    overdue: bool
    days_late: int | None  # overdue only
    days_left: int | None  # upcoming only; 0 means due on the report date


@dataclass(frozen=True)
class CalendarEntry:
    """One (institution, item) for the calendar: ``start`` is the first occurrence, or the one-off due date."""

    code: str
    institution: str
    item: Item
    start: date


@dataclass
class DeadlineReport:
    """Obligations as of a date, overdue first (oldest first), then upcoming by date."""

    policy: Policy
    as_of: date
    within_days: int
    institutions: list[Institution]
    obligations: list[Obligation] = field(default_factory=list)
    calendar: list[CalendarEntry] = field(default_factory=list)

    @property
    def overdue(self) -> list[Obligation]:
        return [o for o in self.obligations if o.overdue]

    @property
    def upcoming(self) -> list[Obligation]:
        return [o for o in self.obligations if not o.overdue]


class _Schedule:
    """Per-item facts every institution shares, computed once: RRULE expansion is the expensive part."""

    def __init__(self, policy: Policy, horizon: date) -> None:
        self.due: dict[str, dict[str, date]] = {}
        self.first: dict[str, date | None] = {}
        for item in policy.items():
            if item.cadence is not None:
                dates = occurrences(item.cadence, item.cadence.start, horizon)
                self.due[item.id] = {period_label(item.cadence, d): d for d in dates}
                self.first[item.id] = next_due(item.cadence, item.cadence.start)
        self._later: dict[tuple[str, str], date | None] = {}
        self._checklists: dict[tuple[str, str], list[Item]] = {}
        self._policy = policy

    def occurrence(self, item: Item, period: str) -> date | None:
        """The due date of a period of a recurring item; periods recorded beyond the horizon are looked up once."""
        known = self.due.get(item.id, {})
        if period in known:
            return known[period]
        if (item.id, period) not in self._later:
            self._later[(item.id, period)] = period_due(item.cadence, period)
        return self._later[(item.id, period)]

    def checklist(self, school: Institution) -> list[Item]:
        key = (school.level, school.province)
        if key not in self._checklists:
            self._checklists[key] = self._policy.institution_items(level=school.level, province=school.province)
        return self._checklists[key]


def _obligation(school: Institution, item: Item, period: str, state: State | None, due: date,
                as_of: date, horizon: date) -> Obligation | None:
    closed = state is not None and Status(state.status).closed
    overdue = is_overdue(due=due, closed=closed, today=as_of)
    if not overdue and not as_of <= due <= horizon:
        return None
    return Obligation(
        code=school.code, institution=school.name, item_id=item.id, title=item.title, period=period, due=due,
        status=state.status if state else None, owner=state.owner if state else None,
        department=state.department if state else None, overdue=overdue,
        days_late=(as_of - due).days if overdue else None, days_left=None if overdue else (due - as_of).days,
    )


def _school(report: DeadlineReport, schedule: _Schedule, school: Institution, recorded: Recorded,
            horizon: date) -> None:
    """Add one institution's obligations and calendar entries to the report."""
    for item in schedule.checklist(school):
        periods = recorded.get(item.id, {})
        wanted = [*schedule.due.get(item.id, {}), *periods] if item.cadence else [ONCE]
        for period in dict.fromkeys(wanted):
            state = periods.get(period)
            if item.cadence is None or (state is not None and state.due is not None):
                due = effective_due(item, state, period)
            else:
                due = schedule.occurrence(item, period)
            if due is None:
                continue
            if item.cadence is None:
                report.calendar.append(CalendarEntry(school.code, school.name, item, due))
            found = _obligation(school, item, period, state, due, report.as_of, horizon)
            if found is not None:
                report.obligations.append(found)
        first = schedule.first.get(item.id)
        if item.cadence is not None and first is not None:
            report.calendar.append(CalendarEntry(school.code, school.name, item, first))


def _states(session: Session, policy: Policy, code: str | None, as_of: date, today: date) -> dict[str, Recorded]:
    """Record states by institution, item and period: the stored rows as they are, or for a past date the
    states replayed from the event log (history.replay, the core of history.states_at, fed by joined queries
    because states_at selects by lists of record ids, which thousands of institutions would overflow)."""
    dated = [item.id for item in policy.items() if item.cadence is not None or item.due is not None]
    records = repo.dated_records(session=session, policy_id=policy.id, item_ids=dated, institution_code=code)
    if as_of < today:
        events = repo.dated_events(session=session, policy_id=policy.id, item_ids=dated, until=end_of_day(as_of),
                                   institution_code=code)
        states = list(replay(records, events).values())
        schools = {r.id: r.institution_code for r in records}
        pairs = [(schools[s.record_id], s) for s in states]
    else:
        pairs = [(r.institution_code, r) for r in records]
    grouped: dict[str, Recorded] = {}
    for school_code, state in pairs:
        grouped.setdefault(school_code, {}).setdefault(state.item_id, {})[state.period] = state
    return grouped


def list_deadlines(engine: Engine, *, institution: str | None = None, within_days: int = 30,
                   as_of: date | None = None, policy_id: str | None = None) -> DeadlineReport:
    """Overdue and upcoming obligations of every stored institution (or one), as of a date.

    Recurring items count every occurrence from the cadence start up to ``as_of + within_days``, so a past
    period left unfinished shows as overdue; one-off items count when they have a due date (the record's own
    wins over the catalog's). For a past ``as_of`` the states are rebuilt from the event log.

    Args:
        engine: the database.
        institution: 学校标识码 of one institution; all stored institutions when None.
        within_days: how far ahead "upcoming" reaches, in days (0 = due on ``as_of`` only).
        as_of: the date to answer for; default today (China).
        policy_id: which policy, when several are loaded.

    Returns:
        The report: obligations overdue first (oldest first), then upcoming by date, then by institution
        code and item id; and one calendar entry per (institution, item) with a date.

    Raises:
        InvalidInput: a negative ``within_days``.
        NotFound: unknown institution or policy.
    """
    if within_days < 0:
        raise InvalidInput(f"天数 {within_days} 无效：不能为负数", hint="给出 0 或正整数，如 --within 30")
    today = clock.today()
    as_of = as_of or today
    horizon = as_of + timedelta(days=within_days)
    with reading(engine) as session:
        policy = current_policy(session, policy_id)
        if institution is not None:
            schools = [get_institution(session, institution)]
        else:
            schools = repo.list_institutions(session=session)
        code = schools[0].code if institution is not None else None
        states = _states(session, policy, code, as_of, today)
    report = DeadlineReport(policy, as_of, within_days, schools)
    schedule = _Schedule(policy, horizon)
    for school in schools:
        _school(report, schedule, school, states.get(school.code, {}), horizon)
    report.obligations.sort(key=lambda o: (not o.overdue, o.due, o.code, o.item_id, o.period))
    return report


def write_calendar(report: DeadlineReport, path: Path, *, stamp: datetime | None = None) -> Path:
    """Write the report's calendar as an iCalendar file (UTF-8, CRLF); ``stamp`` (default now) is its DTSTAMP.

    Raises:
        InvalidInput: Windows would not accept the file name.
        ReportError: the file cannot be written.
    """
    from jobpolicy.render.ics import calendar, deadline_event

    refuse_windows_unsafe(path, option="--ics")
    events = [deadline_event(code=e.code, institution=e.institution, item=e.item, start=e.start)
              for e in report.calendar]
    schools = report.institutions
    scope = schools[0].name if len(schools) == 1 else f"{len(schools)} 所学校"
    name = f"{report.policy.display_title} 落实时限（{scope}）"
    text = calendar(events, name=name, stamp=stamp or clock.now())
    try:
        path.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        raise ReportError(f"无法写入日历文件 {path}（{os_reason(exc)}）",
                          hint="检查目录是否存在、是否有写入权限") from exc
    return path
