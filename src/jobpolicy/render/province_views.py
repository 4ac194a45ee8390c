"""The summary's answers to a province's first questions: who has not reported, 本科 beside 专科, what changed.

Every rate is printed with what it is out of (``Completion.*_shown``, ``scoring.rate_with_counts``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from jobpolicy.clock import CHINA
from jobpolicy.domain.scoring import Completion, rate_with_counts, rounded_pct
from jobpolicy.domain.submission import Submission
from jobpolicy.render.contexts import CompareRow, SubmissionCount
from jobpolicy.render.filters import submission_class
from jobpolicy.render.school_lines import NO_LEVEL, InstitutionData
from jobpolicy.render.school_rows import change_row, unreported_row

LEVEL_ORDER = ("本科", "专科")
NEVER = "从未"
NOTHING = Completion()  # a school without the lines of a sum: it adds nothing
CHANGE_LABELS = (("added", "新填报"), ("status_changed", "状态变化"), ("done", "新完成"), ("reopened", "改回未完成"),
                 ("submitted", "新报送待审"), ("accepted", "新审核通过"), ("returned", "新退回"))


def submission_counts(schools: list[InstitutionData]) -> list[SubmissionCount]:
    """How many schools are in each 报送 state, 未报送 first."""
    found = Counter(school.submission for school in schools)
    return [SubmissionCount(state.label, submission_class(state), found[state]) for state in Submission]


def last_update(school: InstitutionData) -> str:
    """The China date of the school's last recorded change, or 从未."""
    return school.last_change.astimezone(CHINA).date().isoformat() if school.last_change else NEVER


def unreported_rows(schools: list[InstitutionData]) -> list[Markup]:
    """The schools that have sent nothing, by code."""
    return [unreported_row(name=s.row.name, href=s.href, code=s.row.code, level=s.level, drafts=s.reviews.draft,
                           reported=s.row.total.reported_shown, last_update=last_update(s))
            for s in schools if not s.submission.reported]


def level_groups(schools: list[InstitutionData]) -> list[tuple[str, list[InstitutionData]]]:
    """The schools by level: 本科, 专科, any other level, then 层次未填; only the levels some school has."""
    present = {school.level for school in schools}
    ordered = [level for level in LEVEL_ORDER if level in present]
    levels = ordered + sorted(present - {*LEVEL_ORDER, NO_LEVEL}) + ([NO_LEVEL] if NO_LEVEL in present else [])
    return [(level, [s for s in schools if s.level == level]) for level in levels]


def _rows(columns: list[list[InstitutionData]], sections: list[tuple[str, str]]) -> list[CompareRow]:
    totals = [Completion.total(s.row.total for s in group) for group in columns]

    def line(label: str, cell: Callable[[list[InstitutionData], Completion], str]) -> CompareRow:
        return CompareRow(label, [cell(group, total) for group, total in zip(columns, totals, strict=True)])

    rows = [line("已报送学校", lambda g, _: f"{sum(s.submission.reported for s in g)}/{len(g)}")]
    rows += [line(state.label, lambda g, _, state=state: str(sum(s.submission is state for s in g)))
             for state in Submission]
    rows += [line("填报率", lambda _, t: t.reported_shown), line("落实率", lambda _, t: t.done_shown),
             line("达标率", lambda _, t: t.met_shown),
             line("当期逾期（项）", lambda _, t: str(t.overdue_current)),
             line("累计逾期（项）", lambda _, t: str(t.overdue_cumulative)),
             line("逾期完成（项）", lambda _, t: str(t.done_late))]
    for section_id, heading in sections:
        rows.append(line(f"落实率：{heading}", lambda g, _, sid=section_id: _system_done(g, sid)))
    return rows


def _system_done(schools: list[InstitutionData], section_id: str) -> str:
    """落实率 of one system pooled over ``schools``, with its weights: the ``done_shown`` of their sum, from the two
    columns it reads (a national table sums 18 of these, each over thousands of schools)."""
    parts = [c for s in schools if (c := s.row.sections.get(section_id)) is not None]
    return rate_with_counts(sum(c.done_weight for c in parts), sum(c.weight for c in parts))


def level_table(schools: list[InstitutionData], sections: list[tuple[str, str]]) -> tuple[list[str], list[CompareRow]]:
    """本科 beside 专科 (and any other level), then 合计: headers and rows."""
    groups = level_groups(schools)
    headers = [f"{level}（{len(group)} 所）" for level, group in groups]
    return [*headers, f"合计（{len(schools)} 所）"], _rows([*(group for _, group in groups), schools], sections)


