"""Benchmark: ``summary_report`` for all 84 山西 普通高校 with a year of demo-style records (target: under 2 s).

Not a unit test. Imports the 山西 普通高校 of the bundled MOE list, writes the demo's plausible year of records for
every one of them (through ``apply_change``, so records, events and evidence look as real edits would), then writes
the summary report and every institution page several times, each into a fresh folder.

    .venv/bin/python benchmarks/summary_shanxi.py                  # temporary SQLite file
    .venv/bin/python benchmarks/summary_shanxi.py --db URL         # an empty database, e.g. a PostgreSQL schema
    .venv/bin/python benchmarks/summary_shanxi.py --repeat 7 --profile 25

On PostgreSQL the build ends with ANALYZE, as autovacuum would do soon after such an import; ``--no-analyze``
measures a freshly written database instead (planner statistics missing or out of date).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from jobpolicy import clock
from jobpolicy.services._uow import reading
from jobpolicy.services.database import init_database
from jobpolicy.services.demo import _populate, history_start
from jobpolicy.services.institutions import import_institutions
from jobpolicy.services.reports import summary_report
from jobpolicy.services.scope import resolve_scope
from jobpolicy.storage.db import make_engine, resolve_url
from jobpolicy.storage.models import Event, Evidence, Record

PROVINCE = "山西"
TARGET_SECONDS = 2.0


def build(engine, today: date) -> list[str]:
    """Import every 山西 普通高校 and write a year of records for each; return their codes."""
    init_database(engine)
    codes = sorted(import_institutions(engine, province=PROVINCE, start=history_start(today)).added)
    _populate(engine, codes, today)
    return codes


def counts(engine) -> str:
    with reading(engine) as session:
        found = {name: session.execute(select(func.count()).select_from(model)).scalar_one()
                 for name, model in (("records", Record), ("events", Event), ("evidence", Evidence))}
    return ", ".join(f"{value:,} {name}" for name, value in found.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the demo's today and the as-of date")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-analyze", action="store_true", help="on PostgreSQL, skip ANALYZE after the build")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile one more run and print its N most expensive functions (cumulative)")
    args = parser.parse_args()
    today = args.today or clock.today()
    work = Path(tempfile.mkdtemp(prefix="summary-shanxi-"))
    engine = make_engine(resolve_url(args.db or f"sqlite:///{work / 'shanxi.db'}"))
    began = time.perf_counter()
    codes = build(engine, today)
    if engine.dialect.name == "postgresql" and not args.no_analyze:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE institution, policy_version, catalog_item, record, event, evidence"))
    print(f"database      {engine.url.render_as_string(hide_password=True)}")
    analyzed = " (then ANALYZE)" if engine.dialect.name == "postgresql" and not args.no_analyze else ""
    print(f"built         {len(codes)} institutions, {counts(engine)} in {time.perf_counter() - began:.1f} s{analyzed}")

    times, cpu, pages = [], [], 0
    for run in range(args.repeat):
        out = work / f"report-{run}"
        began, began_cpu = time.perf_counter(), time.process_time()
        result = summary_report(engine, out_dir=out, scope=resolve_scope(province=PROVINCE), as_of=today)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)  # this process only: steadier than wall time on a busy machine
        pages = result.pages
    size = sum(path.stat().st_size for path in (work / "report-0").rglob("*") if path.is_file())
    median = statistics.median(times)
    print(f"summary_report as of {today}: {pages} pages, {size / 2**20:.1f} MiB, {len(times)} runs")
    print(f"  wall  min {min(times):.3f} s  median {median:.3f} s  max {max(times):.3f} s  "
          f"(target < {TARGET_SECONDS:g} s: {'met' if median < TARGET_SECONDS else 'NOT met'} by the median)")
    print(f"  cpu   min {min(cpu):.3f} s  median {statistics.median(cpu):.3f} s  max {max(cpu):.3f} s")
    print(f"report        {work / 'report-0' / 'index.html'}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        summary_report(engine, out_dir=work / "report-profiled", scope=resolve_scope(province=PROVINCE), as_of=today)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    engine.dispose()


if __name__ == "__main__":
    main()
