"""Engines and the schema check: SQLite tuned for several offices writing at once, or any SQLAlchemy URL.

Nothing here runs at import time; the CLI's root callback calls ``make_engine`` with ``--db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, create_engine, event, inspect
from sqlalchemy.pool import StaticPool

from jobpolicy.errors import SchemaMismatch, StorageError
from jobpolicy.storage import db_file

DEFAULT_DB = "jobpolicy.db"
BUSY_TIMEOUT_MS = 60_000
READONLY_OPTION = "jobpolicy_readonly"


def resolve_url(db: str | None) -> str:
    """Turn ``--db`` / ``JOBPOLICY_DB`` (a file path or an SQLAlchemy URL) into a URL."""
    value = (db or DEFAULT_DB).strip()
    if "://" in value:
        if value.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver we ship (extra "postgres"); SQLAlchemy would pick psycopg2.
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite turn on WAL, foreign keys, a busy timeout and immediate write locks."""
    if url == "sqlite://" or url == "sqlite:///:memory:":
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
        _tune_sqlite(engine, wal=False)
        return engine
    try:
        if not url.startswith("sqlite"):
            engine = create_engine(url, pool_pre_ping=True)
            if engine.dialect.name == "postgresql":
                _tune_postgresql(engine)
            return engine
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    except db_file.URL_ERRORS as exc:
        raise db_file.url_problem(url, exc) from None
    path = sqlite_path(engine)
    if path is not None:
        db_file.check_file(path)  # a workbook or a text file named by --db is refused before SQLite opens it
    _tune_sqlite(engine, wal=True, path=path)
    return engine


