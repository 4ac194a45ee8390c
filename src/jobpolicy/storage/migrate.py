"""Alembic, driven from code: the migrations ship inside the package under ``storage/migrations``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from jobpolicy.storage.db import READONLY_OPTION, is_sqlite, require_existing, schema_error

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest revision this code knows."""
    return _script().get_current_head()


def known_revisions() -> set[str]:
    """Every revision this code knows."""
    return {rev.revision for rev in _script().walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None for a database never initialised."""
    # Read-only, so checking the schema never queues behind another office's write (SQLite BEGIN vs IMMEDIATE).
    with engine.connect().execution_options(**{READONLY_OPTION: True}) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Refuse a database that is missing, uninitialised, older or newer than this code.

    Raises:
        StorageError: the SQLite file does not exist.
        SchemaMismatch: the schema is not the one this code expects; the hint says what to do.
    """
    require_existing(engine)
    error = schema_error(current_revision(engine), head_revision(), known_revisions(), sqlite=is_sqlite(engine))
    if error:
        raise error


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)
