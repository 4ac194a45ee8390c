"""Deadlines: the overdue and upcoming obligations of every institution (or one), and their iCalendar export."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Engine
from sqlmodel import Session

from jobpolicy import clock, safe_files
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.file_names import refuse_windows_unsafe
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.limits import require_days
from jobpolicy.domain.periods import ONCE, next_due, occurrences, period_due, period_label
from jobpolicy.domain.scoring import counted_period
from jobpolicy.domain.standing import Standing, effective_start, standing
from jobpolicy.domain.status import Status
from jobpolicy.errors import InvalidInput, ReportError, os_reason
from jobpolicy.services._uow import reading
from jobpolicy.services.as_of import RecordState, end_of_day
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.mapped_states import read_counted_states
from jobpolicy.services.scope import codes_within, schools_in
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.services.tracking import tracking_start
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Institution, Record

Recorded = dict[str, dict[str, RecordState]]  # item id -> period -> state, of one institution


@dataclass(frozen=True)
class Obligation:
    """One item of one institution in one period with a policy deadline: overdue, due within the window, or
    (when asked for) 启用前 and unfinished."""

    code: str
    institution: str
    item_id: str
    title: str
    period: str
    deadline: date  # the policy's 截止日期
    plan: date | None  # the office's own 完成时限, beside it
    standing: Standing
    current: bool  # the period status counts for this item: its overdue lines make 当期逾期
    status: str | None  # None: nothing recorded (yet, as of the report date)
    owner: str | None
    department: str | None
    days_late: int | None  # overdue only
    days_left: int | None  # upcoming only; 0 means due on the report date

    @property
    def overdue(self) -> bool:
        """Past its deadline and not done."""
        return self.standing is Standing.OVERDUE


@dataclass(frozen=True)
class CalendarEntry:
    """One (institution, item) for the calendar: ``start`` is the first occurrence, or the one-off due date."""

    code: str
    institution: str
    item: Item
    start: date


@dataclass
class DeadlineCounts:
    """How many obligations of one school (or of all) stand where: the figures of its line in ``deadlines``."""

    overdue_cumulative: int = 0  # 累计逾期, earlier occurrences included: what status counts under the same name
    overdue_current: int = 0  # 当期逾期: the overdue ones in the period status counts
    upcoming: int = 0  # due within the window, done or not (not overdue)
    before_start: int = 0  # unfinished 启用前 ones, when asked for
    oldest: date | None = None  # the deadline of the oldest overdue obligation
    oldest_days_late: int | None = None

    def add(self, obligation: Obligation) -> None:
        """Count one obligation."""
        if obligation.standing is Standing.BEFORE_START:
            self.before_start += 1
        elif not obligation.overdue:
            self.upcoming += 1
        else:
            self.overdue_cumulative += 1
            self.overdue_current += obligation.current
            if self.oldest is None or obligation.deadline < self.oldest:
                self.oldest, self.oldest_days_late = obligation.deadline, obligation.days_late

    def __add__(self, other: DeadlineCounts) -> DeadlineCounts:
        oldest = min((c for c in (self, other) if c.oldest is not None), key=lambda c: c.oldest, default=self)
        return DeadlineCounts(self.overdue_cumulative + other.overdue_cumulative,
                              self.overdue_current + other.overdue_current, self.upcoming + other.upcoming,
                              self.before_start + other.before_start, oldest.oldest, oldest.oldest_days_late)


@dataclass(frozen=True)
class SchoolDeadlines:
    """One school's line: its counts."""

    code: str
    name: str
    counts: DeadlineCounts

    @property
    def rank(self) -> tuple:
        """Worst first: the most overdue, then the oldest overdue, then by code."""
        return (-self.counts.overdue_cumulative, self.counts.oldest or date.max, self.code)


@dataclass
class DeadlineReport:
    """Obligations as of a date: a line per school, worst first; with ``detail``, every obligation too, overdue
    first (oldest first), then upcoming by date, 启用前 ones apart."""

    policy: Policy
    as_of: date
    within_days: int
    scope: InstitutionScope
    institutions: list[Institution]
    detail: bool
    schools: list[SchoolDeadlines] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)  # only with detail
    before_start: list[Obligation] = field(default_factory=list)  # only with detail, and when asked for
    calendar: list[CalendarEntry] = field(default_factory=list)

    @property
    def total(self) -> DeadlineCounts:
        """Every school's counts added up."""
        return sum((school.counts for school in self.schools), DeadlineCounts())

    @property
    def covered(self) -> str:
        """Whose obligations these are: one school's name, or the filter and the number of schools."""
        if len(self.institutions) == 1 and self.scope.everything:
            return self.institutions[0].name
        return self.scope.counted(len(self.institutions))

    @property
    def overdue(self) -> list[Obligation]:
        """累计逾期 (with detail): every unfinished occurrence past its deadline since tracking started."""
        return [o for o in self.obligations if o.overdue]

    @property
    def overdue_current(self) -> list[Obligation]:
        """当期逾期 (with detail): the overdue obligations in the period status counts."""
        return [o for o in self.obligations if o.overdue and o.current]

    @property
    def upcoming(self) -> list[Obligation]:
        """Due within the window (with detail)."""
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

    def deadline(self, item: Item, period: str) -> date | None:
        """The policy's deadline of a period (``domain.standing.policy_deadline``), with the cadence expanded once;
        periods recorded beyond the horizon are looked up once."""
        if item.cadence is None:
            return item.due
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


