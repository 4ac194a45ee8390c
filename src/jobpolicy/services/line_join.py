"""Every line status judges, joined to its state: the lines (``standing_sql.lines_cte``) of the institutions covered,
each joined to its record in its period (now, or rebuilt at a moment by ``as_of.records_as_of``), to the record of
its counted source through a mapping (``domain.mapping.counted_source``), and where it stands (``standing_sql``).

``services.status`` adds up its rates over it; ``services.summary_tallies`` adds up the summary's counts per item,
department and measure over the same lines (``line_join``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.services.as_of import end_of_day, records_changed
from jobpolicy.services.mapped_states import counted_sources
from jobpolicy.services.scope import codes_within
from jobpolicy.services.standing_sql import effective_start_sql, lines_cte, standing_sql
from jobpolicy.services.tracking import tracking_start
from jobpolicy.storage.models import Evidence, Institution, Record


@dataclass(frozen=True)
class Covered:
    """The institutions an aggregation reads: one school (by code), or the schools of a scope."""

    scope: InstitutionScope = EVERYWHERE
    code: str | None = None

    def on(self, column: ColumnElement) -> ColumnElement | None:
        """The condition on a column holding an institution code; None when every school is read."""
        return codes_within(self.scope, column, code=self.code)


def where_covered(query, covered: Covered, column: ColumnElement):
    condition = covered.on(column)
    return query if condition is None else query.where(condition)


@dataclass(frozen=True)
class State:
    """How the grouped query reads a line's state: the columns, and the as-of subquery to join on record id."""

    record_id: ColumnElement  # NULL when the line has no record (yet)
    status: ColumnElement
    value: ColumnElement
    status_at: ColumnElement
    as_of: object | None = None
    record: type[Record] = Record  # the record table, or its alias for records of a mapped source
    department: ColumnElement | None = None  # read only when asked for (``line_join``)


def state_at(until, covered: Covered, record=Record, name: str = "as_of", department: bool = False) -> State:
    """Record states now (the ``record`` table), or at ``until`` (``as_of.records_changed``, joined on record id)."""
    if until is None:
        return State(record.id, record.status, record.value, record.status_at, record=record,
                     department=record.department if department else None)
    fields = ("status", "value", *(["department"] if department else []))
    # The joins read each line's record row anyway: only the records changed since are rebuilt and joined.
    past = records_changed(until, fields=fields, schools=covered.on, name=name)
    changed = past.c.record_id.is_not(None)

    def then(column: str) -> ColumnElement:
        return case((changed, past.c[column]), else_=getattr(record, column))

    return State(case((changed, past.c.then_id), else_=record.id), then("status"), then("value"), then("status_at"),
                 past, record, then("department") if department else None)


def _counted(own: State, via: State | None) -> State:
    """The state a line counts: ``domain.mapping.counted_source`` in SQL. Its own record when it has one, else the
    record of its counted source (joined on ``via_policy``, ``via_item`` of the lines) in the same period."""
    if via is None:
        return own
    has_own = own.record_id.is_not(None)

    def pick(mine: ColumnElement, other: ColumnElement) -> ColumnElement:
        return case((has_own, mine), else_=other)

    department = None if own.department is None else pick(own.department, via.department)
    return State(func.coalesce(own.record_id, via.record_id), pick(own.status, via.status),
                 pick(own.value, via.value), pick(own.status_at, via.status_at), department=department)


def latest_evidence(until, covered: Covered):
    """When each record last got evidence (before ``until``)."""
    query = select(Evidence.record_id, func.max(Evidence.added_at).label("latest"))
    if until is not None:
        query = query.where(Evidence.added_at < until)
    condition = covered.on(Record.institution_code)
    if condition is not None:  # only some schools need the record (its institution); all evidence needs none
        query = query.join(Record, Record.id == Evidence.record_id).where(condition)
    return query.group_by(Evidence.record_id).subquery("latest_evidence")


def _applies(lines, institution: type[Institution]) -> ColumnElement:
    def listed(rules, value) -> ColumnElement:
        return or_(rules == "", (literal(",") + rules + literal(",")).contains(literal(",") + value + literal(",")))

    return and_(listed(lines.c.levels, institution.level), listed(lines.c.provinces, institution.province))


