"""Comparing two versions of a policy: which items continue which, what was added, removed or reworded."""

from __future__ import annotations

from dataclasses import dataclass

from jobpolicy.domain.catalog import Indicator, Item, Policy

PART_LABELS = {"title": "标题", "evidence": "佐证材料", "indicator": "指标"}


@dataclass(frozen=True, slots=True)
class WordingChange:
    """One part of an item's wording (title, evidence or indicator) that differs between two versions."""

    part: str
    old: str
    new: str

    @property
    def label(self) -> str:
        """Chinese name of the part."""
        return PART_LABELS[self.part]

    def describe(self) -> str:
        """The change as one Chinese phrase: ``指标由“…”改为“…”``."""
        return f"{self.label}由“{self.old}”改为“{self.new}”"


def _squeeze(text: str) -> str:
    # The same normalisation as the wording hash: whitespace is never a change of wording.
    return "".join(text.split())


def _indicator_key(indicator: Indicator | None) -> tuple | None:
    if indicator is None:
        return None
    return (_squeeze(indicator.name), _squeeze(indicator.unit), indicator.target, indicator.comparator)


def wording_changes(old: Item, new: Item) -> tuple[WordingChange, ...]:
    """The parts of the wording that differ, in the order title, evidence, indicator; empty when the same."""
    changes = []
    if _squeeze(old.title) != _squeeze(new.title):
        changes.append(WordingChange("title", old.title, new.title))
    if [_squeeze(e) for e in old.evidence] != [_squeeze(e) for e in new.evidence]:
        changes.append(WordingChange("evidence", "、".join(old.evidence) or "无", "、".join(new.evidence) or "无"))
    if _indicator_key(old.indicator) != _indicator_key(new.indicator):
        changes.append(WordingChange("indicator", _indicator_text(old.indicator), _indicator_text(new.indicator)))
    return tuple(changes)


def _indicator_text(indicator: Indicator | None) -> str:
    return indicator.display if indicator is not None else "无"


def predecessors(old: Policy, new: Policy) -> dict[str, tuple[str, ...]]:
    """For every new item, the old items whose records it takes over, in priority order.

    This is the one rule of succession. An item whose id is in ``old`` continues that id first, unless
    another item names the id in its ``replaces``: then the id was given to another requirement, and the
    item continues it only if it names its own id in ``replaces`` too (a split). The ids it names in
    ``replaces`` follow, in the order written.

    ``replaces`` describes one step, from the version ``new`` names as its ``previous_version`` to ``new``.
    Compared with any other version (itself, or one further back), an item continues only its own id.
    """
    old_ids = {item.id for item in old.items()}
    if (new.id, new.previous_version) != (old.id, old.version):
        return {item.id: (item.id,) if item.id in old_ids else () for item in new.items()}
    given_away = {o for item in new.items() for o in item.replaces if o != item.id}  # to another item
    result = {}
    for item in new.items():
        keeps = item.id in old_ids and (item.id not in given_away or item.id in item.replaces)
        own = [item.id] if keeps else []
        result[item.id] = tuple(dict.fromkeys(own + [o for o in item.replaces if o in old_ids]))
    return result


def successors(old: Policy, new: Policy) -> dict[str, tuple[str, ...]]:
    """For every old item, the new items that continue it (``predecessors`` read backwards).

    The first one receives its records: the item that keeps its id, if one does (its records stay where
    they are), else the first in catalog order. An empty tuple means the item was removed.
    """
    result: dict[str, list[str]] = {item.id: [] for item in old.items()}
    for new_id, olds in predecessors(old, new).items():
        for old_id in olds:
            if new_id == old_id:
                result[old_id].insert(0, new_id)  # its records stay where they are
            else:
                result[old_id].append(new_id)
    return {old_id: tuple(found) for old_id, found in result.items()}


@dataclass(frozen=True, slots=True)
class Reworded:
    """An item that kept its id but whose wording changed."""

    old: Item
    new: Item
    changes: tuple[WordingChange, ...]


@dataclass(frozen=True, slots=True)
class Replacement:
    """A new item that takes over old items (rename, split or merge), with how its wording differs from each."""

    new: Item
    olds: tuple[Item, ...]
    changes: tuple[tuple[WordingChange, ...], ...]  # one tuple per old item, same order


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """What changed from one version of a policy to another."""

    old_key: str
    new_key: str
    added: tuple[Item, ...]
    removed: tuple[Item, ...]
    reworded: tuple[Reworded, ...]
    replaced: tuple[Replacement, ...]
    unchanged: int

    @property
    def changed(self) -> bool:
        """Whether any item was added, removed, reworded or replaced."""
        return bool(self.added or self.removed or self.reworded or self.replaced)


def diff_policies(old: Policy, new: Policy) -> CatalogDiff:
    """Compare two versions item by item; every item lands in exactly one category.

    A new item that takes over only its own id is unchanged or reworded; one that names other items in
    ``replaces`` (or has a new id and names old ones) is a replacement; one that continues nothing is
    added. An old item that nothing continues is removed.
    """
    old_items = {item.id: item for item in old.items()}
    continued = predecessors(old, new)
    added, reworded, replaced, unchanged = [], [], [], 0
    for item in new.items():
        olds = continued[item.id]
        if not olds:
            added.append(item)
        elif olds == (item.id,):
            changes = wording_changes(old_items[item.id], item)
            if changes:
                reworded.append(Reworded(old_items[item.id], item, changes))
            else:
                unchanged += 1
        else:
            previous = tuple(old_items[o] for o in olds)
            replaced.append(Replacement(item, previous, tuple(wording_changes(p, item) for p in previous)))
    removed = [old_items[o] for o, found in successors(old, new).items() if not found]
    return CatalogDiff(old.key, new.key, tuple(added), tuple(removed), tuple(reworded), tuple(replaced), unchanged)