def _tune_sqlite(engine: Engine, *, wal: bool, path: Path | None = None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if path is not None:  # before the WAL pragma, which would write into another program's database
            db_file.check_connection(dbapi_connection, path)
        # Autocommit at the driver level, so that the "begin" hook below decides how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    if path is not None:
        event.listen(engine, "handle_error", lambda context: db_file.on_error(context, path))

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN: a deferred transaction that later tries to write can fail
        # with "database is locked" without waiting, which is how two offices' commands would lose work.
        # Readers (reports, listings) begin deferred so they never queue behind writers under WAL.
        readonly = connection.get_execution_options().get(READONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _tune_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # No JIT: it compiles the expressions of a national aggregation (hundreds of lines and CASEs) for seconds to
        # save milliseconds; status over 300 schools took 7.3 s with it, 0.4 s without.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


@contextmanager
def hash_joins(connection: Connection, *, wanted: bool = True) -> Iterator[None]:
    """Plan the statements run inside without nested loops, on PostgreSQL (SQLite has no other join), when
    ``wanted``.

    For aggregations over computed lines (a CTE of rows sent from Python, joined to every school by range and pattern
    conditions): PostgreSQL cannot estimate how many rows such a join gives, guesses one, and then rescans an
    aggregate (each record's latest evidence, the records as of a date) once per line, which at 300 schools ran
    for minutes, statistics or not. Hash and merge joins cost what the rows cost, whatever the guess.
    """
    if not wanted or connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        connection.exec_driver_sql("SET LOCAL enable_nestloop = on")


def takes_materialized(dialect: Dialect) -> bool:
    """Whether the database takes a CTE's ``MATERIALIZED`` hint (SQLite from 3.35, PostgreSQL from 12)."""
    wanted = (3, 35) if dialect.name == "sqlite" else (12,)
    return tuple(dialect.server_version_info or ()) >= wanted


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a file-backed SQLite engine, else None."""
    if not is_sqlite(engine) or not engine.url.database:
        return None
    return Path(engine.url.database)


def create_private(engine: Engine) -> bool:
    """Create a new SQLite file readable and writable by its owner only (0600), before SQLite creates it with the
    default mode; SQLite gives its -wal and -shm files the same mode. Return whether a file was created.

    On Windows the mode means nothing (files inherit the folder's ACLs), so the file is left to SQLite.
    """
    path = sqlite_path(engine)
    if path is None or str(path) == ":memory:" or os.name == "nt" or path.exists():
        return False
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # an empty file is an empty database
    except OSError:  # no such folder, no permission, created meanwhile: SQLite says so in its own words next
        return False
    return True


def describe_url(engine: Engine) -> str:
    """The URL without its password, for scripts (``db info --json``)."""
    return engine.url.render_as_string(hide_password=True)


def describe_place(engine: Engine) -> tuple[str, str]:
    """Where the database is, as people read it: a label and the place. An SQLite file is its path, ready to paste
    into Explorer (``数据库文件``, ``D:\\就业\\jobpolicy.db``); a server is its address and database, never a
    password (``数据库``, ``PostgreSQL 10.1.2.3:5432 上的 jobpolicy（用户 office）``)."""
    path = sqlite_path(engine)
    if path is not None and str(path) != ":memory:":
        return "数据库文件", str(path)
    url = engine.url
    if is_sqlite(engine):
        return "数据库", "内存中（不保存到文件）"
    server = f"{url.host or '本机'}{f':{url.port}' if url.port else ''}"
    user = f"（用户 {url.username}）" if url.username else ""
    kind = "PostgreSQL" if engine.dialect.name == "postgresql" else engine.dialect.name
    return "数据库", f"{kind} {server} 上的 {url.database}{user}"


def describe_location(engine: Engine) -> str:
    """``describe_place`` in one phrase, for messages: ``数据库文件 D:\\就业\\jobpolicy.db``."""
    return " ".join(describe_place(engine))


def require_existing(engine: Engine) -> None:
    """Refuse to silently create an empty SQLite file when the user named a database that is not there."""
    path = sqlite_path(engine)
    if path is not None and not path.exists():
        raise StorageError(f"数据库文件 {path} 不存在",
                           hint="运行 jobpolicy db init 创建数据库，或用 --db / JOBPOLICY_DB 指定已有的数据库")


def has_tables(engine: Engine) -> bool:
    """Whether the database holds any table at all."""
    return bool(inspect(engine).get_table_names())


def foreign_tables_error(engine: Engine) -> StorageError | None:
    """Why a database that holds tables but no ``alembic_version`` is not ours, or None. SQLite files are refused
    on connecting (``db_file.check_connection``); this names a PostgreSQL schema of another program, so that
    ``db init`` never adds our tables beside its own."""
    names = sorted(inspect(engine).get_table_names())
    if not names or db_file.OURS in names:
        return None
    where, tables = describe_location(engine), db_file.some_tables(names)
    return StorageError(f"{where} 中已有其他程序的表（{tables}），不是 jobpolicy 数据库，未做任何改动",
                        hint="检查 --db / JOBPOLICY_DB；新建数据库请用一个空的数据库或 schema 运行 jobpolicy db init")


def schema_error(current: str | None, head: str, known: set[str], *, sqlite: bool = True,
                 where: str = "数据库") -> SchemaMismatch | None:
    """Return why a database (``where``, e.g. ``数据库文件 D:\\就业.db``) at revision ``current`` cannot be used by
    code at ``head``, or None."""
    if current == head:
        return None
    if current is None:
        return SchemaMismatch(f"{where} 尚未初始化", hint="运行 jobpolicy db init")
    if current in known:
        backup = "jobpolicy db backup 文件名" if sqlite else "pg_dump"
        return SchemaMismatch(f"{where} 的结构版本 {current} 较旧，本程序需要 {head}",
                              hint=f"先备份（{backup}），再运行 jobpolicy db upgrade")
    return SchemaMismatch(f"{where} 的结构版本 {current} 比本程序（{head}）新，未做任何改动",
                          hint="这个数据库由更新版本的 jobpolicy 创建；请升级 jobpolicy 后再使用")
