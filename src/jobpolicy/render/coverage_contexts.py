"""Page contexts of the coverage page: how a province's plan covers the policy, in the summary report.

Kept beside ``contexts`` (which is long enough); the same rule holds: display-ready values, each field with its help.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobpolicy.render.contexts import PageBase, _help


@dataclass(frozen=True)
class CoverageItemRow:
    """One item of the policy and the plan's items that cover it."""

    item_id: str = _help("the policy's item id")
    title: str = _help("what the item asks")
    state: str = _help("已覆盖, 部分覆盖 or 未覆盖")
    state_css: str = _help("CSS class of the state badge")
    links: str = _help("the plan's items with their relation, e.g. guide.1.a 包含 guidance.4.a; — without any")


@dataclass(frozen=True)
class CoverageMeasureRow:
    """One measure of the policy, how far the plan covers it, and its items."""

    heading: str = _help("official number and title of the measure")
    measure_id: str = _help("its id")
    state: str = _help("已覆盖, 部分覆盖 or 未覆盖")
    state_css: str = _help("CSS class of the state badge")
    items: list[CoverageItemRow] = _help("its items, in catalog order")


@dataclass(frozen=True)
class CoverageExtraRow:
    """An item of the plan beyond the policy."""

    item_id: str = _help("the plan's item id")
    kind: str = _help("新增 (mapped onto nothing) or 更高要求 (asks for more than the items it covers)")
    title: str = _help("what the plan's item asks")
    beyond: str = _help("the policy's items it asks for more than, or empty")


@dataclass(frozen=True)
class CoverageTargetRow:
    """A plan item's own target or deadline for a policy item it covers."""

    items: str = _help("plan item → policy item")
    what: str = _help("指标 or 截止")
    plan: str = _help("the plan's target or deadline (what the plan's view judges against)")
    policy: str = _help("the policy's, unchanged in the policy's view")


@dataclass(frozen=True)
class CoveragePage(PageBase):
    """How a province's plan covers the policy, measure by measure."""

    summary_href: str = _help("link back to the summary page")
    counts_line: str = _help("measures covered, partly covered, not covered, and what the plan adds")
    plan_title: str = _help("the plan's title and id@version")
    measures: list[CoverageMeasureRow] = _help("every measure of the policy, in document order")
    extras: list[CoverageExtraRow] = _help("the plan's new items and higher requirements")
    targets: list[CoverageTargetRow] = _help("the plan's own targets and deadlines for the items it covers")
    relation_note: str = _help("how to read the relations")
