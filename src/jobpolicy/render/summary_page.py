"""Build the SummaryPage context: 报送 states, 本科 beside 专科, what changed, the weakest measures, the heat map,
pooled rates, distribution, groups, stale schools."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from markupsafe import Markup

from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_text import section_headings
from jobpolicy.domain.coverage import Coverage
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.line_tally import SummaryTallies
from jobpolicy.domain.scoring import Completion, display_pct
from jobpolicy.domain.submission import Submission
from jobpolicy.render.charts import histogram
from jobpolicy.render.contexts import GroupRow, StaleRow, SummaryPage
from jobpolicy.render.coverage_page import coverage_link
from jobpolicy.render.filters import submission_class
from jobpolicy.render.institution_page import counts_line, glossary, rate_cells, rings
from jobpolicy.render.measure_pages import measure_rows
from jobpolicy.render.province_views import (
    NEVER,
    Then,
    last_update,
    level_table,
    school_changes,
    since_counts,
    since_moves,
    since_rows,
    submission_counts,
    unreported_rows,
)
from jobpolicy.render.school_lines import InstitutionData
from jobpolicy.render.school_rows import NO_HEAT_CELL, heat_cell, heat_row
from jobpolicy.render.site import Common, page_fields

BANDS = (("0–20%", 0, 20), ("20–40%", 20, 40), ("40–60%", 40, 60), ("60–80%", 60, 80), ("80–100%", 80, 101))
NO_DEPARTMENT = "（未填写部门）"
SUBMISSION_ORDER = {state: str(position) for position, state in enumerate(Submission)}


def summary_row(school: InstitutionData, section_ids: list[str]) -> Markup:
    """One institution's row of the heat map: 落实率 per system, then its totals (``school_rows.heat_row``)."""
    sections, last = school.row.sections, last_update(school)
    cells = "".join(NO_HEAT_CELL if (c := sections.get(sid)) is None else heat_cell(c.done_weight, c.weight)
                    for sid in section_ids)
    return heat_row(name=school.row.name, href=school.href, code=school.row.code, province=school.row.province,
                    level=school.level, submission=school.submission.label,
                    submission_css=submission_class(school.submission),
                    submission_sort=SUBMISSION_ORDER[school.submission], cells=cells, total=school.row.total,
                    last_update=last, last_update_sort="0000-00-00" if last == NEVER else last)


def distribution(rows: list[Any]) -> list[tuple[str, int]]:
    """How many institutions fall in each 落实率 band (institutions with nothing to rate are left out)."""
    counts = Counter()
    for row in rows:
        pct = row.total.done_pct
        if pct is not None:
            counts[next(label for label, low, high in BANDS if low <= pct < high)] += 1
    return [(label, counts[label]) for label, _, _ in BANDS]


def by_department(tallies: SummaryTallies) -> list[GroupRow]:
    """Completion of the counted lines grouped by the responsible department offices recorded."""
    groups: dict[str, Completion] = defaultdict(Completion)
    for name, tally in tallies.departments.items():
        groups[name or NO_DEPARTMENT] += tally.rated
    rows = sorted(groups.items(), key=lambda kv: (-kv[1].applicable, kv[0]))
    return [GroupRow(name, c.applicable, "", str(c.done), display_pct(100 * c.done / c.applicable), c.overdue_current,
                     "") for name, c in rows]


def by_province(rows: list[Any]) -> list[GroupRow]:
    """Pooled completion per province."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.province].append(row.total)
    result = []
    for name in sorted(groups):
        pooled = Completion.total(groups[name])
        result.append(GroupRow(name, len(groups[name]), pooled.reported_shown, pooled.done_shown, "",
                               pooled.overdue_current, str(pooled.overdue_cumulative)))
    return result


def stale_rows(schools: list[InstitutionData], as_of: date, stale_days: int) -> list[StaleRow]:
    """Institutions with no change for ``stale_days`` days or more, the longest silent first."""
    rows = []
    for school in schools:
        last = school.last_change.astimezone(CHINA).date() if school.last_change else None
        days = (as_of - last).days if last else None
        if last is None or days >= stale_days:
            rows.append(StaleRow(school.row.code, school.row.name, school.href,
                                 last.isoformat() if last else NEVER, str(days) if days is not None else "—"))
    return sorted(rows, key=lambda r: (r.last_update != NEVER, r.last_update, r.code))


def checklist_items(policy: Policy, schools: list[InstitutionData]) -> list[Item]:
    """The items on some school's checklist (each school's items by its level and province)."""
    found: dict[str, Item] = {}
    for level, province in {(school.row.level, school.row.province) for school in schools}:
        found.update((item.id, item) for item in policy.institution_items(level=level, province=province))
    return list(found.values())


def scope_heading(scope: InstitutionScope) -> str:
    """The summary's heading, naming its filter: ``山西省专科高校就业政策落实情况汇总``, ``全部高校…``."""
    authority = f"（主管部门：{scope.authority}）" if scope.authority else ""
    return f"{scope.province or '全部'}{scope.level or ''}高校就业政策落实情况汇总{authority}"


def summary_page(*, common: Common, overview: Any, schools: list[InstitutionData], tallies: SummaryTallies,
                 then: Then, scope: InstitutionScope, stale_days: int,
                 coverages: Sequence[Coverage] = ()) -> SummaryPage:
    """Everything the summary template prints; the tables of measures and departments from ``tallies``."""
    policy, as_of = common.policy, common.as_of
    total = overview.total
    heading = scope_heading(scope)
    where = "全部" if scope.everything else scope.label
    headings = section_headings(policy)
    sections = [(sid, headings.get(sid, title)) for sid, title in overview.sections]
    section_ids = [sid for sid, _ in sections]
    level_headers, level_rows = level_table(schools, sections)
    reporting = sum(school.submission.reported for school in schools)
    base = page_fields(common, heading=heading, title=f"{heading}（截至 {as_of.isoformat()}）", root="",
                       items=checklist_items(policy, schools), glossary=glossary(total))
    return SummaryPage(
        **base, rates=rate_cells(total), rings_svg=rings(total, f"{where} 三项比率（合计）"),
        counts_line=f"共 {len(schools)} 所学校。" + counts_line(total),
        section_headers=[title for _, title in sections],
        rows=[summary_row(school, section_ids) for school in schools],
        distribution_svg=histogram(distribution([s.row for s in schools]), title=f"{where} 各校落实率分布"),
        submissions=submission_counts(schools), unreported=unreported_rows(schools),
        level_headers=level_headers, level_rows=level_rows, since=then.day.isoformat(), since_note=then.note,
        since_rows=since_rows(schools, then), since_counts=since_counts(then), since_moves=since_moves(schools, then),
        school_changes=school_changes(schools, then), reporting_schools=reporting,
        measures=measure_rows(policy, tallies),
        by_province=by_province([s.row for s in schools]), by_department=by_department(tallies),
        stale_days=stale_days, stale=stale_rows(schools, as_of, stale_days),
        coverage=[coverage_link(result) for result in coverages],
    )
