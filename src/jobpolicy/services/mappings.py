"""Mappings between catalogs: check them against the policies they name, store them, read them back.

A mapping sits in a catalog file (its ``mapping`` block) or in a mapping file of its own; either way it is stored,
as the text that declares it, when the file is loaded (``store_mapping``), and checked then against the policy
versions the database holds.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_files import read_limited
from jobpolicy.domain.catalog_yaml import YamlSyntaxError, read_yaml
from jobpolicy.domain.mapping import Mapping
from jobpolicy.domain.mapping_checks import is_mapping_file, parse_mapping
from jobpolicy.errors import CatalogError, CatalogInvalid, Problem
from jobpolicy.services.stored_catalogs import catalog_sha256, stored_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import PolicyMapping

HINT = "按上面列出的行号修改映射；两项政策都须写明 policy 和 version，且已加载"


def is_mapping_path(path: Path) -> bool:
    """Whether a file is a mapping file of its own (``mapping`` at the top, no ``policy`` or ``sections``)."""
    text, _ = read_limited(path, "utf-8")
    if text is None:
        return False
    try:
        root, _ = read_yaml(text)
    except YamlSyntaxError:
        return False
    return is_mapping_file(root)


def read_mapping_file(path: Path, *, known: list[Policy]) -> tuple[Mapping | None, list[Problem]]:
    """Read and check a mapping file against the policy versions ``known``."""
    text, why = read_limited(path, "utf-8")
    if text is None:
        return None, [Problem(str(path), None, None, f"文件{why}")]
    return parse_mapping(text, str(path), known=known)


def known_policies(session: Session) -> list[Policy]:
    """Every policy version the database holds, current or not: a mapping may name any of them."""
    return [stored_policy(version) for version in repo.all_versions(session=session)]


def store_mapping(session: Session, text: str, file: str, *, host: Policy | None,
                  at: datetime) -> tuple[Mapping | None, bool]:
    """Check the mapping a loaded catalog (``host``) or a mapping file holds against the database, and store it.

    Returns:
        The mapping (None when the catalog holds none), and whether it was stored now (False: loaded before).

    Raises:
        CatalogInvalid: every problem, with file, line and id (exit 3); nothing is stored.
        CatalogError: a mapping between these two versions was loaded before with different content.
    """
    mapping, problems = parse_mapping(text, file, known=known_policies(session), host=host)
    if problems:
        raise CatalogInvalid(problems, hint=HINT)
    if mapping is None:
        return None, False
    sha = catalog_sha256(text)
    ends = dict(source=(mapping.source.id, mapping.source.version), target=(mapping.target.id, mapping.target.version))
    existing = repo.get_mapping(session=session, **ends)
    if existing is not None:
        if existing.sha256 != sha:
            raise CatalogError(f"映射 {mapping.key} 已加载过，但内容不同",
                               hint="修改映射后请提高省级清单的 version 版本号后重新加载")
        return mapping, False
    repo.add(session=session, rows=[PolicyMapping(
        from_policy_id=mapping.source.id, from_version=mapping.source.version, to_policy_id=mapping.target.id,
        to_version=mapping.target.version, sha256=sha, text=text, in_catalog=host is not None, loaded_at=at)])
    return mapping, True


@lru_cache(maxsize=32)
def _parse_stored(sha: str, text: str, name: str, host: Policy | None) -> Mapping:
    mapping, problems = parse_mapping(text, name, known=(), host=host, checked=True)
    if problems or mapping is None:
        raise CatalogInvalid(problems, hint="数据库中保存的映射无法解析；请重新加载")
    return mapping


def stored_mappings(session: Session, policy_id: str) -> list[Mapping]:
    """Every stored mapping from or to a policy, in load order."""
    found = []
    for row in repo.mappings_of(session=session, policy_id=policy_id):
        host = None
        if row.in_catalog:
            version = repo.get_policy_version(session=session, policy_id=row.from_policy_id, version=row.from_version)
            host = stored_policy(version) if version is not None else None
        name = f"{row.from_policy_id}@{row.from_version} → {row.to_policy_id}@{row.to_version}"
        found.append(_parse_stored(row.sha256, row.text, name, host))
    return found


def current_mappings(session: Session, policy_id: str) -> list[Mapping]:
    """The stored mappings from or to a policy whose two ends are the current versions of their policies (a mapping
    of an earlier version names items that may be gone)."""
    current = {v.policy_id: v.version for v in repo.current_versions(session=session)}
    return [m for m in stored_mappings(session, policy_id)
            if all(current.get(end.id) == end.version for end in (m.source, m.target))]
