"""A frozen ``Policy`` from a catalog's YAML tree that passed every check (``catalog_checks``).

Apart from the checks so that a catalog the database keeps, checked when it was loaded, is built again in every
command without importing or running them (``parse_checked``).
"""

from __future__ import annotations

import re
from datetime import date

from jobpolicy.domain.catalog import (
    Actor,
    Applicability,
    BasisKind,
    Cadence,
    Indicator,
    Item,
    ItemBasis,
    Measure,
    MeasureBasis,
    OutOfScope,
    Policy,
    Section,
    SourceText,
)
from jobpolicy.domain.catalog_yaml import LineMap, YamlSyntaxError, read_yaml
from jobpolicy.errors import Problem

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str) -> date | None:
    """Return the date of a strict ``YYYY-MM-DD`` string, or None when it is malformed or impossible."""
    if not DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_checked(text: str, file: str) -> tuple[Policy | None, list[Problem]]:
    """Build the policy of catalog text that passed every check when it was stored (a catalog the database keeps),
    read with the C parser; ``file`` names it in a problem. Only text that is no longer YAML is a problem here:
    the checks ran when the text was loaded, and its fingerprint is stored beside it."""
    try:
        root, _ = read_yaml(text, stored=True)
    except YamlSyntaxError as exc:
        return None, [Problem(file, exc.line, None, exc.message)]
    return build_policy(root, file), []


def build_policy(root: LineMap, file: str) -> Policy:
    """Build the models from a tree that passed every check."""
    meta = root["policy"]
    default_rules = _applicability(meta.get("applies_to"))
    return Policy(
        id=meta["id"],
        version=meta["version"],
        title=meta["title"],
        short_title=meta.get("short_title"),
        issuer=meta["issuer"],
        issued=_date(meta["issued"]),
        published=_date(meta.get("published")),
        source=meta["source"],
        scope=meta.get("scope"),
        previous_version=meta.get("previous_version"),
        applies_to=default_rules,
        notes=meta.get("notes"),
        source_text=_source_text(meta.get("source_text")),
        sections=tuple(_section(s, default_rules) for s in root["sections"]),
        path=file,
    )


def _section(data: LineMap, default_rules: Applicability) -> Section:
    return Section(
        id=data["id"],
        number=_text(data.get("number")),
        title=data["title"],
        verified=data.get("verified", True),
        measures=tuple(_measure(m, default_rules) for m in data["measures"]),
    )


def _measure(data: LineMap, default_rules: Applicability) -> Measure:
    basis = data["basis"]
    return Measure(
        id=data["id"],
        number=_text(data.get("number")),
        title=data["title"],
        verified=data.get("verified", True),
        basis=MeasureBasis(quotes=_quotes(basis["quote"]), ref=basis["ref"]),
        items=tuple(_item(i, default_rules) for i in data["items"]),
    )


def _item(data: LineMap, default_rules: Applicability) -> Item:
    indicator = data.get("indicator")
    cadence = data.get("cadence")
    basis = data.get("basis")
    rules = data.get("applies_to")
    return Item(
        id=data["id"],
        actor=Actor(data["actor"]),
        title=data["title"],
        evidence=tuple(data.get("evidence") or ()),
        basis=_basis(basis),
        indicator=Indicator(indicator["name"], indicator["unit"], float(indicator["target"]),
                            indicator["comparator"], _basis(indicator.get("basis"))) if indicator else None,
        due=_date(data.get("due")),
        cadence=Cadence(cadence["rrule"].strip(), _date(cadence["start"])) if cadence else None,
        weight=float(data.get("weight", 1)),
        applies_to=_applicability(rules) if rules else default_rules,
        replaces=tuple(data.get("replaces") or ()),
        line=data.line,
    )


def _quotes(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _basis(data: LineMap | None) -> ItemBasis | None:
    if not data:
        return None
    kind = data.get("kind")
    return ItemBasis(kind=BasisKind(kind) if kind else None, source=data.get("source"), year=data.get("year"),
                     quotes=_quotes(data.get("quote")), ref=data.get("ref"), number=_text(data.get("number")))


def _source_text(data: LineMap | None) -> SourceText | None:
    if not data:
        return None
    skipped = tuple(OutOfScope(e["ref"], e["reason"]) for e in data.get("out_of_scope") or ())
    return SourceText(data["file"], skipped)


def _applicability(data: LineMap | None) -> Applicability:
    if not data:
        return Applicability()
    return Applicability(tuple(data.get("levels") or ()), tuple(data.get("provinces") or ()))


def _date(value: str | None):
    return parse_date(value) if value else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)
