"""Engines: URL resolution, SQLite tuned for several writers, and aware UTC datetimes on both back ends."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import select

from codes import SHANXI
from jobpolicy.services._uow import reading, writing
from jobpolicy.storage.db import BUSY_TIMEOUT_MS, describe_place, hash_joins, make_engine, resolve_url, sqlite_path
from jobpolicy.storage.models import Institution, Record

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
POSTGRES_ONLY = pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)],
                                       indirect=True)


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u:p@db.example.cn/jobpolicy", "postgresql+psycopg://u:p@db.example.cn/jobpolicy"),
    ("postgresql://u:p@db.example.cn:5433/jobpolicy?sslmode=require",
     "postgresql+psycopg://u:p@db.example.cn:5433/jobpolicy?sslmode=require"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:////srv/jobpolicy.db", "sqlite:////srv/jobpolicy.db"),
    ("  postgres://u@h/d  ", "postgresql+psycopg://u@h/d"),
])
def test_resolve_url_keeps_urls_and_picks_psycopg_3(given, expected):
    assert resolve_url(given) == expected


def test_resolve_url_turns_paths_into_absolute_sqlite_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the isolated_env fixture made tmp_path the cwd

    assert resolve_url(None) == f"sqlite:///{tmp_path / 'jobpolicy.db'}"
    assert resolve_url("") == f"sqlite:///{tmp_path / 'jobpolicy.db'}"
    assert resolve_url("data/就业.db") == f"sqlite:///{tmp_path / 'data' / '就业.db'}"
    assert resolve_url("../shared.db") == f"sqlite:///{tmp_path.parent / 'shared.db'}"
    assert resolve_url("~/jobpolicy.db") == f"sqlite:///{tmp_path / 'home' / 'jobpolicy.db'}"


@pytest.mark.parametrize(
    ("url", "place"),
    [
        ("sqlite:///D:\\就业\\jobpolicy.db", ("数据库文件", "D:\\就业\\jobpolicy.db")),  # as Explorer shows it
        ("sqlite:////srv/就业/jobpolicy.db", ("数据库文件", "/srv/就业/jobpolicy.db")),
        ("sqlite://", ("数据库", "内存中（不保存到文件）")),
        ("postgresql+psycopg://office:s3cret@10.1.2.3:5432/jobpolicy",
         ("数据库", "PostgreSQL 10.1.2.3:5432 上的 jobpolicy（用户 office）")),  # never the password
    ],
)
def test_the_database_is_described_as_a_path_or_a_server_never_a_url(url, place):
    assert describe_place(make_engine(url)) == place


@SQLITE_ONLY
def test_sqlite_pragmas_are_in_force_on_every_connection(engine):
    engine.dispose()  # a fresh connection, not the one init used
    with engine.connect() as connection:
        pragmas = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                   for name in ("journal_mode", "foreign_keys", "busy_timeout")}

    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS}


@POSTGRES_ONLY
def test_postgresql_sessions_compile_no_jit(engine):
    # JIT compiled a national status's expressions for 7 of its 7.3 seconds at 300 schools.
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW jit").scalar_one() == "off"


@POSTGRES_ONLY
def test_hash_joins_plan_without_nested_loops_and_only_inside(engine):
    with engine.begin() as connection:
        with hash_joins(connection):
            inside = connection.exec_driver_sql("SHOW enable_nestloop").scalar_one()
        after = connection.exec_driver_sql("SHOW enable_nestloop").scalar_one()
        with hash_joins(connection, wanted=False):
            unwanted = connection.exec_driver_sql("SHOW enable_nestloop").scalar_one()

    assert (inside, after, unwanted) == ("off", "on", "on")


@SQLITE_ONLY
def test_hash_joins_change_nothing_on_sqlite(engine):
    with engine.begin() as connection, hash_joins(connection):
        assert connection.exec_driver_sql("SELECT 1").scalar_one() == 1


def test_foreign_keys_are_enforced(engine):
    orphan = Record(institution_code="9999999999", policy_id="gse-2025", item_id="support.16.a", period="once",
                    status_at=datetime.now(UTC), updated_at=datetime.now(UTC))

    with pytest.raises(IntegrityError), writing(engine) as session:
        session.add(orphan)


def other_connection(engine) -> sqlite3.Connection:
    """A second connection to the same file that never waits for a lock, like an impatient second office."""
    return sqlite3.connect(sqlite_path(engine), timeout=0, isolation_level=None)


@SQLITE_ONLY
def test_a_writer_holds_the_write_lock_from_its_first_statement(engine):
    other = other_connection(engine)
    try:
        with writing(engine) as session:
            session.exec(select(Institution)).all()  # only a read so far: the lock was taken at BEGIN
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
            assert other.execute("SELECT count(*) FROM institution").fetchone() == (3,)  # WAL: readers go on
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


@SQLITE_ONLY
def test_readers_begin_deferred_and_do_not_block_a_writer(engine):
    other = other_connection(engine)
    try:
        with reading(engine) as session:
            before = session.exec(select(Institution)).all()
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE institution SET name = '改名' WHERE code = ?", (SHANXI,))
            other.execute("COMMIT")
            again = session.exec(select(Institution.name).where(Institution.code == SHANXI)).one()
        assert len(before) == 3
        assert again == "山西大学"  # the reader keeps its snapshot while the writer commits
    finally:
        other.close()


def test_datetimes_round_trip_as_aware_utc(engine):
    china = datetime(2025, 7, 1, 0, 30, tzinfo=timezone(timedelta(hours=8)))
    with writing(engine) as session:
        session.add(Institution(code="9999999999", name="测试学院", listed=False, created_at=china,
                                tracking_start=china.date()))

    with reading(engine) as session:
        stored = session.get(Institution, "9999999999").created_at
    with engine.connect() as connection:
        raw = connection.execute(text("SELECT created_at FROM institution WHERE code = '9999999999'")).scalar_one()

    assert stored == china and stored.tzinfo is UTC
    assert stored.isoformat() == "2025-06-30T16:30:00+00:00"
    assert str(raw).startswith("2025-06-30 16:30:00")  # stored as UTC, whatever the server's time zone


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(StatementError, match="naive datetime"), writing(engine) as session:
        session.add(Institution(code="9999999999", name="测试学院", created_at=datetime(2025, 7, 1),
                                tracking_start=date(2025, 7, 1)))

    with reading(engine) as session:
        assert session.get(Institution, "9999999999") is None


def test_paths_are_not_created_by_resolving(tmp_path):
    resolve_url("nowhere/jobpolicy.db")
    assert not Path("nowhere").exists()


@SQLITE_ONLY
def test_a_new_command_can_read_while_an_office_is_writing(engine, monkeypatch):
    monkeypatch.setattr("jobpolicy.storage.db.BUSY_TIMEOUT_MS", 200)  # fail in a fifth of a second, not a minute
    fresh = make_engine(str(engine.url))  # as the next command would open it: schema not yet checked
    other = other_connection(engine)
    try:
        other.execute("BEGIN IMMEDIATE")
        with reading(fresh) as session:
            assert len(session.exec(select(Institution)).all()) == 3
    finally:
        other.execute("ROLLBACK")
        other.close()
        fresh.dispose()
