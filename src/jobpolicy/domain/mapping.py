"""Mappings between catalogs: how the items of one policy version relate to the items of another.

A mapping is read from a catalog file's ``mapping`` block (its items onto another policy's) or from a mapping file
of its own; ``mapping_checks`` validates it. A relation is read from the mapped item ("from") to the other ("to"):
``superset`` says the from item asks for everything the to item asks, and more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Relation(StrEnum):
    """How one item relates to another, read from the first to the second."""

    EQUAL = "equal"
    SUBSET = "subset"  # the first asks for part of what the second asks
    SUPERSET = "superset"  # the first asks for all the second asks, and more
    INTERSECT = "intersect"  # they overlap, neither holds the other

    @property
    def label(self) -> str:
        """Chinese label, read from the first item to the second."""
        return RELATION_LABELS[self]

    @property
    def inverse(self) -> Relation:
        """The same relation read the other way round."""
        return {Relation.SUBSET: Relation.SUPERSET, Relation.SUPERSET: Relation.SUBSET}.get(self, self)

    @property
    def full(self) -> bool:
        """Whether doing the first item does all of the second: a record of the first counts fully for it."""
        return self in (Relation.EQUAL, Relation.SUPERSET)


RELATION_LABELS = {
    Relation.EQUAL: "等同",
    Relation.SUBSET: "被包含",
    Relation.SUPERSET: "包含",
    Relation.INTERSECT: "交叉",
}


def relation_choices() -> str:
    """The accepted relations, for messages."""
    return "、".join(f"{r.value}（{r.label}）" for r in Relation)


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """One version of one policy, as a mapping names it."""

    id: str
    version: str

    @property
    def key(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"


@dataclass(frozen=True, slots=True)
class ItemLink:
    """One item of the from policy related to one item of the to policy."""

    source: str  # item id in the from policy
    target: str  # item id in the to policy
    relation: Relation
    line: int | None = field(default=None, compare=False)  # where the file says it

    @property
    def inverse(self) -> ItemLink:
        """The link read from the to item."""
        return ItemLink(self.target, self.source, self.relation.inverse, self.line)


@dataclass(frozen=True, slots=True)
class Mapping:
    """The items of one policy version related to the items of another (``source`` → ``target``)."""

    source: PolicyRef
    target: PolicyRef
    links: tuple[ItemLink, ...]
    file: str | None = field(default=None, compare=False)  # names it in problems

    @property
    def key(self) -> str:
        """``A@1 → B@2``, how people name a mapping."""
        return f"{self.source.key} → {self.target.key}"

    def between(self, first: str, second: str) -> tuple[ItemLink, ...] | None:
        """The links read from policy ``first`` to policy ``second`` (inverted when stored the other way round);
        None when this mapping is not between them."""
        if (self.source.id, self.target.id) == (first, second):
            return self.links
        if (self.source.id, self.target.id) == (second, first):
            return tuple(link.inverse for link in self.links)
        return None


@dataclass(frozen=True, slots=True)
class Source:
    """An item of another policy that a line's item is mapped from, with the relation read from that item."""

    policy_id: str
    item_id: str
    relation: Relation  # read from the source item to the line's item: ``full`` when it does all of it

    @property
    def label(self) -> str:
        """``gse-2025 support.16.a（等同）``: where a record counted through a mapping comes from."""
        return f"{self.policy_id} {self.item_id}（{self.relation.label}）"


def sources_onto(policy_id: str, mappings: Iterable[Mapping]) -> dict[str, list[Source]]:
    """Every item of ``policy_id`` that other policies' items are mapped onto, with those items, in mapping order."""
    found: dict[str, list[Source]] = {}
    for mapping in mappings:
        other = mapping.target.id if mapping.source.id == policy_id else mapping.source.id
        for link in mapping.between(other, policy_id) or ():
            found.setdefault(link.target, []).append(Source(other, link.source, link.relation))
    return found


def counted_source(sources: Iterable[Source]) -> Source | None:
    """The one source whose record a line counts when it has none of its own: the first whose relation is full.

    The rule of counting through a mapping, in this order (``services/status.py`` says the same in SQL, and an
    agreement test keeps them equal): a line counts its own record (institution, policy, item, period) when there is
    one; else the record of this source in the same period, as if it were its own, judged against the line's own
    deadline and target. Partial sources (``subset``, ``intersect``) count for nothing; they are shown as partial
    evidence. Nothing is copied: the record stays under its own policy and item.
    """
    return next((source for source in sources if source.relation.full), None)
