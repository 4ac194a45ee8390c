"""Frozen models of a policy catalog: policy, sections (体系), measures (举措), items (检查项)."""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path


class Actor(StrEnum):
    """Who carries an item out."""

    UNIVERSITY = "university"
    PROVINCE = "province"
    LOCAL = "local"
    MINISTRY = "ministry"

    @property
    def label(self) -> str:
        """Chinese label for reports and messages."""
        return ACTOR_LABELS[self]


ACTOR_LABELS = {
    Actor.UNIVERSITY: "高校",
    Actor.PROVINCE: "省级教育部门",
    Actor.LOCAL: "地方政府",
    Actor.MINISTRY: "国家有关部门",
}

LEVELS = ("本科", "专科", "成人")

COMPARATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


class BasisKind(StrEnum):
    """Where a requirement comes from."""

    OPINION = "opinion"  # the policy's own text
    NOTICE = "notice"  # an earlier national notice, named with its number and year
    PRACTICE = "practice"  # a province's practice, named

    @property
    def label(self) -> str:
        """Chinese label for reports and messages."""
        return BASIS_KIND_LABELS[self]


BASIS_KIND_LABELS = {
    BasisKind.OPINION: "政策原文",
    BasisKind.NOTICE: "此前的国家通知",
    BasisKind.PRACTICE: "地方做法",
}


@dataclass(frozen=True, slots=True)
class ItemBasis:
    """Where an item's requirement (or an indicator's target) comes from.

    ``opinion``: passages of the policy's own text (``quotes``), in the unit ``ref`` names (default: the
    measure's). ``notice``: an earlier national notice (``source``, its document ``number``, ``year``).
    ``practice``: a province's practice (``source``, ``year``). Catalogs written before kinds existed leave
    ``kind`` as None and name only ``source`` and ``year``.
    """

    kind: BasisKind | None = None
    source: str | None = None
    year: int | None = None
    quotes: tuple[str, ...] = ()
    ref: str | None = None
    number: str | None = None

    @property
    def quote(self) -> str | None:
        """The quoted passages as one text, or None."""
        return "……".join(self.quotes) or None

    @property
    def from_policy(self) -> bool:
        """Whether the requirement is the policy's own text."""
        return self.kind is BasisKind.OPINION

    @property
    def citation(self) -> str:
        """The source as people cite it: ``教育部关于…的通知（教学〔2012〕11号，2012年）``."""
        if self.from_policy:
            return f"政策原文{self.ref or ''}"
        details = "，".join(p for p in (self.number, f"{self.year}年" if self.year else None) if p)
        return f"{self.source}（{details}）" if details else (self.source or "")


@dataclass(frozen=True, slots=True)
class Indicator:
    """A measurable target of an item, e.g. 专职就业工作人员配比 <= 500 名毕业生/人.

    ``basis`` says where the target comes from when that differs from the item's own basis.
    """

    name: str
    unit: str
    target: float
    comparator: str
    basis: ItemBasis | None = None

    def is_met(self, value: float) -> bool:
        """Return whether ``value`` meets the target."""
        return COMPARATORS[self.comparator](value, self.target)

    @property
    def display(self) -> str:
        """Target as people write it: ``职业发展与就业指导课学时 ≥ 38 学时``."""
        return f"{self.name} {self.target_display}".strip()

    @property
    def target_display(self) -> str:
        """The target alone: ``≥ 38 学时``."""
        sign = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}[self.comparator]
        return f"{sign} {self.target:g} {self.unit}".strip()


@dataclass(frozen=True, slots=True)
class Cadence:
    """A recurring obligation: an RFC 5545 RRULE (without DTSTART) and the first possible occurrence."""

    rrule: str
    start: date


@dataclass(frozen=True, slots=True)
class Applicability:
    """Which institutions an item applies to; an empty tuple means no restriction."""

    levels: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()

    def matches(self, *, level: str, province: str) -> bool:
        """Return whether an institution of this level and province is covered."""
        if self.levels and level not in self.levels:
            return False
        return not (self.provinces and province not in self.provinces)


@dataclass(frozen=True, slots=True)
class MeasureBasis:
    """The policy's own wording a measure comes from (one or more verbatim passages), and where it stands."""

    quotes: tuple[str, ...]
    ref: str

    @property
    def quote(self) -> str:
        """The passages as one text, joined by an ellipsis where the catalog skipped words."""
        return "……".join(self.quotes)


