"""Template databases for the tests: each ready state (schema migrated, a catalog loaded, some schools) is built
once per session through the project's own code, then copied for every test that asks for it.

Migrating with Alembic and loading the catalog took about half the suite's time when every test did it. A copy is
the same database: on SQLite the file (through SQLite's backup API, so a WAL file is taken along); on PostgreSQL
the template schema dumped once by ``pg_dump`` and replayed into the test's own schema.

Replaying the dump (about 130 statements of DDL) and dropping the schema afterwards cost the server about 0.5 s a
test, so a PostgreSQL schema is kept when its test ends and handed, reset, to the next test of the same template:
its rows deleted and the template's rows inserted again (about 0.05 s). A schema is reset only if its definition
(tables, columns, indexes, constraints, triggers, policies, functions, privileges) is still the one it was copied
with and its row counts come out as the template's; otherwise it is dropped as before.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text


@dataclass
class Dump:
    """A PostgreSQL template: its schema's name, everything as SQL, its rows alone as SQL, its row counts."""

    template: str
    whole: str
    rows: str
    counts: dict[str, int]
    order: list[str]  # tables in an order that deletes children before their parents


class Templates:
    """Template databases by key: a file on SQLite, a dumped schema (SQL text) on PostgreSQL, and PostgreSQL
    schemas that hold a template's state, free for the next test."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[Hashable, Path] = {}
        self.dumps: dict[Hashable, Dump] = {}
        self.schemas: list[tuple[str, str]] = []  # (admin URL, schema) to drop at the end
        self.holding: dict[str, tuple[Hashable, str]] = {}  # schema -> (template key, its definition's digest)
        self.free: dict[Hashable, list[str]] = {}  # template key -> schemas reset to it, unused

    def copy(self, key: Hashable, build: Callable, url: str) -> None:
        """Make the database at ``url`` a copy of the template ``key``, first built with ``build(engine)``; on
        PostgreSQL the schema is empty, or one that ``reuse`` handed out."""
        if url.startswith("sqlite"):
            self._copy_sqlite(key, build, Path(make_url(url).database))
        else:
            self._copy_postgres(key, build, url)

    def engine(self, key: Hashable, build: Callable, url: str) -> Iterator:
        """An engine on a fresh copy of the template ``key`` at ``url`` (``copy``), disposed once the caller is done:
        what every database fixture yields (``yield from templates.engine(…)``)."""
        from jobpolicy.storage.db import make_engine

        self.copy(key, build, url)
        engine = make_engine(url)
        yield engine
        engine.dispose()

    def reuse(self, key: Hashable) -> str | None:
        """A PostgreSQL schema already holding template ``key`` and free, or None."""
        free = self.free.get(key)
        return free.pop() if free else None

    def release(self, base: str, schema: str) -> bool:
        """The test of ``schema`` is over: reset it to its template and keep it for the next test. False when the
        schema holds no template, or its definition changed, or the reset failed: the caller drops it."""
        found = self.holding.pop(schema, None)
        if found is None:
            return False
        key, digest = found
        try:
            _reset(_in_schema(base, schema), schema, self.dumps[key], digest)
        except _Changed:
            return False
        self.holding[schema] = found
        self.free.setdefault(key, []).append(schema)
        if (base, schema) not in self.schemas:
            self.schemas.append((base, schema))  # dropped at the end of the session
        return True

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
        held = self.holding.get(schema)
        if held is not None and held[0] == key:
            return  # handed out by reuse(): already reset to this template
        if held is not None:  # reused for another template (the test changed where bundled policies come from)
            _recreate(base, schema)
            del self.holding[schema]
        if key not in self.dumps:
            self.dumps[key] = self._dumped(base, schema, url, build)
        dump = self.dumps[key]
        engine = make_engine(url)
        connection = engine.raw_connection()  # no parameters: the dump's rows may hold a literal %
        try:
            connection.cursor().execute(dump.whole.replace(dump.template, schema))
            connection.commit()
            self.holding[schema] = key, _digest(connection, schema)
        finally:
            connection.close()
        engine.dispose()

    def _dumped(self, base: str, schema: str, url: str, build: Callable) -> Dump:
        from jobpolicy.storage.db import make_engine

        template = f"tpl_{uuid.uuid4().hex[:12]}"
        admin = make_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{template}"'))
        admin.dispose()
        self.schemas.append((base, template))
        _built(url.replace(f"%3D{schema}", f"%3D{template}"), build)
        engine = make_engine(url.replace(f"%3D{schema}", f"%3D{template}"))
        with engine.connect() as connection:
            counts = _counts(connection.connection.dbapi_connection, template)
            order = _deletion_order(connection, template)
        engine.dispose()
        return Dump(template, _dump(base, template), _dump(base, template, "--data-only"), counts, order)

    def close(self) -> None:
        from jobpolicy.storage.db import make_engine

        for base, schema in self.schemas:
            admin = make_engine(base)
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


class _Changed(Exception):
    """The schema is no longer its template's copy."""


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


