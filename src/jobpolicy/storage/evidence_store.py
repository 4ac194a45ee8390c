"""The evidence store: every evidence file kept once, under its sha256, and checked against it on every read.

One interface, two places, chosen by the database:

- **SQLite**: a folder beside the database file, ``jobpolicy.db.evidence/ab/abcdef…`` (the first two hex digits
  name a subfolder, so no folder holds more than a few thousand files). Beside, not inside: an office's database
  stays small enough to copy, back up and open quickly, the files stay ordinary files a person can inspect, and
  SQLite's single-writer lock is never held while megabytes of scans are written. The name ties the folder to its
  database (``jobpolicy.db`` → ``jobpolicy.db.evidence``), so moving both together keeps them paired; ``db backup``
  copies both, consistently.
- **PostgreSQL** (and an in-memory SQLite database, which has no folder): a table, ``evidence_blob``, keyed by the
  sha256. The province's machines then share the files through the database they already share, with the same
  transactions, roles and ``pg_dump`` backups; no network folder to mount and keep in step.

Transactions: a file is written before the records that cite it commit. On SQLite it lands in the folder first
(written to a temporary file in the same subfolder, flushed to disk, then renamed into place, so a file under its
final name is always whole); if the transaction then rolls back, the file stays, unreferenced and harmless, and the
next import of the same file finds it there. On PostgreSQL the row is part of the transaction itself.

Nothing here deletes a stored file; the database refuses UPDATE and DELETE on ``evidence_blob``. The store never
follows a symbolic link: a store folder, subfolder or file that is a link is refused as damage.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select
from sqlmodel import Session

from jobpolicy import clock, safe_files
from jobpolicy.errors import StorageError, os_reason
from jobpolicy.storage.db import sqlite_path
from jobpolicy.storage.models import Evidence, EvidenceBlob

CHUNK = 1 << 20
FOLDER_SUFFIX = ".evidence"
MISSING = "缺失"
ALTERED = "内容与 sha256 不符（已被改动或损坏）"
NOT_A_FILE = "不是普通文件（可能是链接），不予读取"
REPAIR_HINT = "从备份（jobpolicy db backup 生成的 .evidence 文件夹）中找回该文件，或请学校重新报送该佐证材料"


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: its sha256 and size."""

    sha256: str
    size: int


@dataclass(frozen=True)
class StoreProblem:
    """A stored file that is missing or altered, with the names it was recorded under."""

    sha256: str
    names: tuple[str, ...]
    why: str


class EvidenceStore(Protocol):
    """What both back ends offer. ``session`` is the caller's transaction; nothing here commits."""

    def put(self, session: Session, source: Path, expected: str | None = None) -> StoredFile:
        """Store the file at ``source`` (once: a file already stored is not written again).

        Raises:
            StorageError: the file changed while it was read (its sha256 is not ``expected``), or cannot be written.
        """

    def read(self, session: Session, sha256: str) -> bytes:
        """The stored file's bytes, checked against ``sha256``.

        Raises:
            StorageError: the file is missing or altered.
        """

    def exists(self, session: Session, sha256: str) -> bool:
        """Whether a file with this sha256 is stored (not checked)."""

    def problem(self, session: Session, sha256: str) -> str | None:
        """Why the file stored under ``sha256`` is unusable (missing, altered, a link), or None."""

    def place(self) -> str:
        """Where the files are, as people read it."""