@dataclass(frozen=True, slots=True)
class Item:
    """One assessable checklist line."""

    id: str
    actor: Actor
    title: str
    evidence: tuple[str, ...] = ()
    basis: ItemBasis | None = None
    indicator: Indicator | None = None
    due: date | None = None
    cadence: Cadence | None = None
    weight: float = 1.0
    applies_to: Applicability = field(default_factory=Applicability)
    replaces: tuple[str, ...] = ()
    line: int | None = None

    @property
    def wording_hash(self) -> str:
        """Hash of the item's wording: changes when what must be done or proven changes."""
        return wording_hash(self.title, self.evidence, self.indicator)

    @property
    def recurring(self) -> bool:
        """Whether the item has one record per occurrence of a cadence."""
        return self.cadence is not None

    @property
    def indicator_basis(self) -> ItemBasis | None:
        """Where the indicator's target comes from: its own basis, else the item's."""
        if self.indicator is None:
            return None
        return self.indicator.basis or self.basis

    @property
    def reference_indicator(self) -> bool:
        """Whether the indicator is a 参考指标: a target the policy's own text does not set."""
        basis = self.indicator_basis
        return self.indicator is not None and not (basis is not None and basis.from_policy)


@dataclass(frozen=True, slots=True)
class Measure:
    """A numbered measure (举措) with its basis in the policy text."""

    id: str
    title: str
    basis: MeasureBasis
    items: tuple[Item, ...]
    number: str | None = None
    verified: bool = True

    @property
    def heading(self) -> str:
        """Official number and title as the document prints them: ``（十一）健全困难帮扶机制``, ``第五条　…``."""
        gap = "\u3000" if (self.number or "").startswith("第") else ""  # an article's number stands apart
        return f"{self.number or ''}{gap}{self.title}"


@dataclass(frozen=True, slots=True)
class Section:
    """A system (体系) of the policy."""

    id: str
    title: str
    measures: tuple[Measure, ...]
    number: str | None = None
    verified: bool = True

    @property
    def heading(self) -> str:
        """Official number and title: ``五、完善帮扶援助体系``, or a chapter's ``第二章　就业指导``."""
        if not self.number:
            return self.title
        return f"{self.number}\u3000{self.title}" if self.number.startswith("第") else f"{self.number}、{self.title}"


@dataclass(frozen=True, slots=True)
class OutOfScope:
    """A numbered unit of the source text that the catalog leaves out on purpose, and why."""

    ref: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceText:
    """The policy's official text shipped beside the catalog, against which every quote is checked."""

    file: str  # relative to the catalog file
    out_of_scope: tuple[OutOfScope, ...] = ()


@dataclass(frozen=True, slots=True)
class Policy:
    """One version of one policy document, as loaded from its YAML file."""

    id: str
    version: str
    title: str
    issuer: str
    issued: date
    source: str
    sections: tuple[Section, ...]
    short_title: str | None = None
    published: date | None = None
    scope: str | None = None
    previous_version: str | None = None
    applies_to: Applicability = field(default_factory=Applicability)
    notes: str | None = None
    source_text: SourceText | None = None
    path: str | None = None
    # Items by id, made once: an import or a report asks for an item per row, and the catalog has hundreds.
    _by_id: dict[str, Item] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Item] = {}
        for item in self.items():
            by_id.setdefault(item.id, item)  # the first in document order, as a scan would find it
        object.__setattr__(self, "_by_id", by_id)

    @property
    def key(self) -> str:
        """``id@version``, how people name one version."""
        return f"{self.id}@{self.version}"

    @property
    def display_title(self) -> str:
        """Short title where there is one."""
        return self.short_title or self.title

    def source_path(self) -> Path | None:
        """The file of the official text, resolved beside the catalog file; None when there is none."""
        if self.source_text is None or self.path is None:
            return None
        return Path(self.path).parent / self.source_text.file

    def measures(self) -> Iterator[Measure]:
        """Every measure in document order."""
        for section in self.sections:
            yield from section.measures

    def items(self) -> Iterator[Item]:
        """Every item in document order."""
        for measure in self.measures():
            yield from measure.items

    def item(self, item_id: str) -> Item | None:
        """The item with this id, or None."""
        return self._by_id.get(item_id)

    def measure_of(self, item_id: str) -> Measure:
        """The measure an item belongs to (ids are prefixed by their measure id)."""
        prefix = item_id.rsplit(".", 1)[0]
        return next(m for m in self.measures() if m.id == prefix)

    def section_of(self, item_id: str) -> Section:
        """The section an item belongs to (ids are prefixed by their section id)."""
        prefix = item_id.split(".", 1)[0]
        return next(s for s in self.sections if s.id == prefix)

    def institution_items(self, *, level: str, province: str) -> list[Item]:
        """The items on an institution's checklist: university items whose rules match it."""
        return [
            item
            for item in self.items()
            if item.actor is Actor.UNIVERSITY and item.applies_to.matches(level=level, province=province)
        ]


def wording_hash(title: str, evidence: tuple[str, ...], indicator: Indicator | None) -> str:
    """Return a short, stable sha256 of an item's wording, insensitive to whitespace and key order.

    All whitespace is dropped, not just collapsed: Chinese text has no word spaces, so a space
    added or removed while editing is never a change of wording.
    """
    payload = {
        "title": "".join(title.split()),
        "evidence": ["".join(e.split()) for e in evidence],
        "indicator": None
        if indicator is None
        else [indicator.name, indicator.unit, indicator.target, indicator.comparator],
    }
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]
