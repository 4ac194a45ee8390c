"""Alembic, driven from code: the migrations ship inside the package under ``storage/migrations``.

Every command checks the schema revision, so that check reads ``alembic_version`` with one query and compares it
with ``REVISIONS``; Alembic itself (slow to import) is loaded only to migrate. A test keeps ``REVISIONS`` equal to
the migration scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from jobpolicy.errors import StorageError
from jobpolicy.storage.db import (
    READONLY_OPTION,
    describe_location,
    foreign_tables_error,
    is_sqlite,
    require_existing,
    schema_error,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Oldest first; add each new migration's revision here.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")


def head_revision() -> str:
    """The newest revision this code knows."""
    return REVISIONS[-1]


def known_revisions() -> set[str]:
    """Every revision this code knows."""
    return set(REVISIONS)


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None for a database never initialised."""
    # Read-only, so checking the schema never queues behind another office's write (SQLite BEGIN vs IMMEDIATE).
    with engine.connect().execution_options(**{READONLY_OPTION: True}) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_schema(engine: Engine) -> None:
    """Refuse a database that is missing, uninitialised, older or newer than this code.

    Raises:
        StorageError: the SQLite file does not exist, or the database holds another program's tables.
        SchemaMismatch: the schema is not the one this code expects; the hint says what to do.
    """
    require_existing(engine)
    current = current_revision(engine)
    foreign = foreign_tables_error(engine) if current is None else None
    error = foreign or schema_error(current, head_revision(), known_revisions(), sqlite=is_sqlite(engine),
                                    where=describe_location(engine))
    if error:
        raise error


def alembic_config(connection=None) -> Config:
    """An Alembic configuration for the shipped migrations, running on ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction.

    On SQLite, adding a NOT NULL column rebuilds the table (Alembic's batch mode), and dropping the old copy of a
    table that others reference fails while foreign keys are enforced. So enforcement is switched off around the
    transaction (SQLite ignores that pragma inside one) and every reference is checked before it commits.
    """
    from alembic import command

    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if is_sqlite(engine) else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if raw is not None:
                    _check_references(connection)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _check_references(connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:  # raising rolls the whole upgrade back
        raise StorageError(f"升级后有 {len(broken)} 处记录引用不一致（如 {tuple(broken[0])}），"
                           "升级已撤销，数据库保持原样", hint="请保留数据库文件，联系维护人员")
