"""How a catalog's parts read to people: headings, the unverified-numbering note, indicator and basis labels.

Every view (``policy show``, ``record show``, ``status``, ``deadlines``, the checklist workbook and CSV, both HTML
reports) takes these strings from here, so a heading or a 参考指标 reads the same wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobpolicy.domain.catalog import Item, ItemBasis, Measure, Policy, Section
from jobpolicy.domain.glossary import TERMS
from jobpolicy.domain.status import Status
from jobpolicy.domain.values import encode

UNVERIFIED = "（编号待核实）"
REFERENCE = "参考指标"
NO_SOURCE = "未注明"
MET, MISSED, NO_VALUE = "达标", "未达标", "未填"
REFERENCE_LEGEND = f"{REFERENCE}：{TERMS[REFERENCE]}"


def numbering_note(part: Section | Measure) -> str:
    """``（编号待核实）`` for a section or measure not yet checked against the official text, else empty."""
    return "" if part.verified else UNVERIFIED


def heading_label(part: Section | Measure) -> str:
    """The official heading, marked when unverified: ``五、完善帮扶援助体系``, ``（十一）健全困难帮扶机制``."""
    return part.heading + numbering_note(part)


def section_headings(policy: Policy) -> dict[str, str]:
    """Each section's ``heading_label`` by section id, for views that hold only section ids."""
    return {section.id: heading_label(section) for section in policy.sections}


def measure_number(measure: Measure) -> str:
    """A measure's official number for short lines (``（十一）``), marked when unverified; empty without one."""
    return measure.number + numbering_note(measure) if measure.number else ""


def item_measure(policy: Policy, item_id: str) -> Measure | None:
    """The measure an item of ``policy`` belongs to; None for an item the policy does not have (any more)."""
    return policy.measure_of(item_id) if policy.item(item_id) is not None else None


def reference_legend(items: Iterable[Item]) -> str:
    """``REFERENCE_LEGEND`` when any of these items has a 参考指标, else empty."""
    return REFERENCE_LEGEND if any(item.reference_indicator for item in items) else ""


def indicator_target(item: Item) -> str:
    """The indicator and its target, named by kind: ``指标：…`` (the policy's) or ``参考指标：…``; or empty."""
    if item.indicator is None:
        return ""
    return f"{REFERENCE if item.reference_indicator else '指标'}：{item.indicator.display}"


def indicator_source(item: Item) -> str:
    """Where a 参考指标's target comes from: ``来源：教育部关于…的通知（2012年）``; empty for the policy's own."""
    if item.indicator is None or not item.reference_indicator:
        return ""
    basis = item.indicator_basis
    return f"来源：{(basis.citation if basis is not None else '') or NO_SOURCE}"


def indicator_label(item: Item) -> str:
    """An item's indicator in one string: ``参考指标：… ≤ 500 …（来源：…）``, ``指标：… ≥ 2 次/年``; or empty."""
    source = indicator_source(item)
    return indicator_target(item) + (f"（{source}）" if source else "")


def indicator_verdict(item: Item, value: float | None) -> str:
    """``达标`` or ``未达标`` for a reported value; empty without an indicator or a value."""
    if item.indicator is None or value is None:
        return ""
    return MET if item.indicator.is_met(value) else MISSED


def indicator_reading(item: Item, value: float | None) -> str:
    """The value beside its verdict: ``实际 480（达标）``, ``未填``; empty for an item without an indicator."""
    if item.indicator is None:
        return ""
    if value is None:
        return NO_VALUE
    return f"实际 {encode(value)}（{indicator_verdict(item, value)}）"


def missed_target(item: Item, status: str | None, value: float | None) -> str:
    """The warning for 已完成 with a value that misses its target, e.g. ``指标值 32 未达到目标（指标：… ≥ 38
    学时）``; empty when the item is not done, has no indicator or value, or meets it.

    Such a record is accepted (the work may be done while the number falls short); it counts as 未达标.
    """
    if status != Status.DONE or indicator_verdict(item, value) != MISSED:
        return ""
    return f"{item.id} 标为已完成，但指标值 {encode(value)} 未达到目标（{indicator_target(item)}）"


def basis_label(basis: ItemBasis, measure: Measure | None = None) -> str:
    """Where a requirement comes from, after ``依据：``: kind and citation, or the policy's words and place.

    An opinion-kind basis without its own ``ref`` stands in its measure's unit.
    """
    if basis.from_policy:
        ref = basis.ref or (measure.basis.ref if measure is not None else "")
        return f"{basis.kind.label}　“{basis.quote}”" + (f"（{ref}）" if ref else "")
    text = basis.citation or NO_SOURCE
    if basis.kind is not None:
        text = f"{basis.kind.label}　{text}"
    return text + (f"　“{basis.quote}”" if basis.quote else "")
