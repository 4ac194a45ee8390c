"""Database lifecycle: create, migrate, describe, back up."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from jobpolicy import clock, safe_files
from jobpolicy.errors import StorageError, os_reason
from jobpolicy.services._uow import forget_schema_check, reading, storage_errors, writing
from jobpolicy.services.catalog import newest_bundled, version_key
from jobpolicy.services.policies import store_catalog
from jobpolicy.services.tracking import set_database_start, tracking_start
from jobpolicy.storage import migrate, repo
from jobpolicy.storage.db import (
    create_private,
    describe_place,
    describe_url,
    foreign_tables_error,
    has_tables,
    require_existing,
    sqlite_path,
)
from jobpolicy.storage.evidence_store import StoreCheck, copy_stored, store_folder, verify_all


@dataclass(frozen=True)
class InitReport:
    """What ``db init`` did.

    ``newer`` pairs a policy's version in use with a newer bundled one that ``db init`` did not load, because
    moving records to a new version is ``policy load``'s job, done on purpose and reported record by record.
    """

    place: tuple[str, str]  # where the database is: label and place (storage.db.describe_place)
    revision: str
    loaded: list[str]
    already: list[str]
    newer: list[tuple[str, str]] = field(default_factory=list)
    start: date | None = None  # the database-wide tracking start, when set


def init_database(engine: Engine, *, load_bundled: bool = True, start: date | None = None) -> InitReport:
    """Create the schema (or bring it up to date) and load the newest bundled version of each policy not loaded.

    A policy already in the database keeps the version it uses, even when a newer one is bundled (reported in
    ``newer``). Safe to run again: nothing recorded is touched.

    Args:
        engine: the database.
        load_bundled: False creates the schema only (tests and benchmarks that start from an older version).
        start: set the database-wide tracking start too (``tracking.set_database_start``); None leaves it.

    Raises:
        SchemaMismatch: the database was made by a newer jobpolicy.
    """
    with storage_errors(engine):
        create_private(engine)  # the file holds every record of the school: its owner's only, where POSIX allows
        current = migrate.current_revision(engine) if has_tables(engine) else None
        if current is None and (foreign := foreign_tables_error(engine)) is not None:
            raise foreign
        if current is not None and current not in migrate.known_revisions():
            migrate.check_schema(engine)  # raises the "newer than this code" message
        migrate.upgrade(engine)
    forget_schema_check(engine)
    report = InitReport(describe_place(engine), migrate.head_revision(), [], [], start=start)
    if start is not None:
        set_database_start(engine, start)
    if not load_bundled:
        return report
    with writing(engine) as session:
        in_use = {v.policy_id: v.version for v in repo.current_versions(session=session)}
        for policy in newest_bundled():
            version = in_use.get(policy.id)
            if version is None:
                store_catalog(session, policy, Path(policy.path).read_text(encoding="utf-8"), at=clock.now())
                report.loaded.append(policy.key)
            elif version_key(version) < version_key(policy.version):
                report.newer.append((f"{policy.id}@{version}", policy.key))
            else:
                report.already.append(f"{policy.id}@{version}")
    return report


def upgrade_database(engine: Engine) -> tuple[str | None, str]:
    """Apply pending migrations; return the revisions before and after.

    Raises:
        SchemaMismatch: the database is uninitialised, or newer than this code.
    """
    require_existing(engine)
    with storage_errors(engine):
        before = migrate.current_revision(engine)
        if before is None or before not in migrate.known_revisions():
            migrate.check_schema(engine)
        migrate.upgrade(engine)
    forget_schema_check(engine)
    return before, migrate.head_revision()


@dataclass(frozen=True)
class DatabaseInfo:
    """What ``db info`` shows."""

    url: str  # without its password
    location: str  # the file's path, or the server and database (storage.db.describe_place)
    location_label: str  # 数据库文件 or 数据库
    backend: str
    revision: str | None
    head: str
    policies: list[str]
    counts: dict[str, int]
    backup_hint: str
    start: date | None  # the database-wide tracking start, or None


def database_info(engine: Engine) -> DatabaseInfo:
    """Describe the database: backend, schema revision, loaded policies, row counts."""
    with reading(engine) as session:
        policies = [f"{v.policy_id}@{v.version}" for v in repo.current_versions(session=session)]
        counts = repo.counts(session=session)
        start = tracking_start(session)
    backend = engine.dialect.name
    hint = ("jobpolicy db backup 文件名（在线备份，不影响他人使用）" if backend == "sqlite"
            else "请用 pg_dump 备份，例如 pg_dump -Fc -f jobpolicy.dump 数据库名")
    label, place = describe_place(engine)
    return DatabaseInfo(describe_url(engine), place, label, backend, migrate.current_revision(engine),
                        migrate.head_revision(), policies, counts, hint, start)


def check_database(engine: Engine) -> StoreCheck:
    """Check every stored evidence file against its sha256; the caller reports each missing or altered one.

    Returns:
        Where the store is, how many files were checked, and each problem with the names the file was cited under.
    """
    with reading(engine) as session:
        return verify_all(session)


def _stored_files(copy: sqlite3.Connection) -> list[str]:
    """The sha256 of every stored file a database copy cites; none before the store existed (schema 0005)."""
    if "stored" not in {row[1] for row in copy.execute("PRAGMA table_info(evidence)")}:
        return []
    return [sha for (sha,) in copy.execute("SELECT DISTINCT sha256 FROM evidence WHERE stored")]


def backup_database(engine: Engine, target: Path) -> Path:
    """Copy a live SQLite database to ``target`` with SQLite's online backup API, and the evidence files the copy
    cites into ``target``'s evidence folder (``<target>.evidence``), each checked against its sha256.

    The copy is made under a temporary name beside ``target`` and renamed when complete (``safe_files``): a
    killed or failed backup never leaves a half copy under the name, and a link planted as ``target`` is refused.

    Raises:
        StorageError: not SQLite (use pg_dump), or the target exists or cannot be written.
        UnsafePath: ``target`` is a link.
    """
    source = sqlite_path(engine)
    if source is None:
        raise StorageError("db backup 只适用于 SQLite 数据库", hint="PostgreSQL 请用 pg_dump 备份")
    # A missing file is not made, a foreign or damaged one is refused on connect (storage/db_file.py); a database
    # of an older schema is copied as it is: the upgrade's own advice is to back up first.
    require_existing(engine)
    with storage_errors(engine), engine.connect():
        pass
    target = Path(os.path.abspath(target.expanduser()))  # not resolve(): that would follow a planted link
    safe_files.refuse_links(target, option="备份文件名")
    if target.exists():
        raise StorageError(f"备份文件 {target} 已存在", hint="换一个文件名，不会覆盖已有文件")
    if not target.parent.is_dir():
        raise StorageError(f"目录 {target.parent} 不存在", hint="先创建目录，或换一个位置")
    if store_folder(target).exists():
        raise StorageError(f"佐证材料备份文件夹 {store_folder(target)} 已存在", hint="换一个文件名，不会覆盖已有文件")
    try:
        staged = safe_files.Staged(target, option="备份文件名", private=True)  # its records are not for everyone
        try:
            # sqlite3's own context manager commits but does not close; closing() does.
            with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(staged.temporary)) as dst:
                src.backup(dst)
                # The files the copy cites, read from the copy: each was stored before its row committed, so all
                # are in the store, and files stored after the snapshot are not the copy's business.
                cited = _stored_files(dst)
            copy_stored(source, target, cited)
            staged.commit()
        finally:
            staged.discard()
    except (sqlite3.Error, OSError, StorageError) as exc:
        shutil.rmtree(store_folder(target), ignore_errors=True)  # our own half-made copy, never the store
        if isinstance(exc, StorageError):
            raise
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise StorageError(f"备份失败（{reason}）", hint="检查磁盘空间和写入权限") from exc
    return target
