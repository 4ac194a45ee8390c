"""Status: the three rates, overdue and stale counts per section and per institution, aggregated in SQL.

What is counted, on a date D (``as_of``, default today in China):

- The lines: every item whose actor is ``university`` and whose applicability (``catalog_item.levels`` /
  ``provinces``) matches the institution, one line per item. A one-off item counts its period ``once``. A recurring
  item counts the most recent occurrence due on or before D, or its first occurrence when none is due yet
  (``domain.scoring.counted_period``): last year's annual report is assessed until this year's falls due. That
  period depends only on the item and D, so the map item → period is computed in Python and joined in as a CTE.
- The state of a line: its record in that period. Without ``as_of`` the ``record`` table is read; with ``as_of``
  each field (status, value, due) is the ``new`` value of its latest event before the end of D
  (``history.end_of_day``), found with ``GROUP BY record_id, field`` and ``MAX(event.id)``; a record without an event
  by then did not exist yet.
- Overdue 逾期: the due date has passed (due < D) and the line is not done or 不适用, recorded or not. The due date is
  the record's own ``due`` when set, else the occurrence's date, else the catalog's one-off ``due``.
- Stale 待更新: a recurring line marked done that has no evidence added inside its period's window, i.e. on or after
  the day after the previous occurrence was due (the cadence start for the first occurrence) and before the end of D.
  Evidence from an earlier window proves an earlier period, and a recurring line done without any evidence has
  nothing to show for the current one: both need updating.
- Indicators: a line with an indicator and a reported value (not 不适用) counts as reported; it is met when the
  value satisfies the catalog comparator and target. Reported indicators whose target is a 参考指标 (not set by the
  policy's own text, ``Item.reference_indicator``) are counted apart, so 达标率 can say what it rests on.

The aggregation is one ``GROUP BY institution, section`` over ``institution × catalog_item × counted period``,
left-joined to ``record`` by its unique key (an index lookup per line on SQLite; a past state is then joined by
record id) and to the latest evidence per record. Python only turns the grouped rows into ``Completion`` values and
adds them up. ``benchmarks/status_national.py`` times it over the 2,952 普通高校 of the bundled list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Engine, Float, and_, case, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.domain.catalog import COMPARATORS, Actor, Policy
from jobpolicy.domain.scoring import Completion, counted_period
from jobpolicy.domain.status import Status
from jobpolicy.errors import ThresholdNotMet
from jobpolicy.services._uow import reading
from jobpolicy.services.history import end_of_day, start_of_day
from jobpolicy.services.institutions import match_province
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.policies import current_policy
from jobpolicy.storage.models import CatalogItem, Event, Evidence, Institution, PolicyVersion, Record, UTCDateTime

Scope = Callable[[ColumnElement], ColumnElement | None]
_CLOSED = (Status.DONE.value, Status.NOT_APPLICABLE.value)


@dataclass(frozen=True)
class SectionStatus:
    """One section (体系) and its completion."""

    id: str
    title: str
    completion: Completion


@dataclass
class InstitutionStatus:
    """One institution's completion, per section and in total."""

    institution: Institution
    policy: Policy
    as_of: date
    sections: list[SectionStatus]
    total: Completion

    @property
    def subject(self) -> str:
        """Whose figures these are, for messages."""
        return f"{self.institution.name}的"

    @property
    def next_step(self) -> str:
        """Where to look next, for hints."""
        return f"运行 jobpolicy record show {self.institution.code} 查看未完成和逾期的检查项"


@dataclass(frozen=True)
class InstitutionRow:
    """One institution in an overview: its total and its completion per section id."""

    code: str
    name: str
    province: str
    level: str
    total: Completion
    sections: dict[str, Completion] = field(default_factory=dict)


@dataclass
class OverviewStatus:
    """Completion of many institutions, sorted by code, with the sections every row has a cell for."""

    policy: Policy
    as_of: date
    province: str | None
    sections: list[tuple[str, str]]  # (id, title) in policy order
    institutions: list[InstitutionRow]
    total: Completion

    @property
    def subject(self) -> str:
        """Whose figures these are, for messages."""
        return f"{self.province or '全部'} {len(self.institutions)} 所学校的总体"

    @property
    def next_step(self) -> str:
        """Where to look next, for hints."""
        return "运行 jobpolicy status 学校标识码 查看某校各体系的情况"


