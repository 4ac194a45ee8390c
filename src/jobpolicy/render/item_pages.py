"""One item across all schools: each school's counted line as a row and as a cell of its measure's table, worst
first, and the item's own page."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jobpolicy.domain.catalog import Item, Measure
from jobpolicy.domain.catalog_text import MISSED, NO_VALUE, heading_label, indicator_target, indicator_verdict
from jobpolicy.domain.periods import describe, shown_period
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Review, Status
from jobpolicy.domain.values import encode
from jobpolicy.render.contexts import ItemCell, ItemLink, ItemPage, ItemSchoolRow
from jobpolicy.render.filters import review_class, status_class
from jobpolicy.render.institution_page import STANDING_CSS, evidence_cells
from jobpolicy.render.record_views import local_time, mapping_note
from jobpolicy.render.school_lines import InstitutionData
from jobpolicy.render.site import SUMMARY_PAGE, Common, item_page_name, measure_page_name, page_fields, term_notes

# The derived terms an item's page shows: the marks beside each school's status.
ITEM_TERMS = ("逾期", "逾期完成", "启用前")
NOT_ON_CHECKLIST = ItemCell("不适用本校", "st-na", "", "", "", "", "99")
VERDICT_CSS = {MISSED: "verdict-missed"}

# Worst first: overdue, not filled, not started, in progress, done but short of the target, done late, done,
# 不适用, 启用前 (counted nowhere).
_ORDER = {Status.NOT_STARTED: 2, Status.IN_PROGRESS: 3, Status.DONE: 6, Status.NOT_APPLICABLE: 7}


def _verdict(line: Any) -> str:
    return indicator_verdict(line.item, line.state.value) if line.state is not None else ""


def item_order(line: Any) -> int:
    """Where a line sorts, worst first: the rank of its standing and status, then a returned one before the rest."""
    state = line.state
    if line.standing is Standing.BEFORE_START:
        rank = 8
    elif line.standing is Standing.OVERDUE:
        rank = 0
    elif state is None:
        rank = 1
    elif line.standing is Standing.DONE_LATE:
        rank = 5
    elif state.status == Status.DONE and _verdict(line) == MISSED:
        rank = 4
    else:
        rank = _ORDER.get(Status(state.status), 2)
    returned = state is not None and state.review == Review.RETURNED
    return rank * 10 + (0 if returned else 1)


def _status(line: Any) -> tuple[str, str]:
    status = Status(line.state.status) if line.state is not None else None
    return (status.label if status else "未填报"), status_class(status.value if status else None)


def _review(line: Any, *, drafts: bool) -> tuple[str, str]:
    review = Review(line.state.review) if line.state is not None else None
    if review is None or (review is Review.DRAFT and not drafts):
        return ("—" if drafts else ""), review_class(None)
    return review.label, review_class(review.value)


def item_cell(line: Any | None) -> ItemCell:
    """A school's line of an item as a cell of its measure's table (not on its checklist: 不适用本校)."""
    if line is None:
        return NOT_ON_CHECKLIST
    status, status_css = _status(line)
    review, review_css = _review(line, drafts=False)
    mark, mark_css = line.standing.label, STANDING_CSS.get(line.standing, "")
    if not mark_css:
        mark = _verdict(line)
        mark_css = VERDICT_CSS.get(mark, "verdict-met" if mark else "")
    return ItemCell(status, status_css, review, review_css, mark, mark_css, str(item_order(line)), mapping_note(line))


def _last(state: Any) -> tuple[str, str]:
    if state is None:
        return "", ""
    return local_time(state.updated_at), state.updated_by


def item_row(school: InstitutionData, line: Any, order: int) -> ItemSchoolRow:
    """A school's counted line of an item, as a row of the item's page; ``order`` is its ``item_order``."""
    state, item = line.state, line.item
    status, status_css = _status(line)
    review, review_css = _review(line, drafts=True)
    value = state.value if state is not None else None
    verdict = indicator_verdict(item, value)
    evidence = evidence_cells(state.evidence) if state is not None else []
    when, who = _last(state)
    return ItemSchoolRow(
        school=school.link("../"), period=shown_period(line.period), status_label=status, status_css=status_css,
        standing=line.standing.label if line.standing in STANDING_CSS else "",
        standing_css=STANDING_CSS.get(line.standing, ""), sort=str(order), review_label=review,
        review_css=review_css,
        review_reason=(state.review_reason or "") if state is not None and state.review == Review.RETURNED else "",
        value=("" if item.indicator is None else encode(value) if value is not None else NO_VALUE),
        verdict=verdict, verdict_css=VERDICT_CSS.get(verdict, "verdict-met" if verdict else ""),
        evidence_count=len(evidence), evidence_first=evidence[0] if evidence else None,
        last_change=when, last_by=who, via=mapping_note(line))


def tally(lines: list[Any]) -> Counter:
    """How many lines of an item stand where: the counts its page and its link print."""
    found: Counter = Counter()
    for line in lines:
        state = line.state
        if line.standing is Standing.BEFORE_START:
            found["before"] += 1
            continue
        found["schools"] += 1
        found["overdue"] += line.standing is Standing.OVERDUE
        found["late"] += line.standing is Standing.DONE_LATE
        found[state.status if state is not None else "unfilled"] += 1
        found["returned"] += state is not None and state.review == Review.RETURNED
        verdict = _verdict(line)
        found["indicators"] += bool(verdict)
        found["met"] += bool(verdict) and verdict != MISSED
    return found


def link_counts(found: Counter) -> str:
    """The short counts beside an item's link."""
    return (f"适用 {found['schools']} 所：已完成 {found[Status.DONE.value]}，逾期 {found['overdue']}，"
            f"已退回 {found['returned']}")


