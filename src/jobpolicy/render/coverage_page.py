"""The coverage page of the summary report, and the summary's link to it."""

from __future__ import annotations

from collections.abc import Sequence

from jobpolicy.domain.coverage import Cover, Coverage
from jobpolicy.domain.file_names import safe_file_name
from jobpolicy.render.contexts import CoverageLink
from jobpolicy.render.coverage_contexts import (
    CoverageExtraRow,
    CoverageItemRow,
    CoverageMeasureRow,
    CoveragePage,
    CoverageTargetRow,
)
from jobpolicy.render.coverage_views import RELATION_NOTE, counts_line, links_text
from jobpolicy.render.filters import status_class
from jobpolicy.render.site import SUMMARY_PAGE, Common, page_fields

STATE_STATUS = {Cover.COVERED: "done", Cover.PARTLY: "in_progress", Cover.NOT_COVERED: "not_started"}


def coverage_page_name(result: Coverage) -> str:
    """Where a plan's coverage page is, from the report folder."""
    return f"coverage/{safe_file_name(result.plan.id, '.html')}"


def coverage_link(result: Coverage) -> CoverageLink:
    """The summary's link to the page."""
    return CoverageLink(f"{result.plan.display_title} 对照 {result.policy.display_title}", counts_line(result),
                        coverage_page_name(result))


def coverage_page(common: Common, result: Coverage) -> CoveragePage:
    """Everything the coverage template prints."""
    heading = f"{result.plan.display_title}：对照{result.policy.display_title}的覆盖情况"
    base = page_fields(common, heading=heading, title=heading, items=(), glossary=[])
    return CoveragePage(
        **base, summary_href=f"../{SUMMARY_PAGE}", counts_line=counts_line(result),
        plan_title=f"{result.plan.title}（{result.plan.key}）",
        measures=[CoverageMeasureRow(m.measure.heading, m.measure.id, m.state.label, _css(m.state),
                                     [CoverageItemRow(i.item.id, i.item.title, i.state.label, _css(i.state),
                                                      links_text(i)) for i in m.items])
                  for m in result.measures],
        extras=[CoverageExtraRow(a.item.id, a.label, a.item.title, "、".join(a.beyond)) for a in result.additions],
        targets=[CoverageTargetRow(f"{t.plan_item.id} → {t.policy_item.id}", t.what, t.plan, t.policy)
                 for t in result.targets],
        relation_note=RELATION_NOTE)


def _css(state: Cover) -> str:
    return status_class(STATE_STATUS[state])


def target_notes(policy_id: str, coverages: Sequence[Coverage]) -> dict[str, str]:
    """By item id of a plan, where it sets its own target or deadline for an item of the policy it maps onto: what
    the plan's pages say beside the item (``本方案指标：… ；意见：… ；按本方案判定``). Empty for the policy's own
    pages: its view stays as it is."""
    notes: dict[str, list[str]] = {}
    for result in coverages:
        if result.plan.id != policy_id:
            continue
        for target in result.targets:
            notes.setdefault(target.plan_item.id, []).append(
                f"本方案{target.what}：{target.plan}（{result.policy.display_title}：{target.policy}），按本方案判定")
    return {item: "；".join(texts) for item, texts in notes.items()}