def _digest(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _changed(name: str) -> StorageError:
    return StorageError(f"文件 {name} 在读取过程中被改动", hint="等文件保存完毕、不再被其他程序修改时重试")


def copy_stored(source: Path, target: Path, sha256s: Iterable[str]) -> int:
    """Copy the files ``sha256s`` from the store of the SQLite database ``source`` into that of ``target`` (a
    backup), each checked on the way; return how many.

    Raises:
        StorageError: a file is missing or altered in the source store, or the target cannot be written.
    """
    origin, copy = FolderStore(store_folder(source)), FolderStore(store_folder(target))
    count = 0
    for sha256 in sha256s:
        copy.put_bytes(origin.read(None, sha256), sha256)
        count += 1
    return count


def _damaged(sha256: str, why: str) -> StorageError:
    return StorageError(f"佐证材料库中的文件 {sha256[:12]}… {why}", hint=REPAIR_HINT)


class FolderStore:
    """Files in a folder beside an SQLite database, ``<root>/ab/abcdef…``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def place(self) -> str:
        return f"文件夹 {self.root}"

    def path(self, sha256: str) -> Path:
        """Where the file with this sha256 lives (whether or not it is there)."""
        return self.root / sha256[:2] / sha256

    def _folder(self, path: Path) -> Path:
        """``path`` as a real folder, created when missing; a link or a file in its place is refused."""
        try:
            path.mkdir(exist_ok=True)
            mode = os.lstat(path).st_mode
        except OSError as exc:
            raise StorageError(f"无法创建佐证材料文件夹 {path}（{os_reason(exc)}）",
                               hint="检查磁盘空间和数据库所在文件夹的写入权限") from exc
        if not stat.S_ISDIR(mode):
            raise StorageError(f"佐证材料文件夹 {path} 不是普通文件夹（可能是链接），已拒绝写入",
                               hint="把它移走后重试；佐证材料库只使用数据库旁真实的文件夹")
        return path

    def put(self, session: Session, source: Path, expected: str | None = None) -> StoredFile:
        if expected is not None and self.problem(session, expected) is None:
            return StoredFile(expected, self.path(expected).stat().st_size)
        try:
            with source.open("rb") as given:
                return self._write(iter(lambda: given.read(CHUNK), b""), expected, source.name)
        except OSError as exc:
            raise StorageError(f"无法把 {source.name} 存入佐证材料库（{os_reason(exc)}）",
                               hint="检查磁盘空间和数据库所在文件夹的写入权限") from exc

    def put_bytes(self, data: bytes, sha256: str) -> StoredFile:
        """Store ``data``, known to have this sha256 (a copy from another store, e.g. into a backup)."""
        if self.problem(None, sha256) is None:
            return StoredFile(sha256, len(data))
        try:
            return self._write(iter([data]), sha256, sha256)
        except OSError as exc:
            raise StorageError(f"无法写入佐证材料文件夹 {self.root}（{os_reason(exc)}）",
                               hint="检查磁盘空间和写入权限") from exc

    def _write(self, chunks: Iterator[bytes], expected: str | None, shown: str) -> StoredFile:
        """Write to a temporary file in the store's own folder (same disk, so the rename is atomic), flush it to
        disk, check it, then rename it into place."""
        handle, temporary = tempfile.mkstemp(dir=self._folder(self.root), prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                sha256, size = _digest(self._copying(chunks, out))
                out.flush()
                os.fsync(out.fileno())
            if expected is not None and sha256 != expected:
                raise _changed(shown)
            target = self.path(sha256)
            if self.problem(None, sha256) is not None:  # absent, or damaged: the good copy replaces it
                self._folder(target.parent)
                os.replace(temporary, target)
                safe_files.sync_folder(target.parent)
            return StoredFile(sha256, size)
        finally:
            Path(temporary).unlink(missing_ok=True)

    @staticmethod
    def _copying(chunks: Iterator[bytes], out) -> Iterator[bytes]:
        for chunk in chunks:
            out.write(chunk)
            yield chunk

    def _open(self, sha256: str):
        """The stored file, opened without following a link; None when it is not there."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        path = self.path(sha256)
        if any(p.is_symlink() for p in (self.root, path.parent, path)):
            raise _damaged(sha256, NOT_A_FILE)
        try:
            return os.fdopen(os.open(path, flags), "rb")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _damaged(sha256, f"无法读取（{os_reason(exc)}）") from exc

    def read(self, session: Session, sha256: str) -> bytes:
        handle = self._open(sha256)
        if handle is None:
            raise _damaged(sha256, MISSING)
        with handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise _damaged(sha256, ALTERED)
        return data

    def exists(self, session: Session, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def problem(self, session: Session, sha256: str) -> str | None:
        try:
            handle = self._open(sha256)
        except StorageError:
            return NOT_A_FILE
        if handle is None:
            return MISSING
        with handle:
            found, _ = _digest(iter(lambda: handle.read(CHUNK), b""))
        return None if found == sha256 else ALTERED


class TableStore:
    """Files as rows of ``evidence_blob`` (PostgreSQL; an in-memory SQLite database)."""

    def place(self) -> str:
        return "数据库内（evidence_blob 表）"

    def put(self, session: Session, source: Path, expected: str | None = None) -> StoredFile:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise StorageError(f"无法读取 {source.name}（{os_reason(exc)}）",
                               hint="检查文件是否存在、能否打开") from exc
        sha256 = hashlib.sha256(data).hexdigest()
        if expected is not None and sha256 != expected:
            raise _changed(source.name)
        # The dialect's own insert (for ON CONFLICT), imported when needed: importing the postgresql package loads
        # every PostgreSQL driver's module, which no SQLite command should pay for at start.
        insert = importlib.import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}").insert
        # Two offices importing the same file at once: the second insert does nothing, and both cite the one row.
        session.execute(insert(EvidenceBlob).values(sha256=sha256, size=len(data), data=data, stored_at=clock.now())
                        .on_conflict_do_nothing(index_elements=["sha256"]))
        return StoredFile(sha256, len(data))

    def _fetch(self, session: Session, sha256: str) -> tuple[bytes | None, str | None]:
        """The stored bytes, and why they are unusable (missing, altered) or None."""
        data = session.scalar(select(EvidenceBlob.data).where(EvidenceBlob.sha256 == sha256))
        if data is None:
            return None, MISSING
        return bytes(data), None if hashlib.sha256(data).hexdigest() == sha256 else ALTERED

    def read(self, session: Session, sha256: str) -> bytes:
        data, why = self._fetch(session, sha256)
        if why is not None:
            raise _damaged(sha256, why)
        return data

    def exists(self, session: Session, sha256: str) -> bool:
        return session.scalar(select(func.count()).where(EvidenceBlob.sha256 == sha256)) > 0

    def problem(self, session: Session, sha256: str) -> str | None:
        return self._fetch(session, sha256)[1]


def store_folder(database: Path) -> Path:
    """The evidence folder of an SQLite database file: ``jobpolicy.db`` → ``jobpolicy.db.evidence``."""
    return database.with_name(database.name + FOLDER_SUFFIX)


def store_for(session: Session) -> EvidenceStore:
    """The store of the database ``session`` is bound to."""
    path = sqlite_path(session.get_bind().engine)
    if path is not None and str(path) != ":memory:":
        return FolderStore(store_folder(path))
    return TableStore()


def stored_names(session: Session) -> dict[str, tuple[str, ...]]:
    """Every stored file's sha256, with the names offices recorded it under (withdrawn evidence included)."""
    names: dict[str, list[str]] = {}
    query = select(Evidence.sha256, Evidence.name).where(Evidence.stored).distinct().order_by(Evidence.sha256)
    for sha256, name in session.execute(query):
        names.setdefault(sha256, []).append(name)
    return {sha256: tuple(sorted(found)) for sha256, found in names.items()}


@dataclass(frozen=True)
class StoreCheck:
    """What ``verify_all`` found: where the store is, how many files it checked, each one missing or altered."""

    place: str
    checked: int
    problems: list[StoreProblem]

    def failure(self) -> StorageError | None:
        """The error to exit with (code 1) when a file is missing or altered; None when every file is whole."""
        if not self.problems:
            return None
        return StorageError(f"佐证材料库（{self.place}）有 {len(self.problems)} 个文件缺失或被改动", hint=REPAIR_HINT)


def verify_all(session: Session) -> StoreCheck:
    """Check every stored file any evidence row cites (withdrawn ones too) against its sha256."""
    store = store_for(session)
    names = stored_names(session)
    problems = [StoreProblem(sha256, found, why) for sha256, found in names.items()
                if (why := store.problem(session, sha256)) is not None]
    return StoreCheck(store.place(), len(names), problems)