def starts_of(session: Session, covered: Covered) -> list:
    """The distinct tracking starts of the institutions covered: few, whatever the number of institutions."""
    starts = select(Institution.tracking_start).distinct()
    return list(session.scalars(where_covered(starts, covered, Institution.code)))


def line_join(session: Session, policy: Policy, *, on: date, as_of: date | None,
              scope: InstitutionScope = EVERYWHERE) -> LineJoin | None:
    """Every line status judges for the schools of ``scope`` (each item's counted period, 启用前 ones included, and
    the earlier occurrences) joined to its counted state, department included: the base of other aggregations over
    the same lines (``services.summary_tallies``). None when there is no line.

    Args:
        on: the day the lines are judged on.
        as_of: the day whose end the records are rebuilt at, or None for the records as they are.
    """
    covered = Covered(scope)
    database_start = tracking_start(session)
    sources = counted_sources(session, policy)
    lines = lines_cte(policy, on, starts_of(session, covered), database_start, dialect=session.get_bind().dialect,
                      sources=sources)
    if lines is None:
        return None
    until = end_of_day(as_of) if as_of is not None else None
    own = state_at(until, covered, department=True)
    via = (state_at(until, covered, aliased(Record, name="via_record"), "via_as_of", department=True)
           if sources else None)
    return LineJoin(Lines(policy, lines, database_start, on, own, via), covered)


@dataclass(frozen=True)
class LineJoin:
    """The lines of ``line_join``: the CTE's columns (``lines``), the counted state (``state``), where each line
    stands (``standing``, a ``Standing`` value) and ``select`` over them for the schools covered."""

    joined: Lines
    covered: Covered

    @property
    def lines(self):
        return self.joined.lines.c

    @property
    def state(self) -> State:
        return self.joined.state

    @property
    def standing(self) -> ColumnElement:
        return self.joined.standing

    def select(self, columns: list[ColumnElement], evidence=None):
        """``columns`` over the lines of the schools covered, with each record's latest ``evidence`` if given (add
        ``where`` and ``group_by``)."""
        return where_covered(self.joined.joined(columns, evidence), self.covered, Institution.code)


def count(condition: ColumnElement):
    """How many rows meet ``condition``."""
    return func.sum(case((condition, 1), else_=0))


class Lines:
    """One CTE of lines (``standing_sql.lines_cte``), where each stands (``standing_sql``), joined to the
    institutions they are for and to those institutions' records in their periods."""

    def __init__(self, policy: Policy, lines, database_start: date | None, on: date, own: State,
                 via: State | None):
        self.policy, self.lines, self.own, self.via = policy, lines, own, via
        self.state = state = _counted(own, via)
        # A line counted through a mapping: no record of its own, one of its counted source.
        self.via_line = and_(own.record_id.is_(None), via.record_id.is_not(None)) if via else None
        self.via_mapping = count(self.via_line) if via else literal(0)
        self.standing = standing_sql(deadline=lines.c.deadline, late_from=lines.c.late_from,
                                     start=effective_start_sql(Institution.tracking_start, database_start),
                                     status=state.status, status_at=state.status_at, today=on)

    def joined(self, columns: list[ColumnElement], evidence=None):
        """``columns`` over every line of every institution, joined to its state (and its record's latest
        ``evidence``); not yet narrowed to the institutions covered."""
        inst, lines = Institution, self.lines
        query = (
            select(*columns)
            .select_from(inst)
            .join(lines, and_(inst.tracking_start.between(lines.c.lo, lines.c.hi), _applies(lines, inst)))
            # Join record by its unique key: SQLite then looks each line up in that index.
            .outerjoin(Record, and_(Record.institution_code == inst.code, Record.policy_id == self.policy.id,
                                    Record.item_id == lines.c.item_id, Record.period == lines.c.period))
        )
        if self.own.as_of is not None:
            query = query.outerjoin(self.own.as_of, self.own.as_of.c.record_id == Record.id)
        if self.via is not None:  # the counted source's record, by its unique key too
            via = self.via.record
            query = query.outerjoin(via, and_(via.institution_code == inst.code, via.policy_id == lines.c.via_policy,
                                              via.item_id == lines.c.via_item, via.period == lines.c.period))
            if self.via.as_of is not None:
                query = query.outerjoin(self.via.as_of, self.via.as_of.c.record_id == via.id)
        if evidence is not None:
            query = query.outerjoin(evidence, evidence.c.record_id == self.state.record_id)
        return query