def _in_schema(base: str, schema: str):
    """A plain psycopg connection to ``schema`` as the tests' role, the tables' owner."""
    import psycopg

    plain = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(plain, options=f"-csearch_path={schema}")


def _recreate(base: str, schema: str) -> None:
    with _in_schema(base, schema) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')


def _dump(base: str, schema: str, *only: str) -> str:
    """The schema's tables, sequences, indexes, constraints and rows as SQL, without the CREATE SCHEMA."""
    parsed = make_url(base)
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    # --enable-row-security: the tables force row security even on their owner (access model, migration 0007);
    # pg_dump refuses such tables without it, and the owner's policies let it read every row.
    found = subprocess.run(["pg_dump", "--schema", schema, "--no-owner", "--no-privileges", "--inserts",
                            "--enable-row-security", *only, "--dbname", plain],
                           check=True, capture_output=True, text=True).stdout
    lines = [line for line in found.splitlines()
             if not line.startswith(("CREATE SCHEMA", "--", "\\")) and "set_config('search_path'" not in line]
    return "\n".join(lines)


# Everything about the schema's definition a test could change: if this digest differs, the schema is dropped.
DEFINITION = """
SELECT md5(string_agg(part, E'\\n' ORDER BY part)) FROM (
    SELECT concat_ws('|', 'schema', n.nspacl, n.nspowner) FROM pg_namespace n WHERE n.oid = %(s)s::regnamespace
    UNION ALL SELECT concat_ws('|', 'rel', c.relname, c.relkind, c.relacl, c.relowner, c.relrowsecurity,
                               c.relforcerowsecurity, c.reloptions, c.relpersistence, c.relnatts)
    FROM pg_class c WHERE c.relnamespace = %(s)s::regnamespace
    UNION ALL SELECT concat_ws('|', 'col', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull,
                               a.attisdropped, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = %(s)s::regnamespace AND a.attnum > 0
    UNION ALL SELECT concat_ws('|', 'index', pg_get_indexdef(i.indexrelid)) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = %(s)s::regnamespace
    UNION ALL SELECT concat_ws('|', 'constraint', conname, pg_get_constraintdef(oid)) FROM pg_constraint
    WHERE connamespace = %(s)s::regnamespace
    UNION ALL SELECT concat_ws('|', 'trigger', t.tgname, t.tgenabled, pg_get_triggerdef(t.oid)) FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = %(s)s::regnamespace
    UNION ALL SELECT concat_ws('|', 'policy', p.polname, p.polcmd, p.polroles, p.polpermissive,
                               pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = %(s)s::regnamespace
    UNION ALL SELECT concat_ws('|', 'function', proname, prosrc, proconfig, proacl, prosecdef) FROM pg_proc
    WHERE pronamespace = %(s)s::regnamespace
) found(part)
"""


def _digest(connection, schema: str) -> str:
    return connection.cursor().execute(DEFINITION, {"s": schema}).fetchone()[0]


def _counts(connection, schema: str) -> dict[str, int]:
    tables = [row[0] for row in connection.cursor().execute(
        "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind IN ('r', 'p')",
        (schema,)).fetchall()]
    if not tables:
        return {}
    counts = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM \"{schema}\".\"{table}\"" for table in tables)
    return dict(connection.cursor().execute(counts).fetchall())


def _deletion_order(connection, schema: str) -> list[str]:
    """The schema's tables, each after every table that refers to it (children first)."""
    tables = connection.execute(text(
        "SELECT relname FROM pg_class WHERE relnamespace = CAST(:s AS regnamespace) AND relkind IN ('r', 'p') "
        "ORDER BY relname"), {"s": schema}).scalars().all()
    parents = {table: set() for table in tables}
    for child, parent in connection.execute(text(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = CAST(:s AS regnamespace)"), {"s": schema}):
        child, parent = child.split(".")[-1].strip('"'), parent.split(".")[-1].strip('"')
        if child != parent:
            parents[child].add(parent)
    order: list[str] = []
    while len(order) < len(tables):  # children are those no remaining table names as its parent
        remaining = [t for t in tables if t not in order]
        named = set().union(*(parents[t] for t in remaining))
        order += [t for t in remaining if t not in named] or remaining
    return order


def _reset(connection, schema: str, dump: Dump, digest: str) -> None:
    """Delete every row of ``schema`` and insert its template's again, in one transaction; raise _Changed if its
    definition is not the one it was copied with, or the rows come out other than the template's."""
    with connection:
        try:
            cursor = connection.cursor()
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            if _digest(connection, schema) != digest:
                raise _Changed(schema)
            # The event and evidence tables refuse DELETE (append-only triggers): switched off inside the
            # transaction, and on again before it commits.
            cursor.execute("".join(f'ALTER TABLE "{t}" DISABLE TRIGGER USER; DELETE FROM "{t}"; '
                                   f'ALTER TABLE "{t}" ENABLE TRIGGER USER; ' for t in dump.order))
            cursor.execute(dump.rows.replace(dump.template, schema))
            if _counts(connection, schema) != dump.counts:
                raise _Changed(schema)
        except Exception as error:
            connection.rollback()
            raise _Changed(schema) from error
