"""Catalogs as the database keeps them: their fingerprint, the policy parsed back from the stored text, and the
current one (what every reading command starts from, without the machinery that loads a catalog)."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_build import parse_checked
from jobpolicy.errors import CatalogInvalid, NotFound
from jobpolicy.services._uow import reading
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


class CurrentPolicies:
    """``current_policy`` for a command that writes in many transactions (an import's files): every current catalog
    is read and parsed once, when the command starts, outside any write transaction (a parse holds no lock); each
    transaction only checks, by id, that it is still the current version, so a policy loaded between two files is
    seen by the later ones as it would be without the cache."""

    def __init__(self, engine: Engine) -> None:
        with reading(engine) as session:
            self._known: dict[str, tuple[int, Policy]] = {
                version.policy_id: (version.id, stored_policy(version))
                for version in repo.current_versions(session=session)}

    def current(self, session: Session, policy_id: str) -> Policy:
        """``current_policy(session, policy_id)``.

        Raises:
            NotFound: as ``current_policy``.
        """
        wanted = policy_id.split("@", 1)[0]
        version_id = repo.current_version_ids(session=session).get(wanted)
        known = self._known.get(wanted)
        if known is not None and known[0] == version_id:
            return known[1]
        policy = current_policy(session, policy_id)
        if version_id is not None:
            self._known[wanted] = (version_id, policy)
        return policy
