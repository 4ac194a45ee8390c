"""What each check costs PostgreSQL in the national bulk load: the same rows written through ``storage.bulk`` in
one transaction, rolled back, once per variant, the variants interleaved round after round.

    python -m benchmarks.pg_write_costs --db 'postgresql://…/db?options=-csearch_path%3Dscratch' --institutions 1000

The schema must be empty (it is built at the current revision). Variants: the schema as migrated; the stamp
functions and event trigger as they were before 0010 (``search_path`` pinned, a nested time function, called for
every row); either stamp trigger or both disabled; the foreign keys dropped; both. Wall seconds, this process's CPU
seconds, and the CPU seconds of the server's process for the connection (read from /proc: the server must run on
this machine), which the machine's load moves far less.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.national_work import sample_codes
from benchmarks.status_national import generate, prepare
from sqlalchemy import text
from sqlmodel import Session

from jobpolicy.storage import bulk
from jobpolicy.storage.db import make_engine
from jobpolicy.storage.migrate import MIGRATIONS
from jobpolicy.storage.models import Event, Evidence, Record

EVENT_STAMP = "ALTER TABLE event DISABLE TRIGGER event_stamp"
RECORD_STAMP = "ALTER TABLE record DISABLE TRIGGER record_stamp"
KEYS = """DO $$DECLARE c record; BEGIN
    FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
             WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
    LOOP EXECUTE 'ALTER TABLE ' || c.t || ' DROP CONSTRAINT ' || quote_ident(c.conname); END LOOP; END$$"""


def _migration(name: str):
    path = next((MIGRATIONS / "versions").glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pinned_functions(schema: str) -> list[str]:
    """The stamp functions and the event trigger as 0007 and 0008 left them (the state before 0010)."""
    m7, m8 = _migration("0007"), _migration("0008")
    made = [*m7._functions(schema), *m7._triggers(schema), *m8._functions(schema)]
    trigger = next(statement for statement in made if statement.startswith("CREATE TRIGGER event_stamp"))
    return [*(statement for statement in made if statement.startswith("CREATE OR REPLACE FUNCTION")),
            "DROP TRIGGER event_stamp ON event", trigger]  # called for every row, as before 0010


def _server_cpu(pid: int) -> float:
    """CPU seconds of the server process behind a connection (same machine): /proc's utime + stime."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _write(engine, rows: dict, setup: list[str]) -> tuple[float, float, float]:
    with engine.connect() as connection, Session(bind=connection) as session:
        transaction = connection.begin()
        backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        for statement in setup:
            connection.exec_driver_sql(statement)
        wall, cpu, client = time.perf_counter(), _server_cpu(backend), time.process_time()
        for model, write in ((Record, bulk.insert_records), (Event, bulk.insert_events),
                             (Evidence, bulk.insert_evidence)):
            write(session=session, rows=[dict(row) for row in rows[model]])
        connection.execute(text("SELECT 1"))  # everything sent and done
        found = time.perf_counter() - wall, _server_cpu(backend) - cpu, time.process_time() - client
        transaction.rollback()
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an empty PostgreSQL schema's URL")
    parser.add_argument("--institutions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    engine = make_engine(args.db)
    prepare(engine, version="gse-2025@2025.1", codes=sample_codes(args.institutions))
    rows = generate(engine, 0.6, 2025)
    with engine.connect() as connection:
        schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    variants = {"as migrated": [], "pinned (before 0010)": pinned_functions(schema), "no event stamp": [EVENT_STAMP],
                "no record stamp": [RECORD_STAMP], "no stamp triggers": [EVENT_STAMP, RECORD_STAMP],
                "no foreign keys": [KEYS], "neither": [EVENT_STAMP, RECORD_STAMP, KEYS]}
    print(f"{len(rows[Record]):,} records, {len(rows[Event]):,} events, {len(rows[Evidence]):,} evidence", flush=True)
    found: dict[str, list[tuple[float, float, float]]] = {name: [] for name in variants}
    for round_ in range(args.rounds):
        for name, setup in variants.items():
            found[name].append(_write(engine, rows, setup))
            wall, server, client = found[name][-1]
            print(f"round {round_ + 1}  {name:22} wall {wall:6.2f} s  server CPU {server:5.2f} s  "
                  f"client CPU {client:5.2f} s", flush=True)
    for name, runs in found.items():
        print(f"{name:22} median wall {statistics.median(w for w, _, _ in runs):6.2f} s, server CPU "
              f"{statistics.median(c for _, c, _ in runs):6.2f} s  (CPU {', '.join(f'{c:.2f}' for _, c, _ in runs)}), "
              f"client CPU {statistics.median(c for _, _, c in runs):5.2f} s")
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
