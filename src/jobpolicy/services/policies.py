"""Loading policy catalogs into a database, and reading the current version back out of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlmodel import Session

from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_loader import parse_catalog
from jobpolicy.errors import CatalogError, CatalogInvalid, NotFound
from jobpolicy.storage import repo
from jobpolicy.storage.models import CatalogItem, PolicyVersion


@dataclass
class LoadReport:
    """What loading a catalog version did to the records already stored."""

    policy_key: str
    loaded: bool  # False when this exact version was already loaded
    carried: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def catalog_sha256(text: str) -> str:
    """Fingerprint of a catalog file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _item_row(version_id: int, policy: Policy, item: Item) -> CatalogItem:
    indicator = item.indicator
    return CatalogItem(
        policy_version_id=version_id, item_id=item.id, section_id=policy.section_of(item.id).id,
        measure_id=item.id.rsplit(".", 1)[0], actor=item.actor.value, title=item.title,
        wording_hash=item.wording_hash, weight=item.weight,
        indicator_target=indicator.target if indicator else None,
        indicator_comparator=indicator.comparator if indicator else None,
        due=item.due, rrule=item.cadence.rrule if item.cadence else None,
        cadence_start=item.cadence.start if item.cadence else None,
        levels=",".join(item.applies_to.levels), provinces=",".join(item.applies_to.provinces),
    )


def store_catalog(session: Session, policy: Policy, text: str, *, at: datetime) -> tuple[PolicyVersion, bool]:
    """Store a catalog version and make it current; return it and whether it was new.

    Raises:
        CatalogError: this version number was loaded before with different content.
    """
    sha = catalog_sha256(text)
    existing = repo.get_policy_version(session=session, policy_id=policy.id, version=policy.version)
    if existing is not None:
        if existing.catalog_sha256 != sha:
            raise CatalogError(f"政策 {policy.key} 已加载过，但文件内容不同",
                               hint="修改清单后请提高 version 版本号，并写明 previous_version")
        return existing, False
    for version in repo.current_versions(session=session):
        if version.policy_id == policy.id:
            version.is_current = False
            session.add(version)
    row = PolicyVersion(policy_id=policy.id, version=policy.version, title=policy.title, catalog_sha256=sha,
                        catalog_text=text, is_current=True, loaded_at=at)
    repo.add(session=session, rows=[row])
    repo.add(session=session, rows=[_item_row(row.id, policy, item) for item in policy.items()])
    return row, True


@lru_cache(maxsize=16)
def _parse_stored(sha: str, text: str, name: str) -> Policy:
    policy, problems = parse_catalog(text, name)
    if problems:
        raise CatalogInvalid(problems, hint="数据库中保存的政策清单无法解析；请用 jobpolicy policy load 重新加载")
    assert policy is not None
    return policy


def stored_policy(version: PolicyVersion) -> Policy:
    """The domain policy of a stored version (parsed once per content)."""
    return _parse_stored(version.catalog_sha256, version.catalog_text, f"{version.policy_id}@{version.version}")


def current_policy(session: Session, policy_id: str | None = None) -> Policy:
    """The current version of a policy in this database; with no id, the only policy loaded.

    Raises:
        NotFound: no such policy is loaded, or several are and none was named.
    """
    versions = repo.current_versions(session=session)
    if policy_id is not None:
        policy_id = policy_id.split("@", 1)[0]
        versions = [v for v in versions if v.policy_id == policy_id]
    if not versions:
        wanted = f"政策 {policy_id}" if policy_id else "任何政策"
        raise NotFound(f"数据库中没有加载{wanted}",
                       hint="运行 jobpolicy db init 加载内置政策，或 jobpolicy policy load 文件")
    if len(versions) > 1:
        names = "、".join(v.policy_id for v in versions)
        raise NotFound(f"数据库中加载了多项政策（{names}），请用 --policy 指定", hint="例如 --policy gse-2025")
    return stored_policy(versions[0])
