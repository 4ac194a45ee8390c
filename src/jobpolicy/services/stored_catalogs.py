"""Catalogs as the database keeps them: their fingerprint, the policy parsed back from the stored text, and the
current one (what every reading command starts from, without the machinery that loads a catalog)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_build import parse_checked
from jobpolicy.errors import CatalogInvalid, NotFound
from jobpolicy.storage import repo
from jobpolicy.storage.models import PolicyVersion


def catalog_sha256(text: str) -> str:
    """Fingerprint of a catalog (or mapping) file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=16)
def _parse_stored(sha: str, text: str, name: str) -> Policy:
    policy, problems = parse_checked(text, name)
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