@dataclass(frozen=True)
class _Ask:
    """What the report asks for: the day, how far ahead, whether 启用前 lines are wanted."""

    as_of: date
    horizon: date
    before_start: bool


def _obligation(school: Institution, item: Item, period: str, state: RecordState | None, deadline: date,
                start: date | None, ask: _Ask) -> Obligation | None:
    where = standing(deadline=deadline, start=start, status=state.status if state else None,
                     status_day=state.status_day if state else None, today=ask.as_of)
    overdue = where is Standing.OVERDUE
    if where is Standing.BEFORE_START:
        closed = state is not None and Status(state.status).closed
        if not ask.before_start or closed or deadline > ask.horizon:
            return None
    elif not overdue and not ask.as_of <= deadline <= ask.horizon:
        return None
    counted = counted_period(item, ask.as_of, start)
    return Obligation(
        code=school.code, institution=school.name, item_id=item.id, title=item.title, period=period,
        deadline=deadline, plan=state.due if state else None, standing=where,
        current=counted is not None and counted.period == period, status=state.status if state else None,
        owner=state.owner if state else None, department=state.department if state else None,
        days_late=(ask.as_of - deadline).days if overdue else None,
        days_left=(deadline - ask.as_of).days if where is not Standing.BEFORE_START and not overdue else None,
    )


def _school(calendar: list[CalendarEntry], schedule: _Schedule, school: Institution, recorded: Recorded,
            start: date | None, ask: _Ask) -> Iterator[Obligation]:
    """One institution's obligations, one at a time; its calendar entries go into ``calendar``."""
    for item in schedule.checklist(school):
        periods = recorded.get(item.id, {})
        wanted = [*schedule.due.get(item.id, {}), *periods] if item.cadence else [ONCE]
        for period in dict.fromkeys(wanted):
            deadline = schedule.deadline(item, period)
            if deadline is None:
                continue
            if item.cadence is None:
                calendar.append(CalendarEntry(school.code, school.name, item, deadline))
            found = _obligation(school, item, period, periods.get(period), deadline, start, ask)
            if found is not None:
                yield found
        first = schedule.first.get(item.id)
        if item.cadence is not None and first is not None:
            calendar.append(CalendarEntry(school.code, school.name, item, first))


def _states(session: Session, policy: Policy, covered: list[ColumnElement], events: ColumnElement | None,
            as_of: date, today: date) -> dict[str, Recorded]:
    """Record states of the items with a deadline, by institution, item and period: the stored rows, or for a past
    date the records as they were then (``as_of.read_states``, one joined query for every institution).

    ``covered`` narrows ``Record`` to the schools asked about, ``events`` the event log to theirs."""
    dated = {item.id for item in policy.items() if item.cadence is not None or item.due is not None}
    until = end_of_day(as_of) if as_of < today else None
    grouped: dict[str, Recorded] = {}
    for state in read_counted_states(session, policy, where=covered, until=until, scope=events, items=dated):
        grouped.setdefault(state.institution_code, {}).setdefault(state.item_id, {})[state.period] = state
    return grouped


def _covered(session: Session, institution: str | None, scope: InstitutionScope, codes: Collection[str] | None):
    """The schools asked about, and the conditions on ``Record`` and ``Event`` that read only theirs."""
    if codes is not None:  # some schools of the scope, named (a summary's schools, a chunk at a time)
        wanted = sorted(codes)
        schools = repo.list_institutions(session=session, where=Institution.code.in_(wanted))
        return schools, [Record.institution_code.in_(wanted)], Event.institution_code.in_(wanted)
    schools = [get_institution(session, institution)] if institution is not None else schools_in(session, scope)
    code = schools[0].code if institution is not None else None
    on_records = codes_within(scope, Record.institution_code, code=code)
    return schools, [] if on_records is None else [on_records], codes_within(scope, Event.institution_code, code=code)


