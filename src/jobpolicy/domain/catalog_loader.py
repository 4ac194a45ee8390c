"""Turn a catalog YAML file into a frozen ``Policy``, or every problem it has."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
from jobpolicy.domain.catalog_checks import parse_date, run_checks
from jobpolicy.domain.catalog_doc import CatalogDoc
from jobpolicy.domain.catalog_yaml import LineMap, YamlSyntaxError, read_yaml
from jobpolicy.domain.source_text import SourceFile, parse_source
from jobpolicy.errors import CatalogInvalid, Problem, os_reason


def read_catalog(
    path: Path, *, previous: Policy | None = None, source: SourceFile | None = None
) -> tuple[Policy | None, list[Problem]]:
    """Read and check one catalog file, and its quotes against its official text.

    The text is the file the catalog names in ``policy.source_text.file`` (read from beside the catalog), or
    else ``source``; with neither, the checks against a source text do not run.

    Args:
        path: the YAML file.
        previous: the version this file says it supersedes, if known, to check ``replaces`` against.
        source: the official text for a catalog that names none of its own (see ``read_source``).

    Returns:
        The policy (None when there are problems) and the problems, sorted by line.
    """
    file = str(path)
    text, why = read_limited(path, "utf-8")
    if text is None:
        return None, [Problem(file, None, None, f"文件{why}")]
    return _check(text, file, previous, lambda root: _own_source(root, path) or source)


MAX_BYTES = 8 * 1024 * 1024  # a catalog or its official text; the bundled catalog is 60 KB


def read_limited(path: Path, encoding: str) -> tuple[str, str] | tuple[None, str]:
    """The text of a regular file of at most MAX_BYTES, or None and why not, in Chinese, to follow the file's
    name (``不存在``)."""
    data, why = read_limited_bytes(path)
    if data is None:
        return None, why
    try:
        return data.decode(encoding), ""
    except UnicodeDecodeError:
        return None, "不是 UTF-8 编码；请用 UTF-8 保存"


def read_limited_bytes(path: Path) -> tuple[bytes, str] | tuple[None, str]:
    """The bytes of a regular file of at most MAX_BYTES, or None and why not (see ``read_limited``).

    A device (/dev/zero), a pipe or a folder is refused before it is opened: reading it could never end.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None, "不是普通文件（是文件夹、设备或管道）"
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None, "不存在"
    except OSError as exc:
        return None, f"无法读取（{os_reason(exc)}）"
    if len(data) > MAX_BYTES:
        return None, f"太大（超过 {MAX_BYTES // 1024 // 1024} MB）"
    return data, ""


def parse_catalog(
    text: str, file: str, *, previous: Policy | None = None, source: SourceFile | None = None
) -> tuple[Policy | None, list[Problem]]:
    """Check catalog text and build the policy; ``file`` names it in problems.

    Nothing is read from disk, so a catalog kept in a database, with no file beside it, parses as well: its
    quotes are checked only against ``source`` when one is given, whatever ``policy.source_text`` names.
    """
    return _check(text, file, previous, lambda _root: source)


def _check(
    text: str, file: str, previous: Policy | None, source_of: Callable[[Any], SourceFile | None]
) -> tuple[Policy | None, list[Problem]]:
    try:
        root, duplicates = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Problem(file, exc.line, None, exc.message)]
    doc = CatalogDoc(file, root, duplicates, previous, source_of(root))
    problems = run_checks(doc)
    if problems:
        return None, problems
    return build_policy(root, file), []


def read_source(path: Path) -> SourceFile:
    """Read and parse an official text; a file that is missing or not UTF-8 gives the reason instead."""
    text, why = read_limited(path, "utf-8-sig")  # a BOM, as Windows editors write, is no part of the text
    if text is None:
        return SourceFile(str(path), error=f"原文文件 {path} {why}")
    return SourceFile(str(path), parse_source(text))


def _own_source(root: Any, catalog: Path) -> SourceFile | None:
    """The text the catalog names in ``policy.source_text.file``, read from beside it; None if it names none."""
    meta = root.get("policy") if isinstance(root, dict) else None
    spec = meta.get("source_text") if isinstance(meta, dict) else None
    name = spec.get("file") if isinstance(spec, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    return read_source(catalog.parent / name)


def load_policy_file(path: Path, *, previous: Policy | None = None) -> Policy:
    """Load one catalog file.

    Raises:
        CatalogInvalid: the file has problems; all of them are attached.
    """
    policy, problems = read_catalog(path, previous=previous)
    if problems:
        raise CatalogInvalid(problems, hint=f"运行 jobpolicy policy validate {path} 查看全部问题")
    assert policy is not None
    return policy


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
