"""PostgreSQL plans on a fresh database: every statement of the national operations timed before and after ANALYZE.

Not a unit test. Builds the national database (``status_national``'s bulk path) in two empty schemas: in one the
tables never get statistics (autovacuum off for them, as on a database queried right after a bulk load, before
autovacuum's first ANALYZE); in the other they are analyzed after each bulk write. Then runs status, deadlines, the
summary report, one school's report, export, checklist export and ``policy load`` on both, timing each statement,
and prints the statements that are slower without statistics, with the plan PostgreSQL picked for them.

    python -m benchmarks.pg_plans --db 'postgresql://…/db' --institutions 300

``--db`` names the database; the two schemas (``plans_fresh``, ``plans_analyzed``) are created and dropped.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import psycopg
from benchmarks.national_work import sample_codes
from benchmarks.status_national import TRACKED_FROM, bulk_insert, generate
from sqlalchemy import event

from jobpolicy.services._uow import writing
from jobpolicy.services.checklist_exchange import export_checklists
from jobpolicy.services.database import init_database
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.export import export_all
from jobpolicy.services.institutions import import_institutions
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.reports import institution_report, summary_report
from jobpolicy.services.status import institution_status, overview_status
from jobpolicy.storage.db import make_engine, resolve_url
from jobpolicy.storage.models import Institution

OLD, NEW = "gse-2025@2025.1", "gse-2025@2025.2"
SCHEMAS = {"fresh": "plans_fresh", "analyzed": "plans_analyzed"}
TIMEOUT_MS = 300_000


def schema_url(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}%20-cstatement_timeout%3D{TIMEOUT_MS}"


class Timings:
    """Seconds per statement text (summed over its executions) while ``recording`` is set."""

    def __init__(self, engine):
        self.engine = engine
        self.label = None
        self.seconds: dict[tuple[str, str], float] = defaultdict(float)
        self.params: dict[tuple[str, str], object] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["began"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.label is not None:
            key = (self.label, statement)
            self.seconds[key] += time.perf_counter() - conn.info.pop("began")
            if not executemany:
                self.params.setdefault(key, parameters)


def analyze(engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def build(engine, codes: list[str], *, fresh: bool) -> None:
    """``status_national.prepare`` and its bulk load, with autovacuum turned off for every table before the first
    row when ``fresh`` (so the tables never get statistics), else ANALYZE after the load."""
    init_database(engine, load_bundled=False)
    if fresh:
        with engine.begin() as connection:
            tables = connection.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").scalars().all()
            for table in tables:
                connection.exec_driver_sql(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    load_policy_version(engine, OLD, actor="基准测试")
    import_institutions(engine, start=TRACKED_FROM)
    with writing(engine) as session:
        session.execute(Institution.__table__.delete().where(Institution.code.not_in(codes)))
    bulk_insert(engine, generate(engine, 0.6, 2025))
    if not fresh:
        analyze(engine)


def operations(engine, work: Path, code: str):
    return [
        ("status", lambda: overview_status(engine)),
        ("status as of", lambda: overview_status(engine, as_of=date(2025, 12, 31))),
        ("status one", lambda: institution_status(engine, code)),
        ("deadlines", lambda: list_deadlines(engine, detail=False)),
        ("report institution", lambda: institution_report(engine, code, out_dir=work / "one")),
        ("report summary", lambda: summary_report(engine, out_dir=work / "summary")),
        ("export", lambda: export_all(engine, work / "export.json", fmt="json")),
        ("checklist export", lambda: export_checklists(engine, [code], work / "checklist")),
    ]


def run(url: str, schema: str, codes: list[str], *, fresh: bool) -> Timings:
    with make_engine(resolve_url(url)).begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine = make_engine(resolve_url(schema_url(url, schema)))
    began = time.perf_counter()
    build(engine, codes, fresh=fresh)
    print(f"{schema}: built in {time.perf_counter() - began:.1f} s", flush=True)
    timings = Timings(engine)
    work = Path(tempfile.mkdtemp(prefix=f"{schema}-"))
    for phase in ("before load", "after load"):
        for label, call in operations(engine, work / phase.replace(" ", "-"), codes[0]):
            timings.label = f"{phase}: {label}"
            began = time.perf_counter()
            call()
            print(f"  {timings.label:<40} {time.perf_counter() - began:8.2f} s", flush=True)
        if phase == "before load":
            timings.label = "policy load"
            began = time.perf_counter()
            load_policy_version(engine, NEW, actor="基准测试")
            print(f"  {timings.label:<40} {time.perf_counter() - began:8.2f} s", flush=True)
            if not fresh:
                analyze(engine)
    timings.label = None
    return timings


def explain(engine, statement: str, parameters) -> str:
    """The plan of a captured statement; a statement EXPLAIN cannot take again as captured (an ``executemany``
    rewritten by psycopg into one VALUES list) says so rather than ending the listing."""
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        try:
            cursor.execute("EXPLAIN " + statement, parameters)
        except psycopg.Error as exc:
            connection.rollback()
            return f"(no plan: {str(exc).splitlines()[0]})"
        plan = "\n".join(row[0] for row in cursor.fetchall())
        connection.rollback()
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (two schemas are created in it)")
    parser.add_argument("--institutions", type=int, default=300)
    parser.add_argument("--slower", type=float, default=2.0, help="show statements this many times slower")
    parser.add_argument("--keep", action="store_true", help="keep the two schemas")
    args = parser.parse_args()
    codes = sample_codes(args.institutions)
    fresh = run(args.db, SCHEMAS["fresh"], codes, fresh=True)
    analyzed = run(args.db, SCHEMAS["analyzed"], codes, fresh=False)
    print("\nlabel | fresh s | analyzed s | statement")
    total = {"fresh": 0.0, "analyzed": 0.0}
    for key, seconds in sorted(fresh.seconds.items(), key=lambda kv: -kv[1]):
        other = analyzed.seconds.get(key, 0.0)
        total["fresh"] += seconds
        total["analyzed"] += other
        if seconds > 0.05 and seconds > args.slower * max(other, 0.001):
            label, statement = key
            print(f"\n{label} | {seconds:.2f} | {other:.2f} | {' '.join(statement.split())[:300]}")
            print(explain(fresh.engine, statement, fresh.params.get(key)))
    print(f"\nall statements: fresh {total['fresh']:.1f} s, analyzed {total['analyzed']:.1f} s")
    if not args.keep:
        for schema in SCHEMAS.values():
            with make_engine(resolve_url(args.db)).begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


if __name__ == "__main__":
    main()
