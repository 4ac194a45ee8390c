"""One measure, and one item, across all schools: the summary's table of measures and the pages it links to.

A measure's or an item's figures read each school's counted line of each item (``school_lines.counted_lines``):
落实率 is weighted as the schools' own (已完成 weight over the weight of lines not 不适用). The pages are built
one at a time from an index of those lines, so a report over thousands of schools never holds them all at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jobpolicy.domain.catalog import Item, Measure, Policy
from jobpolicy.domain.catalog_text import heading_label
from jobpolicy.domain.line_tally import SummaryTallies
from jobpolicy.domain.scoring import Completion, percent, rate_with_counts
from jobpolicy.render.contexts import MeasurePage, MeasureRow, MeasureSchoolRow
from jobpolicy.render.filters import submission_class
from jobpolicy.render.html import Page
from jobpolicy.render.item_pages import item_cell, item_link, item_page
from jobpolicy.render.record_views import local_time
from jobpolicy.render.school_lines import (
    InstitutionData,
    counted_lines,
    is_closed,
    is_done,
    is_not_applicable,
    is_rated,
)
from jobpolicy.render.site import SUMMARY_PAGE, Common, item_page_name, measure_page_name, page_fields, term_notes

# The derived terms a measure's page shows: its rate, and the marks in the schools' cells.
MEASURE_TERMS = ("落实率", "逾期", "逾期完成", "启用前")


@dataclass
class Pool:
    """Lines of some schools pooled: the weights behind a 落实率, and the schools that have not done them all."""

    weight: float = 0.0
    done_weight: float = 0.0
    schools: set[str] = field(default_factory=set)
    missed_schools: set[str] = field(default_factory=set)

    def add(self, code: str, line: Any) -> None:
        """Count one counted line of school ``code``."""
        self.schools.add(code)
        if not is_not_applicable(line):
            self.weight += line.item.weight
            self.done_weight += line.item.weight if is_done(line) else 0.0
        if not is_closed(line):
            self.missed_schools.add(code)

    @property
    def pct(self) -> float | None:
        """落实率 in percent, None with nothing to rate."""
        return percent(self.done_weight, self.weight)

    @property
    def shown(self) -> str:
        """落实率 with its counts."""
        return rate_with_counts(self.done_weight, self.weight)


class LineIndex:
    """Each item's counted lines across the schools, in school order: built once, read by every measure."""

    def __init__(self, schools: list[InstitutionData]):
        by_item: dict[str, list[tuple[InstitutionData, Any]]] = defaultdict(list)
        for school in schools:
            for line in school.lines:
                if line.counted:  # 启用前 lines included: the item pages show them as such
                    by_item[line.item.id].append((school, line))
        self.by_item = dict(by_item)

    def items(self, measure: Measure) -> list[Item]:
        """The measure's items some school has a line of (university items), in catalog order."""
        return [item for item in measure.items if item.id in self.by_item]

    def has(self, measure: Measure) -> bool:
        """Whether any school has a line of the measure."""
        return bool(self.items(measure))

    def lines(self, measure: Measure, *, reporting_only: bool = False) -> Iterator[tuple[InstitutionData, Any]]:
        """The lines the rates count of ``measure``'s items (of reporting schools only, if asked)."""
        for item in self.items(measure):
            for school, line in self.by_item[item.id]:
                if is_rated(line) and (not reporting_only or school.submission.reported):
                    yield school, line


def _weakest(measure: Measure, tallies: SummaryTallies) -> str:
    missed = {item.id: tallies.item(item.id, reporting=True).open for item in measure.items}
    missed = {item_id: n for item_id, n in missed.items() if n}
    if not missed:
        return ""
    item_id, count = min(missed.items(), key=lambda pair: (-pair[1], pair[0]))
    return f"{item_id} 有 {count} 所未完成"


def measure_row(measure: Measure, tallies: SummaryTallies) -> tuple[MeasureRow, Completion, int]:
    """A measure among the reporting schools: its row, its rated lines' counts and how many schools have open ones."""
    counts = sum((tallies.item(item.id, reporting=True).rated for item in measure.items), Completion())
    n, missed = tallies.schools(measure.id, reporting=True)
    pct = percent(counts.done_weight, counts.weight)
    row = MeasureRow(
        measure_id=measure.id, heading=heading_label(measure), href=measure_page_name(measure.id),
        schools=n, missed_schools=f"{missed}/{n}", done=rate_with_counts(counts.done_weight, counts.weight),
        done_sort="-1" if pct is None else f"{pct:.4f}", weakest=_weakest(measure, tallies))
    return row, counts, missed


