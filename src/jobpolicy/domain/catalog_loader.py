"""Turn a catalog YAML file into a frozen ``Policy``, or every problem it has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_build import build_policy
from jobpolicy.domain.catalog_checks import run_checks
from jobpolicy.domain.catalog_doc import CatalogDoc
from jobpolicy.domain.catalog_files import read_limited
from jobpolicy.domain.catalog_yaml import YamlSyntaxError, read_yaml
from jobpolicy.domain.source_text import SourceFile, parse_source
from jobpolicy.errors import CatalogInvalid, Problem


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