def list_deadlines(engine: Engine, *, institution: str | None = None, scope: InstitutionScope = EVERYWHERE,
                   within_days: int = 30, as_of: date | None = None, policy_id: str | None = None,
                   before_start: bool = False, detail: bool | None = None,
                   codes: Collection[str] | None = None) -> DeadlineReport:
    """Overdue and upcoming obligations of the stored institutions of a scope (or of one), as of a date.

    Deadlines are the policy's: every occurrence of a recurring item from the cadence start up to
    ``as_of + within_days`` (so a past period left unfinished shows as overdue), and the catalog's ``due`` of a
    one-off item. A record's own ``due`` is the office's plan date, shown beside the deadline and moving nothing.
    Occurrences due before an institution's tracking start are 启用前: never overdue, listed apart when
    ``before_start`` asks for them (unfinished ones only). For a past ``as_of`` the records are read as they were.

    Every school gets a line of counts (``report.schools``, worst first), added up as its obligations are judged:
    a national report need not hold a million obligations. With ``detail`` the obligations are kept too.

    Args:
        engine: the database.
        institution: 学校标识码 of one institution (then ``scope`` is not used).
        scope: which schools (``services.scope.resolve_scope``); default every stored school.
        within_days: how far ahead "upcoming" reaches, in days (0 = due on ``as_of`` only).
        as_of: the date to answer for; default today (China).
        policy_id: which policy, when several are loaded.
        before_start: also count, and with ``detail`` list, the unfinished 启用前 occurrences.
        detail: keep every obligation (``report.obligations``); default only when one school is covered.
        codes: only these schools of the scope (a report writing its schools' pages a part at a time).

    Returns:
        The report: a line per school, worst first; with detail the obligations overdue first (oldest first),
        then upcoming by date, then by institution code and item id; and one calendar entry per (institution,
        item) with a date.

    Raises:
        InvalidInput: a negative ``within_days``, or one beyond ``limits.MAX_DAYS``.
        NotFound: unknown institution or policy, or a filter that matches no stored school.
    """
    require_days(within_days, "--within")
    today = clock.today()
    as_of = as_of or today
    ask = _Ask(as_of, as_of + timedelta(days=within_days), before_start)
    with reading(engine) as session:
        policy = current_policy(session, policy_id)
        schools, on_records, on_events = _covered(session, institution, scope, codes)
        states = _states(session, policy, on_records, on_events, as_of, today)
        database_start = tracking_start(session)
    keep = len(schools) == 1 if detail is None else detail
    report = DeadlineReport(policy, as_of, within_days, scope if institution is None else EVERYWHERE, schools, keep)
    schedule = _Schedule(policy, ask.horizon)
    for school in schools:
        counts = DeadlineCounts()
        start = effective_start(school.tracking_start, database_start)
        for found in _school(report.calendar, schedule, school, states.pop(school.code, {}), start, ask):
            counts.add(found)
            if keep:
                (report.before_start if found.standing is Standing.BEFORE_START else report.obligations).append(found)
        report.schools.append(SchoolDeadlines(school.code, school.name, counts))
    report.schools.sort(key=lambda school: school.rank)
    order = lambda o: (not o.overdue, o.deadline, o.code, o.item_id, o.period)  # noqa: E731
    report.obligations.sort(key=order)
    report.before_start.sort(key=order)
    return report


def write_calendar(report: DeadlineReport, path: Path, *, stamp: datetime | None = None,
                   overwrite: bool = False) -> Path:
    """Write the report's calendar as an iCalendar file (UTF-8, CRLF); ``stamp`` (default now) is its DTSTAMP.

    An existing file is replaced only when it is a calendar written here, or when ``overwrite`` says so; it is
    replaced whole (``safe_files``), never through a link.

    Raises:
        InvalidInput: Windows would not accept the file name; the file exists and is not our calendar.
        UnsafePath: the file is a link.
        ReportError: the file cannot be written.
    """
    from jobpolicy.render.ics import calendar, deadline_event

    refuse_windows_unsafe(path, option="--ics")
    safe_files.refuse_links(path, option="--ics")
    if not overwrite:
        _refuse_foreign(path)
    events = [deadline_event(code=e.code, institution=e.institution, item=e.item, start=e.start)
              for e in report.calendar]
    name = f"{report.policy.display_title} 落实时限（{report.covered}）"
    text = calendar(events, name=name, stamp=stamp or clock.now())
    try:
        safe_files.write_bytes(path, text.encode("utf-8"), option="--ics")
    except OSError as exc:
        raise ReportError(f"无法写入日历文件 {path}（{os_reason(exc)}）",
                          hint="检查目录是否存在、是否有写入权限") from exc
    return path


def _refuse_foreign(path: Path) -> None:
    """Refuse to replace an existing file that is not a calendar jobpolicy wrote (a filled workbook, say)."""
    from jobpolicy.render.ics import is_own_calendar

    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise InvalidInput(f"--ics {path} 是一个文件夹", hint="给出一个文件名，如 --ics 时限.ics") from None
    except OSError as exc:
        raise ReportError(f"无法读取已有的日历文件 {path}（{os_reason(exc)}）", hint="检查文件权限") from exc
    if not is_own_calendar(head):
        raise InvalidInput(f"{path} 已存在，且不是 jobpolicy 写的日历文件，不会覆盖",
                           hint="换一个文件名；确要覆盖时加 --force")
