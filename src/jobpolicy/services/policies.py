"""Loading policy catalogs into a database, and reading the current version back out of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_files import read_limited
from jobpolicy.domain.catalog_loader import load_policy_file, parse_catalog
from jobpolicy.domain.item_search import ItemSearch, search_items, similar_ids
from jobpolicy.domain.mapping import Mapping
from jobpolicy.errors import CatalogError, CatalogInvalid, Problem
from jobpolicy.services._uow import reading, writing
from jobpolicy.services.catalog import catalog_file
from jobpolicy.services.change_log import Provenance
from jobpolicy.services.mappings import HINT, is_mapping_path, store_mapping
from jobpolicy.services.record_migration import Flagged, Moved, RecordRef, migrate_records
from jobpolicy.services.stored_catalogs import catalog_sha256, current_policy, stored_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import CatalogItem, PolicyVersion


@dataclass
class LoadReport:
    """What loading a catalog version did to the records already stored.

    A moved record whose wording changed is in ``moved`` and in ``flagged``; ``carried`` holds only the
    records that needed nothing. Each list is sorted by item, institution and period.
    """

    policy_key: str
    loaded: bool  # False when this exact version was already loaded
    previous_key: str | None = None  # the version whose records were migrated
    carried: list[RecordRef] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)  # moved, or copied by a split
    left: list[RecordRef] = field(default_factory=list)  # stay under an item the new version does not have
    mapping: Mapping | None = None  # the mapping the file declares (a catalog's block, or a mapping file)
    mapping_only: bool = False  # the file was a mapping file: no catalog was loaded


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


@dataclass(frozen=True)
class ItemsFound:
    """The items of the database's policy a text names (every item, for no text), or the ids nearest to it."""

    policy: Policy
    search: ItemSearch
    near: list[str]


def find_policy_items(engine: Engine, text: str | None = None, *, policy_id: str | None = None) -> ItemsFound:
    """Items of the current policy version named by id, measure, official number or keywords (all actors).

    Raises:
        NotFound: no policy loaded, or several and none named.
    """
    with reading(engine) as session:
        policy = current_policy(session, policy_id)
    if text is None or not text.strip():
        return ItemsFound(policy, ItemSearch(tuple(policy.items()), "all"), [])
    search = search_items(policy, text)
    near = [] if search.items else similar_ids(text, policy.items())
    return ItemsFound(policy, search, near)


def _current_version(session: Session, policy_id: str) -> PolicyVersion | None:
    return next((v for v in repo.current_versions(session=session) if v.policy_id == policy_id), None)


def _check_succession(policy: Policy, text: str, file: str, previous: Policy | None) -> Policy:
    """Check a new version against the version stored before it; return it parsed with ``replaces`` checked.

    Raises:
        CatalogInvalid: every problem: ``previous_version`` missing or not the stored current version,
            and ``replaces`` naming items that version does not have.
    """
    if previous is None:
        return policy  # a policy new to this database has no records to move
    problems: list[Problem] = []
    if policy.previous_version is None:
        problems.append(Problem(file, None, None, f"数据库中已加载政策 {policy.id} 的版本 {previous.version}；"
                                                  f"新版本须在 policy 中写明 previous_version: \"{previous.version}\""))
    elif policy.previous_version != previous.version:
        problems.append(Problem(file, None, None, f"previous_version 为“{policy.previous_version}”，"
                                                  f"但数据库中政策 {policy.id} 的当前版本是“{previous.version}”"))
    checked, replace_problems = parse_catalog(text, file, previous=previous)
    problems += replace_problems
    if problems:
        raise CatalogInvalid(problems, hint="按上面列出的问题修改清单后重新加载")
    assert checked is not None
    return checked


def load_policy_version(engine: Engine, path: Path | str, *, actor: str) -> LoadReport:
    """Load a catalog file (or a bundled version, ``gse-2025@2025.2``) as the new current version of its policy
    and move the records of the version before.

    Everything happens in one transaction: the new version, its items, and every record moved, copied or
    flagged with its events. Nothing is deleted (see ``record_migration.migrate_records``).

    Args:
        engine: the database.
        path: the catalog YAML file, or the name of a bundled policy version.
        actor: who is loading it, recorded on every event.

    Returns:
        What happened to each record of the previous version; ``loaded`` is False (and nothing changed)
        when exactly this file was loaded before.

    Raises:
        CatalogInvalid: the file has problems, including ``previous_version`` or ``replaces`` that do not
            match the version stored in the database (exit 3).
        CatalogError: this version was loaded before with different content.
        NotFound: ``path`` names no file and no bundled policy version.
    """
    path = catalog_file(path)
    if is_mapping_path(path):
        return _load_mapping_file(engine, path)
    policy = load_policy_file(path)
    text = path.read_text(encoding="utf-8")
    at = clock.now()
    with writing(engine) as session:
        # Take every institution's row lock, as record writers do, so no record set on PostgreSQL can slip a
        # record under an old item id between our reading the records and moving them.
        repo.lock_institutions(session=session)
        if repo.get_policy_version(session=session, policy_id=policy.id, version=policy.version) is not None:
            store_catalog(session, policy, text, at=at)  # same content: nothing to do; different: refused
            return LoadReport(policy.key, loaded=False)
        current = _current_version(session, policy.id)
        previous = stored_policy(current) if current is not None else None
        policy = _check_succession(policy, text, str(path), previous)
        store_catalog(session, policy, text, at=at)
        mapping, _ = store_mapping(session, text, str(path), host=policy, at=at)  # new with its new catalog
        if previous is None:
            return LoadReport(policy.key, loaded=True, mapping=mapping)
        how = Provenance(actor=actor, at=at, source=f"政策版本 {policy.key}")
        moved = migrate_records(session, previous, policy, how)
    return LoadReport(policy.key, True, previous.key, moved.carried, moved.flagged, moved.moved, moved.left,
                      mapping=mapping)


def _load_mapping_file(engine: Engine, path: Path) -> LoadReport:
    """Store a mapping file of its own, checked against the policy versions in the database."""
    text, why = read_limited(path, "utf-8")
    if text is None:
        raise CatalogInvalid([Problem(str(path), None, None, f"文件{why}")], hint=HINT)
    with writing(engine) as session:
        mapping, new = store_mapping(session, text, str(path), host=None, at=clock.now())
    assert mapping is not None  # a mapping file always holds one, or store_mapping raised
    return LoadReport(mapping.source.key, loaded=new, mapping=mapping, mapping_only=True)
