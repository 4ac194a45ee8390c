"""Plain views of a policy: the stable JSON document and the text tree that ``policy show`` prints."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.catalog import Actor, Applicability, Item, ItemBasis, Measure, Policy, Section
from jobpolicy.domain.catalog_text import basis_label, heading_label, indicator_label
from jobpolicy.domain.matching import did_you_mean
from jobpolicy.domain.periods import describe

# Bump when a key is renamed or removed; adding keys keeps the number.
POLICY_JSON_FORMAT = 1


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _rules(rules: Applicability) -> dict[str, list[str]]:
    return {"levels": list(rules.levels), "provinces": list(rules.provinces)}


def basis_json(basis: ItemBasis | None, measure: Measure | None = None) -> dict[str, Any] | None:
    """Where a requirement comes from, as JSON: the catalog's keys, its kind in Chinese, and how it is cited."""
    if basis is None:
        return None
    return {"source": basis.source, "year": basis.year, "quote": basis.quote,
            "kind": basis.kind.value if basis.kind else None, "kind_label": basis.kind.label if basis.kind else None,
            "number": basis.number, "ref": basis.ref, "quotes": list(basis.quotes), "citation": basis.citation,
            "label": basis_label(basis, measure)}


def indicator_json(item: Item, measure: Measure | None = None) -> dict[str, Any] | None:
    """An item's indicator as JSON: target, whether it is a 参考指标, the label people read, its basis."""
    indicator = item.indicator
    if indicator is None:
        return None
    return {"name": indicator.name, "unit": indicator.unit, "target": indicator.target,
            "comparator": indicator.comparator, "display": indicator.display,
            "reference": item.reference_indicator, "label": indicator_label(item),
            "basis": basis_json(item.indicator_basis, measure)}


def item_json(item: Item, measure: Measure | None = None) -> dict[str, Any]:
    """One item as JSON."""
    return {
        "id": item.id,
        "actor": item.actor.value,
        "actor_label": item.actor.label,
        "title": item.title,
        "evidence": list(item.evidence),
        "basis": basis_json(item.basis, measure),
        "indicator": indicator_json(item, measure),
        "due": _date(item.due),
        "cadence": None if item.cadence is None else {
            "rrule": item.cadence.rrule, "start": _date(item.cadence.start), "display": describe(item.cadence)},
        "weight": item.weight,
        "applies_to": _rules(item.applies_to),
        "replaces": list(item.replaces),
        "wording_hash": item.wording_hash,
    }


def _measure_json(measure: Measure) -> dict[str, Any]:
    return {
        "id": measure.id, "number": measure.number, "title": measure.title, "verified": measure.verified,
        "heading": measure.heading, "basis": {"quote": measure.basis.quote, "ref": measure.basis.ref},
        "items": [item_json(i, measure) for i in measure.items],
    }


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "id": section.id, "number": section.number, "title": section.title, "verified": section.verified,
        "heading": section.heading, "measures": [_measure_json(m) for m in section.measures],
    }


def policy_json(policy: Policy) -> dict[str, Any]:
    """The whole policy as a JSON-ready dict, keys in a fixed order."""
    items = list(policy.items())
    return {
        "format": POLICY_JSON_FORMAT,
        "policy": {
            "id": policy.id, "version": policy.version, "key": policy.key, "title": policy.title,
            "short_title": policy.short_title, "issuer": policy.issuer, "issued": _date(policy.issued),
            "published": _date(policy.published), "source": policy.source, "scope": policy.scope,
            "previous_version": policy.previous_version, "applies_to": _rules(policy.applies_to),
            "notes": policy.notes,
        },
        "counts": {
            "sections": len(policy.sections),
            "measures": sum(1 for _ in policy.measures()),
            "items": len(items),
            "university_items": sum(1 for i in items if i.actor is Actor.UNIVERSITY),
        },
        "sections": [_section_json(s) for s in policy.sections],
    }


def policy_summary_json(policy: Policy) -> dict[str, Any]:
    """One line of ``policy list --json``."""
    counts = policy_json(policy)["counts"]
    return {"id": policy.id, "version": policy.version, "title": policy.title, "issued": _date(policy.issued),
            "path": policy.path, **counts}


def _item_lines(item: Item, measure: Measure) -> list[str]:
    lines = [f"      {item.id}  [{item.actor.label}] {item.title}"]
    if item.indicator:
        lines.append(f"          {indicator_label(item)}")
    if item.cadence:
        lines.append(f"          周期：{describe(item.cadence)}")
    if item.due:
        lines.append(f"          截止：{item.due.isoformat()}")
    if item.evidence:
        lines.append(f"          佐证：{'；'.join(item.evidence)}")
    if item.basis:
        lines.append(f"          依据：{basis_label(item.basis, measure)}")
    return lines


def policy_tree(policy: Policy) -> list[str]:
    """The policy as indented lines: systems, measures, items with actor, cadence, indicator and basis."""
    lines = [f"{policy.title}", f"{policy.key}  {policy.issuer}  {_date(policy.issued)}", ""]
    for section in policy.sections:
        lines.append(f"{heading_label(section)}  [{section.id}]")
        for measure in section.measures:
            lines.append(f"  {heading_label(measure)}  [{measure.id}]")
            for item in measure.items:
                lines.extend(_item_lines(item, measure))
        lines.append("")
    counts = policy_json(policy)["counts"]
    lines.append(f"共 {counts['sections']} 个部分、{counts['measures']} 项举措、{counts['items']} 个检查项"
                 f"（高校 {counts['university_items']} 个）")
    return lines


def found_items_lines(found: Any, text: str | None) -> list[str]:
    """The items a search found, under their measures' headings, each with who carries it out; or why none."""
    if not found.search.items:
        near = did_you_mean(found.near)
        return [f"{found.policy.key} 中没有“{(text or '').strip()}”对应的检查项" + (f"；{near}" if near else "")]
    lines, heading = [], None
    for item in found.search.items:
        measure = found.policy.measure_of(item.id)
        if measure.heading != heading:
            heading = measure.heading
            lines.append(f"{heading_label(measure)}  [{measure.id}]")
        lines.append(f"  {item.id}  （{item.actor.label}）{item.title}")
    mine = sum(item.actor is Actor.UNIVERSITY for item in found.search.items)
    return [*lines, f"共 {len(found.search.items)} 个检查项（高校 {mine} 个）  {found.policy.key}"]


def found_items_json(found: Any) -> dict[str, Any]:
    """The items a search found, as JSON (each as ``policy show --json`` gives it), and the nearest ids."""
    items = [item_json(item, found.policy.measure_of(item.id)) for item in found.search.items]
    return {"policy": found.policy.key, "matched_by": found.search.kind, "items": items, "near": found.near}