def counts_line(found: Counter, item: Item) -> str:
    """The counts at the top of an item's page, in one sentence."""
    late = f"（其中逾期完成 {found['late']} 所）" if found["late"] else ""
    text = (f"适用 {found['schools']} 所学校：已完成 {found[Status.DONE.value]} 所{late}，"
            f"推进中 {found[Status.IN_PROGRESS.value]} 所，未启动 {found[Status.NOT_STARTED.value]} 所，"
            f"未填报 {found['unfilled']} 所，不适用 {found[Status.NOT_APPLICABLE.value]} 所；"
            f"逾期 {found['overdue']} 所；已退回 {found['returned']} 所。")
    if item.indicator is not None:
        text += f"已填指标 {found['indicators']} 所，达标 {found['met']} 所。"
    if found["before"]:
        text += f"另有 {found['before']} 所的截止日期早于其开始跟踪日期（启用前），不计入。"
    return text


def item_link(item: Item, lines: list[Any]) -> ItemLink:
    """An item of a measure's page, linking to the item's own page."""
    return ItemLink(item.id, item.title, f"../{item_page_name(item.id)}", link_counts(tally(lines)))


def _deadline(item: Item) -> str:
    if item.cadence is not None:
        return describe(item.cadence)
    return f"截止日期 {item.due.isoformat()}" if item.due else ""


def item_page(common: Common, measure: Measure, item: Item, rows: list[tuple[InstitutionData, Any]]) -> ItemPage:
    """An item across all schools: every school's counted line, worst first."""
    ordered = sorted((item_order(line), school.row.code, school, line) for school, line in rows)
    heading = f"{item.id} {item.title}"
    base = page_fields(common, heading=heading, title=f"{heading}（各校情况，截至 {common.as_of.isoformat()}）",
                       items=[item], glossary=term_notes(ITEM_TERMS))
    return ItemPage(
        **base, item_id=item.id, measure=heading_label(measure), measure_href=f"../{measure_page_name(measure.id)}",
        summary_href=f"../{SUMMARY_PAGE}", evidence_required="；".join(item.evidence),
        indicator=indicator_target(item), deadline=_deadline(item),
        counts_line=counts_line(tally([line for _, line in rows]), item),
        rows=[item_row(school, line, order) for order, _, school, line in ordered])
