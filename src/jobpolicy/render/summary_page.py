"""Build the SummaryPage context: heat map, pooled rates, distribution, missed items, groups, stale schools."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jobpolicy import __version__
from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_text import reference_legend, section_headings
from jobpolicy.domain.scoring import Completion, display_pct
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Status
from jobpolicy.render.charts import histogram
from jobpolicy.render.contexts import GroupRow, HeatCell, MissedItem, StaleRow, SummaryPage, SummaryRow
from jobpolicy.render.filters import heat_class
from jobpolicy.render.institution_page import (
    counts_line,
    glossary,
    measure_heading,
    print_header,
    rate_cells,
    rings,
)

BANDS = (("0–20%", 0, 20), ("20–40%", 20, 40), ("40–60%", 40, 60), ("60–80%", 60, 80), ("80–100%", 80, 101))
MISSED_SHOWN = 10
NO_DEPARTMENT = "（未填写部门）"
NEVER = "从未"


@dataclass(frozen=True)
class InstitutionData:
    """One institution's inputs to the summary: its status row, checklist lines and last change."""

    row: Any
    institution: Any
    href: str
    lines: list[Any]
    last_change: datetime | None


def heat_cell(completion: Completion | None) -> HeatCell:
    """A heat-map cell for 落实率."""
    pct = completion.done_pct if completion else None
    return HeatCell(completion.done_pct_str if completion else "—", heat_class(None if pct is None else pct / 100),
                    "-1" if pct is None else f"{pct:.4f}")


def _rate(pct: float | None, text: str) -> HeatCell:
    return HeatCell(text, "", "-1" if pct is None else f"{pct:.4f}")


def summary_row(school: InstitutionData, section_ids: list[str]) -> SummaryRow:
    """One institution's row of the heat map."""
    total = school.row.total
    last = school.last_change.astimezone(CHINA).date().isoformat() if school.last_change else NEVER
    return SummaryRow(
        code=school.row.code, name=school.row.name, href=school.href, province=school.row.province,
        cells=[heat_cell(school.row.sections.get(sid)) for sid in section_ids],
        rates=[_rate(total.reported_pct, total.reported_pct_str), _rate(total.done_pct, total.done_pct_str),
               _rate(total.met_pct, total.met_pct_str)],
        overdue_current=total.overdue_current, overdue_cumulative=total.overdue_cumulative,
        done_late=total.done_late, last_update=last, last_update_sort="0000-00-00" if last == NEVER else last,
    )


def distribution(rows: list[Any]) -> list[tuple[str, int]]:
    """How many institutions fall in each 落实率 band (institutions with nothing to rate are left out)."""
    counts = Counter()
    for row in rows:
        pct = row.total.done_pct
        if pct is not None:
            counts[next(label for label, low, high in BANDS if low <= pct < high)] += 1
    return [(label, counts[label]) for label, _, _ in BANDS]


def _counted_lines(lines: list[Any]) -> list[Any]:
    """The lines the rates count: one per item, in the period status counts, unless it is 启用前."""
    return [line for line in lines if line.counted and line.standing is not Standing.BEFORE_START]


def _is_done(line: Any) -> bool:
    return line.state is not None and Status(line.state.status).closed


def missed_items(policy: Policy, schools: list[InstitutionData]) -> list[MissedItem]:
    """The items most institutions have applicable and not done, most first."""
    missed, applicable, titles = Counter(), Counter(), {}
    for school in schools:
        for line in _counted_lines(school.lines):
            applicable[line.item.id] += 1
            titles[line.item.id] = line.item.title
            if not _is_done(line):
                missed[line.item.id] += 1
    ranked = sorted(missed.items(), key=lambda pair: (-pair[1], pair[0]))[:MISSED_SHOWN]
    return [MissedItem(item_id, titles[item_id], measure_heading(policy, item_id), count,
                       display_pct(100 * count / applicable[item_id]))
            for item_id, count in ranked]


def by_department(schools: list[InstitutionData]) -> list[GroupRow]:
    """Completion of the counted lines grouped by the responsible department offices recorded."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for school in schools:
        for line in _counted_lines(school.lines):
            if line.state is None or line.state.status == Status.NOT_APPLICABLE:
                continue
            group = groups[line.state.department or NO_DEPARTMENT]
            group[0] += 1
            group[1] += line.state.status == Status.DONE
            group[2] += line.overdue
    return [GroupRow(name, count, "", str(done), display_pct(100 * done / count), overdue, "")
            for name, (count, done, overdue) in sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0]))]


def by_province(rows: list[Any]) -> list[GroupRow]:
    """Pooled completion per province."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        groups[row.province].append(row.total)
    result = []
    for name in sorted(groups):
        pooled = sum(groups[name], Completion())
        result.append(GroupRow(name, len(groups[name]), pooled.reported_pct_str, pooled.done_pct_str, "",
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
                                 last.isoformat() if last else "从未", str(days) if days is not None else "—"))
    return sorted(rows, key=lambda r: (r.last_update != "从未", r.last_update, r.code))


def summary_page(*, policy: Policy, overview: Any, schools: list[InstitutionData], scope: str | None, as_of: date,
                 stale_days: int, generated_at: str, demo: bool) -> SummaryPage:
    """Everything the summary template prints."""
    section_ids = [sid for sid, _ in overview.sections]
    total = overview.total
    where = scope or "全部"
    heading = f"{where}高校就业政策落实情况汇总"
    headings = section_headings(policy)
    return SummaryPage(
        title=f"{heading}（截至 {as_of.isoformat()}）", heading=heading, policy_title=policy.title,
        policy_key=policy.key, as_of=as_of.isoformat(), generated_at=generated_at, tool_version=__version__,
        demo=demo, root="", print_header_css=print_header(f"{heading}　数据截至 {as_of.isoformat()}"),
        reference_legend=reference_legend(line.item for school in schools for line in school.lines),
        glossary=glossary(total),
        rates=rate_cells(total), rings_svg=rings(total, f"{where} 三项比率（合计）"),
        counts_line=f"共 {len(schools)} 所学校。" + counts_line(total),
        section_headers=[headings.get(sid, title) for sid, title in overview.sections],
        rows=[summary_row(school, section_ids) for school in schools],
        distribution_svg=histogram(distribution([s.row for s in schools]), title=f"{where} 各校落实率分布"),
        missed_items=missed_items(policy, schools), by_province=by_province([s.row for s in schools]),
        by_department=by_department(schools), stale_days=stale_days,
        stale=stale_rows(schools, as_of, stale_days),
    )
