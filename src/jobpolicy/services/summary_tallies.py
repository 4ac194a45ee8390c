"""The summary's tables of measures and departments, and each school's rates, counted in SQL over the lines status
judges, in one statement.

Each school's line of each item is the line of ``line_join.line_join``: the same lines, the same counted state
(through a mapping too) and the same standing (``standing_sql``) as the rates, adding up the same terms
(``line_terms``) and the rates' other counts (``status.rate_flags``). The lines are judged once, into a materialised
CTE, and grouped four times: per item, department, 报送 (whether the school has reported) and 启用前; per measure and
报送, counting the schools with a rated line and those with an open one; per school and section, the rates, as
``status.overview_status`` counts them (its own statement, for the status command and the earlier date of a
comparison). ``tests`` hold the tables equal to the checklist lines the Python readers build
(``services.history.checklist_lines``), and the rates equal to status's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, and_, case, func, literal, select, union_all
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.line_tally import LineTally, SummaryTallies
from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.status import Status
from jobpolicy.services.as_of import end_of_day
from jobpolicy.services.line_join import LineJoin, count, latest_evidence, line_join
from jobpolicy.services.line_terms import TERMS, completion, overdue, rate_terms
from jobpolicy.services.status import FLOATS, NUMBERS, completions, rate_flags
from jobpolicy.storage.db import hash_joins, takes_materialized
from jobpolicy.storage.models import Institution


@dataclass
class SummaryCounts:
    """The summary's counts from one pass over the lines: each school's completion per section (``sections``, what
    ``status.overview_status`` gives for the same day) and the tables' tallies."""

    sections: dict[str, dict[str, Completion]]  # code -> section id -> Completion
    tallies: SummaryTallies


def summary_counts(session: Session, policy: Policy, *, scope: InstitutionScope, on: date, as_of: date | None,
                   reporting: Collection[str]) -> SummaryCounts:
    """Each school's completion per section, and the counted lines added up per item, department and measure, in
    one statement: every line of the scope's schools is judged once.

    Args:
        on: the day the lines are judged on.
        as_of: the day whose end the records are rebuilt at, or None for the records as they are.
        reporting: the codes of the schools that have reported (报送, ``services.submission_sql``).
    """
    join = line_join(session, policy, on=on, as_of=as_of, scope=scope)
    counts = SummaryCounts({}, SummaryTallies())
    if join is None:
        return counts
    # The lines are judged once (a materialised CTE) and added up four times, one select each (``kind``): per item,
    # department, 报送 and 启用前 (0), per measure and 报送 (1, counting schools), per school and section over the
    # lines the rates count (2) and over the others (3: earlier occurrences and 启用前 lines), as ``status`` does.
    until = end_of_day(as_of) if as_of is not None else None
    n = _lines(join, latest_evidence(until, join.covered), reporting, materialised=_materialises(session)).c
    rated, counted = and_(n.counted == 1, n.before_start == 0), n.counted == 1
    still_open = n.applicable - n.done - n.not_applicable  # rated, neither 已完成 nor 不适用
    per_item = (select(literal(0).label("kind"), n.item_id.label("key"), n.department.label("at"), n.reports,
                       n.before_start, func.count(), func.sum(still_open), *_sums(n, TERMS))
                .where(counted).group_by(n.item_id, n.department, n.reports, n.before_start))
    per_school = (select(n.code, n.measure_id, n.reports, func.max(still_open).label("open"))
                  .where(rated).group_by(n.code, n.measure_id, n.reports).subquery("per_school"))
    m = per_school.c
    per_measure = select(literal(1), m.measure_id, literal(None, String()), m.reports, literal(0), func.count(),
                         func.sum(m.open), *_sums(m, ())).group_by(m.measure_id, m.reports)
    per_section = (select(literal(2), n.code, n.section_id, literal(0), literal(0), func.count(), literal(0),
                          *_sums(n, (*TERMS, *_FLAGS))).where(rated).group_by(n.code, n.section_id))
    others = {"overdue_cumulative": count(overdue(n.overdue_current)), "before_start": count(n.before_start == 1)}
    per_other = (select(literal(3), n.code, n.section_id, literal(0), literal(0), func.count(), literal(0),
                        *_sums(n, (), others)).where(~rated).group_by(n.code, n.section_id))
    statement = union_all(per_item, per_measure, per_section, per_other)
    with hash_joins(session.connection()):  # as status's overview: see ``hash_joins``
        found = session.execute(statement).all()
    _read(found, counts)
    return counts


_FLAGS = ("indicators_reported", "indicators_met", "stale", "indicators_reference", "via_mapping")
_TERMS_AT = [NUMBERS.index(name) for name in TERMS]


def _sums(n, summed: Collection[str], given: dict | None = None) -> list:
    """The numbers of ``status.completions``' rows, in order: the sums of the lines' columns ``summed``, the
    ``given`` aggregates, 0 for the others."""
    given = given or {}
    return [given[name] if name in given else func.sum(n[name]) if name in summed
            else literal(0.0 if name in FLOATS else 0) for name in NUMBERS]


def _read(found, counts: SummaryCounts) -> None:
    tallies, sections = counts.tallies, []
    for kind, key, where, flag, before, total, still, *numbers in found:
        if kind >= 2:
            sections.append((key, where, *numbers))
        elif kind == 1:
            tallies.measures[(key, bool(flag))] = (total, int(still or 0))
        else:
            sums = [numbers[at] for at in _TERMS_AT]
            tally = LineTally(total) if before else LineTally(total, int(still or 0), completion(sums))
            tallies.items[(key, bool(flag))] = tallies.items.get((key, bool(flag)), LineTally()) + tally
            if where is not None:
                tallies.departments[where] = tallies.departments.get(where, LineTally()) + tally
    counts.sections.update(completions(sections))


def _materialises(session: Session) -> bool:
    """Whether the database takes the ``MATERIALIZED`` hint (SQLite from 3.35, PostgreSQL from 12); without it the
    lines are judged once per use, with the same result."""
    return takes_materialized(session.get_bind().dialect)


def _lines(join: LineJoin, evidence, reporting: Collection[str], *, materialised: bool):
    """Each school's line of each item as a row: ``counted`` 1 for the period the rates count, the terms of the
    rates (``line_terms``) and their other counts (``status.rate_flags``, with each record's latest ``evidence``)
    as 1 or 0, which only its rated lines (``counted`` 1, ``before_start`` 0) add up, and where it stands as the
    other lines count it. ``department`` is set on the rated lines with a record not marked 不适用, the ones its
    table counts."""
    c, state = join.lines, join.state
    reports = case((Institution.code.in_(sorted(reporting)), 1), else_=0) if reporting else literal(0)
    shown = and_(c.before_start == 0, state.record_id.is_not(None), state.status != Status.NOT_APPLICABLE.value)
    terms = rate_terms(state, c.weight, join.standing)
    flags = rate_flags(join.joined, evidence)
    lines = join.select([
        Institution.code.label("code"), c.section_id.label("section_id"), c.item_id.label("item_id"),
        c.measure_id.label("measure_id"), reports.label("reports"), c.counted.label("counted"),
        c.before_start.label("before_start"),
        case((shown, func.coalesce(state.department, ""))).label("department"),
        *(term.label(name) for name, term in terms.items()),
        *(case((flags[name], 1), else_=0).label(name) if name in flags else literal(0).label(name)
          for name in _FLAGS),
    ], evidence).cte("judged_lines")
    return lines.prefix_with("MATERIALIZED") if materialised else lines
