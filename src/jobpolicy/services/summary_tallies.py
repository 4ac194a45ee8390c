"""The summary's tables of measures and departments, counted in SQL over the lines status judges.

Each school's counted line of each item (启用前 ones included) is the line of ``status.line_join``: the same lines,
the same counted state (through a mapping too) and the same standing (``standing_sql``) as the rates, adding up the
same terms (``line_terms``). Two grouped statements, whatever the number of schools: one per item, department,
报送 (whether the school has reported) and 启用前, one per measure and 报送 counting the schools with a rated line
and those with an open one. ``tests`` hold them
equal to the checklist lines the Python readers build (``services.history.checklist_lines``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import String, and_, case, func, literal, select, union_all
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.line_tally import LineTally, SummaryTallies
from jobpolicy.domain.status import Status
from jobpolicy.services.line_join import LineJoin, line_join
from jobpolicy.services.line_terms import TERMS, completion, rate_terms
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
    # The lines are judged once (a materialised CTE) and added up twice, in one statement: per item, department,
    # 报送 and 启用前 (``kind`` 0), and per measure and 报送 (``kind`` 1, the numbers in the first two sums).
    n = _lines(join, reporting, materialised=_materialises(session)).c
    still_open = n.applicable - n.done - n.not_applicable  # rated, neither 已完成 nor 不适用
    per_item = select(literal(0).label("kind"), n.item_id.label("key"), n.department, n.reports, n.before_start,
                      func.count(), func.sum(still_open), *(func.sum(n[name]) for name in TERMS))
    per_item = per_item.group_by(n.item_id, n.department, n.reports, n.before_start)
    per_school = (select(n.code, n.measure_id, n.reports, func.max(still_open).label("open"))
                  .where(n.before_start == 0).group_by(n.code, n.measure_id, n.reports).subquery("per_school"))
    m = per_school.c
    per_measure = select(literal(1), m.measure_id, literal(None, String()), m.reports, literal(0), func.count(),
                         func.sum(m.open), *(literal(0) for _ in TERMS)).group_by(m.measure_id, m.reports)
    for kind, key, where, flag, before, total, still, *sums in session.execute(union_all(per_item, per_measure)):
        if kind == 1:
            tallies.measures[(key, bool(flag))] = (total, int(still or 0))
            continue
        tally = LineTally(total) if before else LineTally(total, int(still or 0), completion(sums))
        tallies.items[(key, bool(flag))] = tallies.items.get((key, bool(flag)), LineTally()) + tally
        if where is not None:
            tallies.departments[where] = tallies.departments.get(where, LineTally()) + tally
    return tallies


def _materialises(session: Session) -> bool:
    """Whether the database takes the ``MATERIALIZED`` hint (SQLite from 3.35, PostgreSQL from 12); without it the
    lines are judged once per use, with the same result."""
    dialect = session.get_bind().dialect
    wanted = (3, 35) if dialect.name == "sqlite" else (12,)
    return tuple(dialect.server_version_info or ()) >= wanted


def _lines(join: LineJoin, reporting: Collection[str], *, materialised: bool):
    """Each school's counted line of each item as a row: the terms of the rates (``line_terms``), which only its
    rated lines (``before_start`` 0) add up. ``department`` is set on the rated lines with a record not marked
    不适用, the ones its table counts."""
    c, state = join.lines, join.state
    reports = case((Institution.code.in_(sorted(reporting)), 1), else_=0) if reporting else literal(0)
    shown = and_(c.before_start == 0, state.record_id.is_not(None), state.status != Status.NOT_APPLICABLE.value)
    terms = rate_terms(state, c.weight, join.standing)
    lines = join.select([
        Institution.code.label("code"), c.item_id.label("item_id"), c.measure_id.label("measure_id"),
        reports.label("reports"), c.before_start.label("before_start"),
        case((shown, func.coalesce(state.department, ""))).label("department"),
        *(term.label(name) for name, term in terms.items()),
    ]).where(c.counted == 1).cte("counted_lines")
    return lines.prefix_with("MATERIALIZED") if materialised else lines
