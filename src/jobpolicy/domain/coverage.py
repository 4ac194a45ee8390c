"""How a plan (a province's catalog) covers a policy (the opinion), measure by measure, through a mapping.

An item of the policy is 已覆盖 when an item of the plan asks for all of it (``equal`` or ``superset``, read from
the plan's item), 部分覆盖 when plan items ask only for part of it or overlap it (``subset``, ``intersect``), and
未覆盖 without any. A measure is 已覆盖 when every one of its items is, 未覆盖 when none is even partly, else
部分覆盖. What the plan adds: its items mapped onto nothing (新增), and those asking for more than the item they
cover (``superset``, 更高要求). Where a plan item covers a policy item and sets another indicator target or deadline,
that is the plan's own target (本省目标), listed apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jobpolicy.domain.catalog import Item, Measure, Policy
from jobpolicy.domain.mapping import ItemLink, Relation
from jobpolicy.domain.periods import describe


class Cover(StrEnum):
    """How far a policy item or measure is covered by the plan."""

    COVERED = "covered"
    PARTLY = "partly"
    NOT_COVERED = "not_covered"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {Cover.COVERED: "已覆盖", Cover.PARTLY: "部分覆盖", Cover.NOT_COVERED: "未覆盖"}[self]


@dataclass(frozen=True)
class ItemCover:
    """One item of the policy and the plan's items that cover it (links read from the plan's item)."""

    item: Item
    state: Cover
    links: tuple[ItemLink, ...]


@dataclass(frozen=True)
class MeasureCover:
    """One measure of the policy, its items, and how far the plan covers it."""

    measure: Measure
    state: Cover
    items: tuple[ItemCover, ...]


@dataclass(frozen=True)
class Addition:
    """An item of the plan beyond the policy: mapped onto nothing, or asking for more than what it covers."""

    item: Item
    beyond: tuple[str, ...] = ()  # the policy items it asks for more than (``superset``); empty: a new item

    @property
    def label(self) -> str:
        """新增 or 更高要求."""
        return "更高要求" if self.beyond else "新增"


@dataclass(frozen=True)
class OwnTarget:
    """A plan item's own target or deadline for a policy item it covers: what the plan's view judges against."""

    plan_item: Item
    policy_item: Item
    what: str  # 指标 or 截止
    plan: str
    policy: str


@dataclass(frozen=True)
class Coverage:
    """How a plan covers a policy, measure by measure, what it adds and where it sets its own targets."""

    plan: Policy
    policy: Policy
    measures: tuple[MeasureCover, ...]
    additions: tuple[Addition, ...]
    targets: tuple[OwnTarget, ...]

    def count(self, state: Cover) -> int:
        """How many measures of the policy are in ``state``."""
        return sum(1 for m in self.measures if m.state is state)


def coverage(plan: Policy, policy: Policy, links: Iterable[ItemLink]) -> Coverage:
    """How ``plan`` covers ``policy`` through ``links`` read from the plan's items to the policy's."""
    links = tuple(links)
    by_target: dict[str, list[ItemLink]] = {}
    for link in links:
        by_target.setdefault(link.target, []).append(link)
    measures = tuple(_measure(m, by_target) for m in policy.measures())
    return Coverage(plan, policy, measures, _additions(plan, links), _targets(plan, policy, links))


def _item_state(links: list[ItemLink]) -> Cover:
    if any(link.relation.full for link in links):
        return Cover.COVERED
    return Cover.PARTLY if links else Cover.NOT_COVERED


def _measure(measure: Measure, by_target: dict[str, list[ItemLink]]) -> MeasureCover:
    items = tuple(ItemCover(i, _item_state(by_target.get(i.id, [])), tuple(by_target.get(i.id, [])))
                  for i in measure.items)
    states = {i.state for i in items}
    if states == {Cover.COVERED}:
        state = Cover.COVERED
    elif states == {Cover.NOT_COVERED}:
        state = Cover.NOT_COVERED
    else:
        state = Cover.PARTLY
    return MeasureCover(measure, state, items)


def _additions(plan: Policy, links: tuple[ItemLink, ...]) -> tuple[Addition, ...]:
    found = []
    for item in plan.items():
        own = [link for link in links if link.source == item.id]
        if not own:
            found.append(Addition(item))
        elif beyond := tuple(link.target for link in own if link.relation is Relation.SUPERSET):
            found.append(Addition(item, beyond))
    return tuple(found)


def _targets(plan: Policy, policy: Policy, links: tuple[ItemLink, ...]) -> tuple[OwnTarget, ...]:
    found = []
    for link in links:
        mine, theirs = plan.item(link.source), policy.item(link.target)
        if mine is None or theirs is None or not link.relation.full:
            continue
        for what, plan_says, policy_says in (("指标", indicator_text(mine), indicator_text(theirs)),
                                             ("截止", deadline_text(mine), deadline_text(theirs))):
            if plan_says and plan_says != policy_says:
                found.append(OwnTarget(mine, theirs, what, plan_says, policy_says or "未规定"))
    return tuple(found)


def indicator_text(item: Item) -> str | None:
    """The indicator's target (``≤ 400 名毕业生/每名专职人员``), or None."""
    return item.indicator.target_display if item.indicator else None


def deadline_text(item: Item) -> str | None:
    """The deadline in words: a date, or the cadence (``每年 11月30日前``); None without."""
    if item.due is not None:
        return f"{item.due.isoformat()} 前"
    return describe(item.cadence) if item.cadence else None
