"""The summary's tables of measures and departments, counted in SQL over the lines status judges.

Each school's counted line of each item (启用前 ones included) is the line of ``status.line_join``: the same lines,
the same counted state (through a mapping too) and the same standing (``standing_sql``) as the rates. Two grouped
statements, whatever the number of schools: one per item, department and 报送 (whether the school has reported),
one per measure and 报送 counting the schools with a rated line and those with an open one. ``tests`` hold them
equal to the checklist lines the Python readers build (``services.history.checklist_lines``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import String, and_, case, func, literal, or_, select, union_all
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.line_tally import LineTally, SummaryTallies
from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Status
from jobpolicy.services.line_join import LineJoin, line_join
from jobpolicy.storage.models import Institution


def summary_tallies(session: Session, policy: Policy, *, scope: InstitutionScope, on: date, as_of: date | None,
                    reporting: Collection[str]) -> SummaryTallies:
    """The counted lines of the scope's schools added up per item, department and measure.

    Args:
        on: the day the lines are judged on.
        as_of: the day whose end the records are rebuilt at, or None for the records as they are.
        reporting: the codes of the schools that have reported (报送, ``services.submission_sql``).
    """
    join = line_join(session, policy, on=on, as_of=as_of, scope=scope)
    tallies = SummaryTallies()
    if join is None:
        return tallies
    # The lines are judged once (a materialised CTE) and added up twice, in one statement: per item, department
    # and 报送 (``kind`` 0), and per measure and 报送 (``kind`` 1, the numbers in the first two sums).
    n = _lines(join, reporting, materialised=_materialises(session)).c
    per_item = select(literal(0).label("kind"), n.item_id.label("key"), n.department, n.reports, func.count(),
                      *(func.sum(n[name]) for name in _SUMS)).group_by(n.item_id, n.department, n.reports)
    per_school = (select(n.code, n.measure_id, n.reports, func.max(n.open).label("open")).where(n.applicable == 1)
                  .group_by(n.code, n.measure_id, n.reports).subquery("per_school"))
    m = per_school.c
    per_measure = select(literal(1), m.measure_id, literal(None, String()), m.reports, func.count(),
                         func.sum(m.open), *(literal(0) for _ in _SUMS[1:])).group_by(m.measure_id, m.reports)
    for kind, key, where, flag, total, still_open, *numbers in session.execute(union_all(per_item, per_measure)):
        if kind == 1:
            tallies.measures[(key, bool(flag))] = (total, int(still_open or 0))
            continue
        tally = LineTally(total, still_open, _completion(*numbers))
        tallies.items[(key, bool(flag))] = tallies.items.get((key, bool(flag)), LineTally()) + tally
        if where is not None:
            tallies.departments[where] = tallies.departments.get(where, LineTally()) + tally
    return tallies


# The per-line flags added up, in the order of ``_completion``'s arguments after ``open``.
_SUMS = ("open", "applicable", "reported", "done", "not_applicable", "weight", "done_weight", "overdue", "late")


def _materialises(session: Session) -> bool:
    """Whether the database takes the ``MATERIALIZED`` hint (SQLite from 3.35, PostgreSQL from 12); without it the
    lines are judged once per use, with the same result."""
    dialect = session.get_bind().dialect
    wanted = (3, 35) if dialect.name == "sqlite" else (12,)
    return tuple(dialect.server_version_info or ()) >= wanted


def _lines(join: LineJoin, reporting: Collection[str], *, materialised: bool):
    """Each school's counted line of each item as a row of flags (1/0) and weights: what the two statements add
    up. ``department`` is set on the rated lines with a record not marked 不适用, the ones its table counts."""
    c, state = join.lines, join.state
    reports = case((Institution.code.in_(sorted(reporting)), 1), else_=0) if reporting else literal(0)
    rated = c.before_start == 0
    recorded = state.record_id.is_not(None)
    done, na = state.status == Status.DONE.value, state.status == Status.NOT_APPLICABLE.value
    still_open = and_(rated, or_(~recorded, ~state.status.in_((Status.DONE.value, Status.NOT_APPLICABLE.value))))

    def flag(condition):
        return case((condition, 1), else_=0)

    lines = join.select([
        Institution.code.label("code"), c.item_id.label("item_id"), c.measure_id.label("measure_id"),
        reports.label("reports"),
        case((and_(rated, recorded, ~na), func.coalesce(state.department, ""))).label("department"),
        flag(still_open).label("open"), flag(rated).label("applicable"), flag(and_(rated, recorded)).label("reported"),
        flag(and_(rated, done)).label("done"), flag(and_(rated, na)).label("not_applicable"),
        case((and_(rated, or_(~recorded, ~na)), c.weight), else_=0.0).label("weight"),  # unrecorded: not 不适用
        case((and_(rated, done), c.weight), else_=0.0).label("done_weight"),
        flag(and_(rated, join.standing == Standing.OVERDUE.value)).label("overdue"),
        flag(and_(rated, join.standing == Standing.DONE_LATE.value)).label("late"),
    ]).where(c.counted == 1).cte("counted_lines")
    return lines.prefix_with("MATERIALIZED") if materialised else lines


def _completion(applicable: int, reported: int, done: int, not_applicable: int, weight: float, done_weight: float,
                overdue: int, late: int) -> Completion:
    return Completion(applicable=applicable, reported=reported, done=done, not_applicable=not_applicable,
                      weight=float(weight or 0.0), done_weight=float(done_weight or 0.0), overdue_current=overdue,
                      done_late=late)