def institution_status(engine: Engine, code: str, *, as_of: date | None = None,
                       policy_id: str | None = None) -> InstitutionStatus:
    """Completion of one institution per section (体系) and in total, now or at the end of ``as_of``.

    Args:
        engine: the database.
        code: 学校标识码.
        as_of: answer from the event log as of the end of this day (China time); default now.
        policy_id: which policy, when several are loaded.

    Returns:
        Every section with university items (a section with nothing applicable has an empty Completion).

    Raises:
        NotFound: unknown institution or policy.
    """
    on = as_of or clock.today()
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        grouped = _aggregate(session, policy, on, as_of, lambda column: column == institution.code)
    per_section = grouped.get(institution.code, {})
    sections = [SectionStatus(sid, title, per_section.get(sid, Completion())) for sid, title in _sections(policy)]
    return InstitutionStatus(institution, policy, on, sections, sum((s.completion for s in sections), Completion()))


def overview_status(engine: Engine, *, province: str | None = None, as_of: date | None = None,
                    policy_id: str | None = None) -> OverviewStatus:
    """Completion of every stored institution (of one province when given), each per section, sorted by code.

    Args:
        engine: the database.
        province: ``山西`` or ``山西省``; default all provinces.
        as_of: answer from the event log as of the end of this day (China time); default now.
        policy_id: which policy, when several are loaded.

    Raises:
        InvalidInput: the province is not recognised.
        NotFound: unknown policy.
    """
    wanted = match_province(province) if province else None
    on = as_of or clock.today()

    def scope(column: ColumnElement) -> ColumnElement | None:
        if wanted is None:
            return None
        return column.in_(select(Institution.code).where(Institution.province == wanted))

    with reading(engine) as session:
        policy = current_policy(session, policy_id)
        grouped = _aggregate(session, policy, on, as_of, scope)
        query = select(Institution.code, Institution.name, Institution.province, Institution.level)
        if wanted is not None:
            query = query.where(Institution.province == wanted)
        listed = session.execute(query.order_by(Institution.code)).all()
    rows = []
    for code, name, prov, level in listed:
        per_section = grouped.get(code, {})
        rows.append(InstitutionRow(code, name, prov, level, sum(per_section.values(), Completion()), per_section))
    total = sum((row.total for row in rows), Completion())
    return OverviewStatus(policy, on, wanted, _sections(policy), rows, total)


def threshold_failure(result: InstitutionStatus | OverviewStatus, fail_under: float | None) -> ThresholdNotMet | None:
    """The error to report when 落实率 (as displayed) is under ``fail_under`` percent, else None."""
    if fail_under is None or not result.total.done_below(fail_under):
        return None
    wanted = f"{fail_under:g}%"
    hint = result.next_step
    if result.total.done_pct is None:
        return ThresholdNotMet(f"{result.subject}落实率无法计算（没有需要落实的检查项），未达到 --fail-under {wanted}",
                               hint=hint)
    return ThresholdNotMet(f"{result.subject}落实率 {result.total.done_pct_str}，低于 --fail-under 要求的 {wanted}",
                           hint=hint)


def _sections(policy: Policy) -> list[tuple[str, str]]:
    return [(s.id, s.title) for s in policy.sections
            if any(i.actor is Actor.UNIVERSITY for m in s.measures for i in m.items)]


def _where(query, scope: Scope, column: ColumnElement):
    condition = scope(column)
    return query if condition is None else query.where(condition)


def _counted_periods(policy: Policy, on: date):
    """The period each university item counts on ``on``, as a CTE (item_id, period, past_due, window_start,
    reference: 1 when the item's indicator is a 参考指标)."""
    rows = []
    for item in policy.items():
        counted = counted_period(item, on) if item.actor is Actor.UNIVERSITY else None
        if counted is None:
            continue
        window = start_of_day(counted.window_start) if counted.window_start else None
        rows.append(select(
            literal(item.id).label("item_id"), literal(counted.period).label("period"),
            literal(1 if counted.due is not None and counted.due < on else 0).label("past_due"),
            literal(window, UTCDateTime()).label("window_start"),
            literal(1 if item.reference_indicator else 0).label("reference"),
        ))
    return union_all(*rows).cte("counted") if rows else None


@dataclass(frozen=True)
class _State:
    """How the grouped query reads a line's state: the columns, and the joins that bring them in."""

    record_id: ColumnElement  # NULL when the line has no record (yet)
    status: ColumnElement
    value: ColumnElement
    due_past: ColumnElement  # 1 / 0 when the record has its own due date, else NULL
    pivot: object | None = None  # the as-of subquery to join on record id


def _current_state(on: date) -> _State:
    """Record states now: straight from ``record``."""
    due_past = case((Record.due.is_(None), None), (Record.due < on, 1), else_=0)
    return _State(Record.id, Record.status, Record.value, due_past)


