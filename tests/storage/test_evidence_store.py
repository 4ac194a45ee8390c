"""The evidence store on both back ends: each file once under its sha256, every read checked, damage reported.

SQLite keeps the files in a folder beside the database file; PostgreSQL in the ``evidence_blob`` table.
"""

from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from evidence_samples import PDF, PNG, write
from jobpolicy.errors import StorageError
from jobpolicy.storage.db import sqlite_path
from jobpolicy.storage.evidence_store import ALTERED, MISSING, FolderStore, TableStore, store_folder, store_for
from jobpolicy.storage.models import EvidenceBlob

SHA_PDF = hashlib.sha256(PDF).hexdigest()


def put(engine, path, expected=None):
    with Session(engine) as session, session.begin():
        return store_for(session).put(session, path, expected)


def read(engine, sha256):
    with Session(engine) as session:
        return store_for(session).read(session, sha256)


def test_each_back_end_has_its_own_place(engine):
    with Session(engine) as session:
        store = store_for(session)
    if engine.dialect.name == "sqlite":
        assert isinstance(store, FolderStore) and store.root == store_folder(sqlite_path(engine))
        assert store.root.name == "test.db.evidence"
    else:
        assert isinstance(store, TableStore)


def test_a_file_is_stored_once_under_its_sha256_and_read_back_checked(engine, tmp_path):
    first = put(engine, write(tmp_path, "名单.pdf", PDF))
    again = put(engine, write(tmp_path, "另一个名字.pdf", PDF), SHA_PDF)

    assert first.sha256 == again.sha256 == SHA_PDF and first.size == len(PDF)
    assert read(engine, SHA_PDF) == PDF
    with Session(engine) as session:
        if engine.dialect.name == "sqlite":
            files = [p for p in store_for(session).root.rglob("*") if p.is_file()]
            assert [p.relative_to(store_for(session).root).as_posix() for p in files] == [f"{SHA_PDF[:2]}/{SHA_PDF}"]
        else:
            assert session.scalar(select(func.count()).select_from(EvidenceBlob)) == 1


def test_a_file_that_changed_since_it_was_described_is_not_stored(engine, tmp_path):
    path = write(tmp_path, "名单.pdf", PNG)  # described as the PDF, then overwritten before the store reads it

    with pytest.raises(StorageError, match="在读取过程中被改动"):
        put(engine, path, SHA_PDF)
    with Session(engine) as session:
        assert store_for(session).exists(session, SHA_PDF) is False
        assert store_for(session).problem(session, hashlib.sha256(PNG).hexdigest()) == MISSING


def damage(engine, sha256: str) -> None:
    """Alter one byte of a stored file, as a disk fault or a hand edit would, behind the tool's back."""
    if engine.dialect.name == "sqlite":
        path = FolderStore(store_folder(sqlite_path(engine))).path(sha256)
        data = bytearray(path.read_bytes())
        data[-1] ^= 1
        path.write_bytes(bytes(data))
        return
    with engine.begin() as connection:  # the trigger refuses updates, so only the table's owner can, on purpose
        connection.execute(text("ALTER TABLE evidence_blob DISABLE TRIGGER evidence_blob_append_only"))
        connection.execute(text("UPDATE evidence_blob SET data = :d"), {"d": PDF[:-1] + b"?"})
        connection.execute(text("ALTER TABLE evidence_blob ENABLE TRIGGER evidence_blob_append_only"))


def test_an_altered_file_is_refused_on_read_and_repaired_by_storing_it_again(engine, tmp_path):
    put(engine, write(tmp_path, "名单.pdf", PDF))
    damage(engine, SHA_PDF)

    with pytest.raises(StorageError, match=ALTERED):
        read(engine, SHA_PDF)
    if engine.dialect.name == "sqlite":  # the folder takes the good copy in place of the damaged one
        put(engine, tmp_path / "名单.pdf", SHA_PDF)
        assert read(engine, SHA_PDF) == PDF


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_the_folder_store_never_follows_a_link(tmp_path):
    outside = write(tmp_path / "elsewhere", SHA_PDF, PDF)
    store = FolderStore(tmp_path / "jobpolicy.db.evidence")
    store.root.mkdir()
    (store.root / SHA_PDF[:2]).mkdir()
    store.path(SHA_PDF).symlink_to(outside)

    with pytest.raises(StorageError, match="不是普通文件"):
        store.read(None, SHA_PDF)
    (store.root / "ab").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(StorageError, match="不是普通文件夹"):
        store._folder(store.root / "ab")
