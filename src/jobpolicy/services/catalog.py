"""Catalog use cases: find bundled policies, validate catalog files, describe a policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_loader import load_policy_file, read_catalog
from jobpolicy.errors import CatalogInvalid, InvalidInput, NotFound, Problem
from jobpolicy.reference import bundled_policy_dir


def _version_key(version: str) -> tuple:
    """Natural order of versions: 2025.10 after 2025.9."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", version))


def bundled_policies() -> list[Policy]:
    """Return every bundled policy version, sorted by id and version.

    Raises:
        CatalogInvalid: a bundled file is broken (a packaging bug, reported with every problem).
    """
    paths = sorted(bundled_policy_dir().glob("*.yaml"))
    policies = [load_policy_file(path) for path in paths]
    return sorted(policies, key=lambda p: (p.id, _version_key(p.version)))


def get_policy(policy_id: str, version: str | None = None) -> Policy:
    """Return a bundled policy: the given version, or the newest.

    Accepts ``gse-2025`` or ``gse-2025@2025.1``.

    Raises:
        NotFound: no bundled policy has that id (and version).
    """
    if "@" in policy_id and version is None:
        policy_id, version = policy_id.split("@", 1)
    candidates = [p for p in bundled_policies() if p.id == policy_id]
    if version is not None:
        candidates = [p for p in candidates if p.version == version]
    if not candidates:
        known = "、".join(sorted({p.key for p in bundled_policies()})) or "无"
        wanted = policy_id if version is None else f"{policy_id}@{version}"
        raise NotFound(f"没有政策“{wanted}”", hint=f"可用的政策：{known}；运行 jobpolicy policy list 查看")
    return candidates[-1]


@dataclass(frozen=True)
class FileCheck:
    """The result of validating one catalog file."""

    path: str
    policy: Policy | None
    problems: list[Problem]


def _catalog_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                raise InvalidInput(f"目录 {path} 中没有 .yaml 清单文件", hint="给出清单文件或包含它们的目录")
            files.extend(found)
        else:
            files.append(path)
    return files


def _previous_of(policy_id: object, version: object, known: list[Policy]) -> Policy | None:
    return next((p for p in known if p.id == policy_id and p.version == version), None)


def validate_policy_files(paths: list[Path]) -> list[FileCheck]:
    """Validate catalog files (or folders of them), reporting every problem of every file.

    A file that names a ``previous_version`` has its ``replaces`` checked against that version when it
    is among the files given or the bundled catalogs.

    Args:
        paths: files or directories.

    Returns:
        One result per file, in the order given.
    """
    files = _catalog_files(paths)
    first_pass = [(path, *read_catalog(path)) for path in files]
    known = [policy for _, policy, _ in first_pass if policy] + _bundled_or_empty()
    results = []
    for path, policy, problems in first_pass:
        if policy is not None and policy.previous_version:
            previous = _previous_of(policy.id, policy.previous_version, known)
            policy, problems = read_catalog(path, previous=previous)
        results.append(FileCheck(str(path), policy, problems))
    return results


def _bundled_or_empty() -> list[Policy]:
    # A broken bundled catalog must not hide the problems of the files the user asked about.
    try:
        return bundled_policies()
    except CatalogInvalid:
        return []