@dataclass(frozen=True)
class Then:
    """The figures at the start of the change window: each school's total and 报送 state, what changed since."""

    day: date
    note: str  # why that day
    totals: dict[str, Completion]  # by code
    states: dict[str, Submission]  # by code; a school without a record is 未报送
    changes: dict[str, Any]  # by code: services.window_changes.ChangeCounts of the schools that changed


def _delta(then: float | None, now: float | None) -> tuple[str, float | None]:
    if then is None or now is None:
        return "—", None
    points = (rounded_pct(now) or 0.0) - (rounded_pct(then) or 0.0)
    return f"{points:+.1f}", points


def _count_delta(then: int, now: int) -> str:
    return f"{now - then:+d}"


def since_rows(schools: list[InstitutionData], then: Then) -> list[CompareRow]:
    """Province-wide then, now and the change: schools that reported, the three rates, the two overdue counts."""
    before = Completion.total(then.totals.get(s.row.code, NOTHING) for s in schools)
    now = Completion.total(s.row.total for s in schools)
    reported_then = sum(then.states.get(s.row.code, Submission.NOT_SUBMITTED).reported for s in schools)
    reported_now = sum(s.submission.reported for s in schools)
    n = len(schools)
    return [
        CompareRow("已报送学校", [f"{reported_then}/{n}", f"{reported_now}/{n}", _count_delta(reported_then,
                                                                                         reported_now)]),
        CompareRow("填报率", [before.reported_shown, now.reported_shown,
                           _delta(before.reported_pct, now.reported_pct)[0]]),
        CompareRow("落实率", [before.done_shown, now.done_shown, _delta(before.done_pct, now.done_pct)[0]]),
        CompareRow("达标率", [before.met_shown, now.met_shown, _delta(before.met_pct, now.met_pct)[0]]),
        CompareRow("当期逾期（项）", [str(before.overdue_current), str(now.overdue_current),
                                _count_delta(before.overdue_current, now.overdue_current)]),
        CompareRow("累计逾期（项）", [str(before.overdue_cumulative), str(now.overdue_cumulative),
                                _count_delta(before.overdue_cumulative, now.overdue_cumulative)]),
    ]


def since_counts(then: Then) -> str:
    """What changed in the records province-wide, in one sentence."""
    changed = list(then.changes.values())
    if not changed:
        return "这段时间各校的记录没有变化。"
    total = sum(changed)
    parts = "，".join(f"{label} {getattr(total, name)} 项" for name, label in CHANGE_LABELS)
    return f"{parts}（涉及 {len(changed)} 所学校；一项记录可同时计入几类）。"


def since_moves(schools: list[InstitutionData], then: Then) -> list[str]:
    """Schools whose 报送 state changed, counted per change, most first."""
    moves = Counter((then.states.get(s.row.code, Submission.NOT_SUBMITTED), s.submission) for s in schools)
    changed = [(pair, n) for pair, n in moves.items() if pair[0] is not pair[1]]
    changed.sort(key=lambda pair: (-pair[1], list(Submission).index(pair[0][0]), list(Submission).index(pair[0][1])))
    return [f"{before.label} → {after.label}：{n} 所" for (before, after), n in changed]


def school_change(school: InstitutionData, then: Then) -> tuple[tuple, Markup]:
    """One school then and now, with its sort key: least progress first, then the lowest 落实率 now."""
    before = then.totals.get(school.row.code, Completion())
    now = school.row.total
    state = then.states.get(school.row.code, Submission.NOT_SUBMITTED)
    moved = state.label if state is school.submission else f"{state.label} → {school.submission.label}"
    delta, points = _delta(before.done_pct, now.done_pct)
    changes = then.changes.get(school.row.code)
    row = change_row(
        name=school.row.name, href=school.href, code=school.row.code, level=school.level, submission=moved,
        submission_css=submission_class(school.submission),
        figures=(before.reported_shown, now.reported_shown, before.done_shown, now.done_shown), delta=delta,
        delta_sort="-1000" if points is None else f"{points:.1f}",
        counts=(changes.done, changes.returned, changes.status_changed) if changes else (0, 0, 0))
    return (points is None, points or 0.0, now.done_pct or 0.0, school.row.code), row


def school_changes(schools: list[InstitutionData], then: Then) -> list[Markup]:
    """Every school then and now, least progress first."""
    return [row for _, row in sorted((school_change(s, then) for s in schools), key=lambda pair: pair[0])]

