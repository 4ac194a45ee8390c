"""``policy diff``: read two versions of a policy (files or bundled keys) and compare them item by item."""

from __future__ import annotations

from pathlib import Path

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_diff import CatalogDiff, diff_policies
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.errors import InvalidInput
from jobpolicy.services.catalog import catalog_file


def read_version(name: str | Path) -> Policy:
    """A catalog file, or a bundled policy version (``gse-2025@2025.1``).

    Raises:
        CatalogInvalid: the file has problems (exit 3).
        NotFound: neither an existing file nor a bundled policy.
    """
    return load_policy_file(catalog_file(name))


def diff_versions(old: str | Path, new: str | Path) -> CatalogDiff:
    """Compare two versions of a policy: items added, removed, reworded (same id) and replaced (``replaces``).

    Args:
        old: the earlier version, a catalog file or a bundled key.
        new: the later version, likewise.

    Returns:
        The differences, with the unchanged items counted.

    Raises:
        CatalogInvalid: a file has problems.
        NotFound: a name is neither a file nor a bundled policy.
        InvalidInput: the two are versions of different policies.
    """
    before, after = read_version(old), read_version(new)
    if before.id != after.id:
        raise InvalidInput(f"{before.key} 和 {after.key} 不是同一项政策的两个版本",
                           hint="policy diff 比较同一政策（相同 id）的新旧版本")
    return diff_policies(before, after)
