"""Status: the three rates, the overdue, late and stale counts per section and per institution, aggregated in SQL.

What is counted, on a date D (``as_of``, default today in China), for an institution tracked from S (its effective
start: the later of its own and the database's, ``domain.standing.effective_start``):

- The lines: every item whose actor is ``university`` and whose applicability (``catalog_item.levels`` /
  ``provinces``) matches the institution. The rates count one line per item, its counted period: ``once`` for a
  one-off item; for a recurring item the most recent occurrence due on or before D among those due on or after S,
  else the first due on or after S (``domain.scoring.counted_period``): last year's annual report is assessed
  until this year's falls due, and a school added today is assessed on this year's. Earlier occurrences due on or
  after S and before D are lines too, for 累计逾期 only. They depend on the item, S and D, so they are computed in
  Python per distinct start and joined in as a CTE (``standing_sql.lines_cte``).
- The state of a line: its record in that period. Without ``as_of`` the ``record`` table is read; with ``as_of``
  the records as they were at the end of D (``as_of.records_as_of``: each field from its latest event before then).
- Through a mapping (``domain.mapping.counted_source``): a line without a record of its own reads the record, in the
  same period, of the item of another loaded policy mapped onto it in full (``via_policy``, ``via_item`` of the lines
  CTE; a second, aliased join of ``record``), judged against this policy's deadline and target; ``via_mapping`` counts
  those lines. ``mapped_states.read_counted_states`` is the same rule for the Python readers.
- Where a line stands (``domain.standing``, in SQL ``standing_sql.standing_sql``): 启用前 when the policy's
  deadline falls before S (not counted in any rate: ``before_start`` says how many), else 不适用, 已完成 or 逾期完成
  (done after the deadline), 逾期 (deadline before D, not done, recorded or not) or 未到期. The deadline is always
  the policy's; the record's ``due`` is the office's plan date and changes nothing here.
- Two overdue counts, never mixed: 当期逾期 (``overdue_current``) counts the counted lines that are overdue;
  累计逾期 (``overdue_cumulative``) counts every overdue line, earlier occurrences included: what ``deadlines``
  lists. 逾期完成 (``done_late``) counts the counted lines done late (they count as done in 落实率 too).
- Stale 待更新: a recurring line marked done that has no evidence added inside its period's window, i.e. on or after
  the day after the previous occurrence was due (the cadence start for the first occurrence) and before the end of D.
  Evidence from an earlier window proves an earlier period, and a recurring line done without any evidence has
  nothing to show for the current one: both need updating.
- Indicators: a line with an indicator and a reported value (not 不适用) counts as reported; it is met when the
  value satisfies the catalog comparator and target. Reported indicators whose target is a 参考指标 (not set by the
  policy's own text, ``Item.reference_indicator``) are counted apart, so 达标率 can say what it rests on.

The aggregation is one ``GROUP BY institution, section`` over ``institution × catalog_item × lines``, left-joined
to ``record`` by its unique key (an index lookup per line on SQLite; at a past date the records changed since are
joined by record id, rebuilt: ``as_of.records_changed``) and to the latest evidence per record (the join itself,
shared with the summary's counts: ``services.line_join``). What a rated line adds to the counts the summary's tables
share (applicable, reported, done, 不适用, the weights, 当期逾期 and 逾期完成) is written once, in
``services.line_terms``, and the rates' other counts in ``rate_flags``: the summary page counts its schools' rates
and its tables in one pass (``summary_tallies.summary_counts``). Python only turns the grouped rows into
``Completion`` values and adds them up (``completions``).
``benchmarks/status_national.py`` times it over the 2,952 普通高校 of the bundled list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import ColumnElement, Engine, and_, func, literal, or_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.domain.catalog import COMPARATORS, Actor, Policy
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Status
from jobpolicy.errors import ThresholdNotMet
from jobpolicy.services._uow import reading
from jobpolicy.services.as_of import end_of_day
from jobpolicy.services.line_join import Covered, Lines, count, latest_evidence, starts_of, state_at, where_covered
from jobpolicy.services.line_terms import rate_terms, split_overdue
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.mapped_states import counted_sources
from jobpolicy.services.scope import schools_in
from jobpolicy.services.standing_sql import lines_cte
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.services.tracking import institution_start, tracking_start
from jobpolicy.storage.db import hash_joins
from jobpolicy.storage.models import Institution, Record


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
    start: date  # the day its tracking started (the later of its own start and the database's)
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
    scope: InstitutionScope
    sections: list[tuple[str, str]]  # (id, title) in policy order
    institutions: list[InstitutionRow]
    total: Completion

    @property
    def covered(self) -> str:
        """The filter and how many schools it covers: ``山西省 · 专科 · 12 所``."""
        return self.scope.counted(len(self.institutions))

    @property
    def subject(self) -> str:
        """Whose figures these are, for messages: ``山西省 · 专科 12 所学校的总体``."""
        who = "全部" if self.scope.everything else self.scope.label
        return f"{who} {len(self.institutions)} 所学校的总体"

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
        start = institution_start(session, institution)
        grouped = _aggregate(session, policy, on, as_of, Covered(code=institution.code))
    per_section = grouped.get(institution.code, {})
    sections = [SectionStatus(sid, title, per_section.get(sid, Completion())) for sid, title in _sections(policy)]
    return InstitutionStatus(institution, policy, on, start, sections,
                             Completion.total(s.completion for s in sections))


def overview_status(engine: Engine, *, scope: InstitutionScope = EVERYWHERE, as_of: date | None = None,
                    policy_id: str | None = None) -> OverviewStatus:
    """Completion of every stored institution of the scope, each per section, sorted by code.

    Args:
        engine: the database.
        scope: which schools (``services.scope.resolve_scope``); default every stored school.
        as_of: answer from the event log as of the end of this day (China time); default now.
        policy_id: which policy, when several are loaded.

    Raises:
        NotFound: unknown policy, or a filter that matches no stored school.
    """
    on = as_of or clock.today()
    with reading(engine) as session:
        policy = current_policy(session, policy_id)
        listed = schools_in(session, scope)
        grouped = _aggregate(session, policy, on, as_of, Covered(scope))
    return overview_of(policy, on, scope, listed, grouped)


def overview_of(policy: Policy, on: date, scope: InstitutionScope, listed: list[Institution],
                grouped: dict[str, dict[str, Completion]]) -> OverviewStatus:
    """The overview of the schools ``listed`` from their completion per code and section id (``completions``)."""
    listed = sorted(listed, key=lambda school: school.code)
    rows = []
    for school in listed:
        per_section = grouped.get(school.code, {})
        rows.append(InstitutionRow(school.code, school.name, school.province, school.level,
                                   Completion.total(per_section.values()), per_section))
    total = Completion.total(row.total for row in rows)
    return OverviewStatus(policy, on, scope, _sections(policy), rows, total)


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


def _aggregate(session: Session, policy: Policy, on: date, as_of: date | None,
               covered: Covered) -> dict[str, dict[str, Completion]]:
    """Completion per institution code and section id, in one statement: two grouped selects, UNION ALL.

    The first goes over the lines the rates count (each item's counted period, unless 启用前) and adds up
    everything; the second over the other lines (earlier occurrences, for 累计逾期; 启用前 lines, only counted).
    Splitting them in the CTEs rather than by a condition in every count keeps each count a plain sum.
    """
    database_start = tracking_start(session)
    starts = starts_of(session, covered)
    sources = counted_sources(session, policy)
    dialect = session.get_bind().dialect
    parts = [lines_cte(policy, on, starts, database_start, dialect=dialect, part=part, sources=sources)
             for part in ("rated", "others")]
    until = end_of_day(as_of) if as_of is not None else None
    own = state_at(until, covered)
    via = state_at(until, covered, aliased(Record, name="via_record"), "via_as_of") if sources else None
    selects = []
    for build, lines in zip((_rates, _others), parts, strict=True):
        if lines is not None:
            selects.append(build(Lines(policy, lines, database_start, on, own, via), until, covered))
    if not selects:
        return {}
    statement = union_all(*selects) if len(selects) > 1 else selects[0]
    # One school's lines are few: its records are best looked up one by one, in nested loops.
    with hash_joins(session.connection(), wanted=covered.code is None):
        return completions(session.execute(statement).all())


def completions(found) -> dict[str, dict[str, Completion]]:
    """Completion per institution code and section id, of rows of a code, a section id and the numbers of
    ``Completion``'s fields in their order, with 当期逾期 carrying 逾期完成 (``line_terms.split_overdue``) and
    累计逾期 the other lines' overdue only: the rows of one code and section added up."""
    # Plain lists until the end, merged only where a second row adds to the first: a national overview reads tens
    # of thousands of rows.
    summed: dict[tuple[str, str], list] = {}
    for code, section, *numbers in found:
        earlier = summed.get((code, section))
        summed[(code, section)] = numbers if earlier is None else [a + b for a, b in zip(earlier, numbers,
                                                                                        strict=True)]
    result: dict[str, dict[str, Completion]] = {}
    for (code, section), numbers in summed.items():
        numbers[_CURRENT], numbers[_LATE_AT] = split_overdue(numbers[_CURRENT])
        numbers[_CUMULATIVE] += numbers[_CURRENT]  # 累计逾期 includes this period's
        result.setdefault(code, {})[section] = Completion(*numbers)
    return result


def _rates(lines: Lines, until, covered: Covered):
    """Everything the rates count, 当期逾期 and 逾期完成, over the rated lines: the terms the summary's tables add
    up too (``line_terms``), and the indicators, 待更新 and lines counted through a mapping."""
    evidence = latest_evidence(until, covered)
    terms = {name: func.sum(term) for name, term in rate_terms(lines.state, lines.lines.c.weight,
                                                               lines.standing).items()}
    flags = {name: count(condition) for name, condition in rate_flags(lines, evidence).items()}
    return _grouped(lines, covered, {**terms, **flags}, evidence)


def rate_flags(lines: Lines, evidence) -> dict[str, ColumnElement]:
    """When a rated line counts in the rates' other counts (those ``line_terms`` has not: the indicators, 待更新,
    through a mapping), as conditions by ``Completion`` field; ``evidence``, each record's latest
    (``latest_evidence``), joined to the lines."""
    state, item = lines.state, lines.lines.c
    done, na = state.status == Status.DONE.value, state.status == Status.NOT_APPLICABLE.value
    indicator = and_(item.comparator.is_not(None), state.value.is_not(None), ~na)
    met = or_(*(and_(item.comparator == sign, compare(state.value, item.target))
                for sign, compare in COMPARATORS.items()))
    stale = and_(item.recurring == 1, done,
                 or_(evidence.c.latest.is_(None), evidence.c.latest < item.window_start))
    flags = {"indicators_reported": indicator, "indicators_met": and_(indicator, met), "stale": stale,
             "indicators_reference": and_(indicator, item.reference == 1)}
    return flags if lines.via_line is None else {**flags, "via_mapping": lines.via_line}


def _others(lines: Lines, until, covered: Covered):
    """The earlier occurrences' share of 累计逾期, and the 启用前 lines."""
    return _grouped(lines, covered, {"overdue_cumulative": count(lines.standing == Standing.OVERDUE.value),
                                 "before_start": count(lines.lines.c.before_start == 1)})


NUMBERS = [f.name for f in fields(Completion)]  # the numbers of ``completions``' rows, in order
_CURRENT, _CUMULATIVE = NUMBERS.index("overdue_current"), NUMBERS.index("overdue_cumulative")
FLOATS = ("weight", "done_weight")
_LATE_AT = NUMBERS.index("done_late")


def _grouped(lines: Lines, covered: Covered, columns: dict[str, ColumnElement], evidence=None):
    """``columns`` (the others 0) per institution and section (with each record's latest ``evidence``)."""
    inst, section = Institution, lines.lines.c.section_id
    query = lines.joined([inst.code, section, *(columns.get(name, literal(0.0 if name in FLOATS else 0))
                                               for name in NUMBERS)], evidence)
    return where_covered(query.group_by(inst.code, section), covered, inst.code)