def measure_rows(policy: Policy, tallies: SummaryTallies) -> list[MeasureRow]:
    """Every measure some school has lines of, the most often missed among reporting schools first: lowest
    落实率, then most schools missing some of it; measures without a reporting school last, in catalog order."""
    ranked = []
    for position, measure in enumerate(policy.measures()):
        if any(tallies.has(item.id) for item in measure.items):
            row, counts, missed = measure_row(measure, tallies)
            pct = percent(counts.done_weight, counts.weight)
            ranked.append(((pct is None, pct or 0.0, -missed, position), row))
    return [row for _, row in sorted(ranked, key=lambda pair: pair[0])]


def _last_change(lines: list[Any]) -> tuple[str, str]:
    """When and by whom the latest of these lines changed: text and sort key, or 从未."""
    states = [line.state for line in lines if line.state is not None and line.state.updated_at is not None]
    if not states:
        return "从未", ""
    latest = max(states, key=lambda state: state.updated_at)
    when = local_time(latest.updated_at)
    return f"{when} {latest.updated_by}".strip(), when


def _school_row(items: list[Item], school: InstitutionData, lines: dict[str, Any]) -> tuple[tuple, MeasureSchoolRow]:
    pool = Pool()
    for line in counted_lines(list(lines.values())):
        pool.add(school.row.code, line)
    last, last_sort = _last_change(list(lines.values()))
    overdue = sum(line.overdue for line in lines.values())
    row = MeasureSchoolRow(
        school=school.link("../"), submission=school.submission.label,
        submission_css=submission_class(school.submission), done=pool.shown,
        done_sort="-1" if pool.pct is None else f"{pool.pct:.4f}",
        cells=[item_cell(lines.get(item.id)) for item in items], last_change=last, last_sort=last_sort)
    # Worst first: the lowest 落实率 (none to rate last), the most overdue, then by code.
    return (pool.pct is None, pool.pct or 0.0, -overdue, school.row.code), row


def measure_page(common: Common, section: str, measure: Measure, index: LineIndex) -> MeasurePage:
    """A measure across all schools it applies to, worst first, with its items linking to their pages."""
    items = index.items(measure)
    by_school: dict[str, tuple[InstitutionData, dict[str, Any]]] = {}
    for item in items:
        for school, line in index.by_item[item.id]:
            by_school.setdefault(school.row.code, (school, {}))[1][item.id] = line
    ranked = sorted((_school_row(items, school, lines) for school, lines in by_school.values()),
                    key=lambda pair: pair[0])
    pool = Pool()
    for school, line in index.lines(measure):
        pool.add(school.row.code, line)
    complete = len(pool.schools) - len(pool.missed_schools)
    heading = heading_label(measure)
    base = page_fields(common, heading=heading, title=f"{heading}（各校情况，截至 {common.as_of.isoformat()}）",
                       items=items, glossary=term_notes(MEASURE_TERMS))
    return MeasurePage(
        **base, section=section, basis=f"“{measure.basis.quote}”（{measure.basis.ref}）",
        summary_href=f"../{SUMMARY_PAGE}",
        counts_line=(f"适用 {len(by_school)} 所学校；落实率 {pool.shown}；全部完成（或不适用）的学校 {complete} 所。"),
        items=[item_link(item, [line for _, line in index.by_item[item.id]]) for item in items],
        rows=[row for _, row in ranked])


def measure_and_item_pages(common: Common, index: LineIndex) -> Iterator[Page]:
    """Each measure's page, then its items' pages, built one at a time as they are written."""
    for section in common.policy.sections:
        for measure in section.measures:
            if not index.has(measure):
                continue
            yield Page(measure_page_name(measure.id), "measure.html",
                       measure_page(common, heading_label(section), measure, index))
            for item in index.items(measure):
                context = item_page(common, measure, item, index.by_item[item.id])
                yield Page(item_page_name(item.id), "item.html", context)