def _past_state(on: date, until, scope: Scope) -> _State:
    """Record states at ``until``: each field from its latest event before then (records without one are absent)."""
    latest = _where(
        select(Event.record_id, Event.field, func.max(Event.id).label("event_id"))
        .where(Event.at < until, Event.field.in_(("status", "value", "due"))),
        scope, Event.institution_code,
    ).group_by(Event.record_id, Event.field).subquery("latest")
    event = aliased(Event)

    def pick(name: str):
        return func.max(case((latest.c.field == name, event.new)))

    pivot = (select(latest.c.record_id, pick("status").label("status"), pick("value").label("value"),
                    pick("due").label("due"))
             .join(event, event.id == latest.c.event_id).group_by(latest.c.record_id).subquery("pivot"))
    # Dates are stored in events as ISO text, which sorts like the dates themselves on every backend.
    due_past = case((pivot.c.due.is_(None), None), (pivot.c.due < on.isoformat(), 1), else_=0)
    return _State(pivot.c.record_id, pivot.c.status, cast(pivot.c.value, Float), due_past, pivot)


def _latest_evidence(until, scope: Scope):
    """When each record last got evidence (before ``until``)."""
    query = select(Evidence.record_id, func.max(Evidence.added_at).label("latest")).join(
        Record, Record.id == Evidence.record_id)
    if until is not None:
        query = query.where(Evidence.added_at < until)
    return _where(query, scope, Record.institution_code).group_by(Evidence.record_id).subquery("latest_evidence")


def _applies(item: type[CatalogItem], institution: type[Institution]) -> ColumnElement:
    def listed(rules, value) -> ColumnElement:
        return or_(rules == "", (literal(",") + rules + literal(",")).contains(literal(",") + value + literal(",")))

    return and_(item.actor == Actor.UNIVERSITY.value, listed(item.levels, institution.level),
                listed(item.provinces, institution.province))


def _aggregate(session: Session, policy: Policy, on: date, as_of: date | None,
               scope: Scope) -> dict[str, dict[str, Completion]]:
    """Completion per institution code and section id, in one grouped query."""
    counted = _counted_periods(policy, on)
    if counted is None:
        return {}
    until = end_of_day(as_of) if as_of is not None else None
    state = _current_state(on) if until is None else _past_state(on, until, scope)
    evidence = _latest_evidence(until, scope)
    ci, inst = CatalogItem, Institution
    version = select(PolicyVersion.id).where(PolicyVersion.policy_id == policy.id,
                                             PolicyVersion.is_current).scalar_subquery()
    status = state.status
    done, na = status == Status.DONE.value, status == Status.NOT_APPLICABLE.value
    indicator = and_(ci.indicator_comparator.is_not(None), state.value.is_not(None), ~na)
    met = or_(*(and_(ci.indicator_comparator == sign, compare(state.value, ci.indicator_target))
                for sign, compare in COMPARATORS.items()))
    overdue = and_(or_(status.is_(None), status.not_in(_CLOSED)),
                   func.coalesce(state.due_past, counted.c.past_due) == 1)
    stale = and_(ci.rrule.is_not(None), done,
                 or_(evidence.c.latest.is_(None), evidence.c.latest < counted.c.window_start))

    def count(condition: ColumnElement):
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(inst.code, ci.section_id, func.count(), func.count(state.record_id), count(done), count(na),
               func.sum(case((na, 0.0), else_=ci.weight)), func.sum(case((done, ci.weight), else_=0.0)),
               count(indicator), count(and_(indicator, met)), count(overdue), count(stale),
               count(and_(indicator, counted.c.reference == 1)))
        .select_from(inst)
        .join(ci, and_(ci.policy_version_id == version, _applies(ci, inst)))
        .join(counted, counted.c.item_id == ci.item_id)
        # Join record by its unique key first: SQLite then looks each line up in that index.
        .outerjoin(Record, and_(Record.institution_code == inst.code, Record.policy_id == policy.id,
                                Record.item_id == ci.item_id, Record.period == counted.c.period))
    )
    if state.pivot is not None:
        query = query.outerjoin(state.pivot, state.pivot.c.record_id == Record.id)
    query = (
        query.outerjoin(evidence, evidence.c.record_id == state.record_id)
        .group_by(inst.code, ci.section_id)
    )
    result: dict[str, dict[str, Completion]] = {}
    for code, section, *numbers in session.execute(_where(query, scope, inst.code)):
        ints = [int(n or 0) for n in numbers]
        result.setdefault(code, {})[section] = Completion(
            applicable=ints[0], reported=ints[1], done=ints[2], not_applicable=ints[3],
            weight=float(numbers[4] or 0), done_weight=float(numbers[5] or 0), indicators_reported=ints[6],
            indicators_met=ints[7], overdue=ints[8], stale=ints[9], indicators_reference=ints[10])
    return result
