"""Catalogs as the database keeps them: their fingerprint, and the policy parsed back from the stored text."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_loader import parse_catalog
from jobpolicy.errors import CatalogInvalid
from jobpolicy.storage.models import PolicyVersion


def catalog_sha256(text: str) -> str:
    """Fingerprint of a catalog (or mapping) file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=16)
def _parse_stored(sha: str, text: str, name: str) -> Policy:
    policy, problems = parse_catalog(text, name, stored=True)
    if problems:
        raise CatalogInvalid(problems, hint="数据库中保存的政策清单无法解析；请用 jobpolicy policy load 重新加载")
    assert policy is not None
    return policy


def stored_policy(version: PolicyVersion) -> Policy:
    """The domain policy of a stored version (parsed once per content)."""
    return _parse_stored(version.catalog_sha256, version.catalog_text, f"{version.policy_id}@{version.version}")
