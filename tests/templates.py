"""Template databases for the tests: each ready state (schema migrated, a catalog loaded, some schools) is built
once per session through the project's own code, then copied for every test that asks for it.

Migrating with Alembic and loading the catalog took about half the suite's time when every test did it. A copy is
the same database: on SQLite the file (through SQLite's backup API, so a WAL file is taken along); on PostgreSQL
the template schema dumped once by ``pg_dump`` and replayed into the test's own schema.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Hashable
from pathlib import Path

from sqlalchemy import make_url, text


class Templates:
    """Template databases by key: a file on SQLite, a dumped schema (SQL text) on PostgreSQL."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[Hashable, Path] = {}
        self.dumps: dict[Hashable, tuple[str, str]] = {}  # key -> (template schema, its dump)
        self.schemas: list[tuple[str, str]] = []  # (admin URL, schema) to drop at the end

    def copy(self, key: Hashable, build: Callable, url: str) -> None:
        """Make the empty database at ``url`` a copy of the template ``key``, first built with ``build(engine)``."""
        if url.startswith("sqlite"):
            self._copy_sqlite(key, build, Path(make_url(url).database))
        else:
            self._copy_postgres(key, build, url)

    def _copy_sqlite(self, key: Hashable, build: Callable, target: Path) -> None:
        if key not in self.files:
            path = self.folder / f"{len(self.files)}.db"
            _built(f"sqlite:///{path}", build)
            self.files[key] = path
        with sqlite3.connect(self.files[key]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        source.close()

    def _copy_postgres(self, key: Hashable, build: Callable, url: str) -> None:
        from jobpolicy.storage.db import make_engine

        base, schema = _schema_of(url)
        if key not in self.dumps:
            template = f"tpl_{uuid.uuid4().hex[:12]}"
            admin = make_engine(base)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{template}"'))
            admin.dispose()
            self.schemas.append((base, template))
            _built(url.replace(f"%3D{schema}", f"%3D{template}"), build)
            self.dumps[key] = template, _dump(base, template)
        template, dump = self.dumps[key]
        engine = make_engine(url)
        connection = engine.raw_connection()  # no parameters: the dump's rows may hold a literal %
        try:
            connection.cursor().execute(dump.replace(template, schema))
            connection.commit()
        finally:
            connection.close()
        engine.dispose()

    def close(self) -> None:
        from jobpolicy.storage.db import make_engine

        for base, schema in self.schemas:
            admin = make_engine(base)
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


def _built(url: str, build: Callable) -> None:
    from jobpolicy.storage.db import make_engine

    engine = make_engine(url)
    build(engine)
    engine.dispose()


def _schema_of(url: str) -> tuple[str, str]:
    """The server URL without the test's options, and the test's schema (``…options=-csearch_path%3Dt_…``, maybe
    followed by other ``%20-c…`` settings)."""
    head, options = url.rsplit("options=-csearch_path%3D", 1)
    return head.rstrip("?&"), re.split(r"%20|&", options, maxsplit=1)[0]


def _dump(base: str, schema: str) -> str:
    """The schema's tables, sequences, indexes, constraints and rows as SQL, without the CREATE SCHEMA."""
    parsed = make_url(base)
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    # --enable-row-security: the tables force row security even on their owner (access model, migration 0007);
    # pg_dump refuses such tables without it, and the owner's policies let it read every row.
    found = subprocess.run(["pg_dump", "--schema", schema, "--no-owner", "--no-privileges", "--inserts",
                            "--enable-row-security", "--dbname", plain], check=True, capture_output=True, text=True).stdout
    lines = [line for line in found.splitlines()
             if not line.startswith(("CREATE SCHEMA", "--", "\\")) and "set_config('search_path'" not in line]
    return "\n".join(lines)
