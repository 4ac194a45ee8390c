"""National benchmark: every operation of issue 14 timed beside the floor that SQLite (or PostgreSQL) and Python set.

Builds the database through the project's own paths (the bulk path of ``status_national``, then a new catalog
version loaded over it, then schools' workbooks exported, filled in and imported), times each operation as the
median of several runs (commands in a fresh process, as a user runs them), measures each floor in the same run,
and prints one table: operation, seconds, floor, ratio, target, peak memory.

    python -m benchmarks.national                                  # 2,952 普通高校, temporary SQLite file
    python -m benchmarks.national --institutions 300 --repeat 3
    python -m benchmarks.national --db postgresql://…/db --json national.json

Floors: plain DBAPI ``executemany`` of the same rows in one transaction (a fresh copy of the empty database on
SQLite; on PostgreSQL, and for the rows a command wrote, in a transaction rolled back); the same aggregations as
plain SQL (the statements the service runs, replayed through the DBAPI cursor); one plain-SQL pass reading every
row a report shows; rendering one school's page context with jinja; ``python -c "import typer"`` and
``python -c "import sqlmodel"``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.measure import Raw, captured, command, compile_like_installed, in_child, median_of, python_floor
from benchmarks.national_work import (
    bulk_load,
    fill_folder,
    import_files,
    load_version,
    openpyxl_read,
    sample_codes,
    summary_floor,
    summary_page_alone,
    template_floor,
    written_since,
)

from jobpolicy import clock
from jobpolicy.services.checklist_exchange import export_checklists
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.status import overview_status
from jobpolicy.storage.db import make_engine, resolve_url

OLD, NEW = "gse-2025@2025.1", "gse-2025@2025.2"
NATIONAL = 2952
EXPORTED = ("policy_version", "institution", "record", "evidence", "event", "import_batch")


@dataclass
class Row:
    """One line of the table."""

    operation: str
    seconds: float | None = None
    floor: float | None = None
    floor_of: str = ""  # what the floor is
    target: float | None = None  # the ratio the issue asks for, at most
    peak_mib: float | None = None
    runs: int = 0

    @property
    def ratio(self) -> float | None:
        return self.seconds / self.floor if self.seconds is not None and self.floor else None


class Bench:
    """The run: database, work folder, options, and the rows measured so far."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.work = Path(args.work or tempfile.mkdtemp(prefix="national-"))
        self.work.mkdir(parents=True, exist_ok=True)
        self.url = resolve_url(args.db or f"sqlite:///{self.work / 'national.db'}")
        self.engine = make_engine(self.url)
        self.rows: list[Row] = []
        self.counts: dict[str, int] = {}

    def cli(self, *args: str) -> tuple[float, int]:
        return command(["--db", self.url, *args])

    def add(self, operation: str, measured: tuple[float, int, int], *, floor: float | None = None,
            floor_of: str = "", target: float | None = None) -> Row:
        seconds, peak, runs = measured
        row = Row(operation, seconds, floor, floor_of, target, peak / 2**20 if peak else None, runs)
        self.rows.append(row)
        print(_line(row), flush=True)
        return row

    def times(self, call) -> tuple[float, int, int]:
        return median_of(self.args.repeat, call)

    def floor(self, measure) -> float:
        return statistics.median(measure() for _ in range(self.args.repeat))


def build(bench: Bench) -> None:
    """Bulk load (under the older catalog version), beside its executemany floor."""
    codes = sample_codes(bench.args.institutions)
    seconds, peak, (counts, floor) = in_child(bulk_load, bench.url, codes, OLD, bench.args.share, bench.args.seed,
                                             str(bench.work / "floor.db"))
    bench.counts = counts
    bench.add(f"bulk load ({counts['records']:,} records, {counts['events']:,} events)", (counts["insert"], peak, 1),
              floor=floor, floor_of="executemany of the same rows, one transaction", target=3)
    print(f"    built in {seconds:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items() if k != "insert"))


def policy_load(bench: Bench) -> None:
    """``policy load`` of the newer version over the whole database: once (a load cannot be repeated)."""
    mark = written_since(bench.engine)
    seconds, peak, _ = in_child(load_version, bench.url, NEW)
    floor = mark.floor(bench.engine)
    bench.add("policy load (new version over everything)", (seconds, peak, 1), floor=floor,
              floor_of=f"executemany of the {mark.written:,} rows it wrote", target=5)


def checklists(bench: Bench) -> None:
    """``checklist export`` (the command) and ``import`` (its service call) of one workbook and of a province's
    folder. Each import is shown three times: the whole import (reading the files included) and its write path
    (parsed rows to the database), each beside the issue's floor, the executemany of the rows it wrote; and the
    whole import again beside openpyxl's own read of the same files plus that executemany."""
    province, codes = _largest_province(bench)
    one = codes[0]
    bench.add("checklist export (one workbook)",
              bench.times(lambda: bench.cli("checklist", "export", one, "--out", str(bench.work / "one.xlsx"))))
    folder = bench.work / "province"
    bench.add(f"checklist export --province {province} ({len(codes)} workbooks)", bench.times(
        lambda: bench.cli("checklist", "export", "--province", province, "--out", str(folder))))
    for first, (label, schools) in enumerate((("one workbook", [one]), (f"{province}, {len(codes)} workbooks", codes))):
        runs, writes, floors, reads = [], [], [], []
        for run in range(first * bench.args.repeat, (first + 1) * bench.args.repeat):  # each run changes rows
            files = fill_folder(export_checklists(bench.engine, schools, bench.work / f"filled-{run}"), run)
            reads.append(openpyxl_read(files))
            mark = written_since(bench.engine)
            seconds, peak, write = in_child(import_files, bench.url, [str(f) for f in files])
            runs.append((seconds, peak))
            writes.append(write)
            floors.append(mark.floor(bench.engine))
        whole = (statistics.median(s for s, _ in runs), max(p for _, p in runs), len(runs))
        floor = statistics.median(floors)
        bench.add(f"checklist import ({label})", whole, floor=floor, floor_of="executemany of the rows it wrote",
                  target=10)
        bench.add(f"checklist import write path ({label})", (statistics.median(writes), *whole[1:]), floor=floor,
                  floor_of="executemany of the rows it wrote (parsed rows → database)", target=10)
        bench.add(f"checklist import beside openpyxl ({label})", whole, floor=statistics.median(reads) + floor,
                  floor_of="openpyxl's own read of the files + executemany of the rows written")


def _largest_province(bench: Bench) -> tuple[str, list[str]]:
    from sqlalchemy import func, select

    from jobpolicy.storage.models import Institution

    with bench.engine.connect() as connection:
        province = connection.execute(select(Institution.province).group_by(Institution.province)
                                      .order_by(func.count().desc(), Institution.province)).first()[0]
        codes = connection.execute(select(Institution.code).where(Institution.province == province)
                                   .order_by(Institution.code)).scalars().all()
    return province, list(codes)


def status_and_deadlines(bench: Bench, raw: Raw) -> None:
    """``status`` and ``deadlines`` for everyone, beside the same SQL replayed through the DBAPI."""
    status_sql = captured(bench.engine, lambda: overview_status(bench.engine))
    bench.add("status --json (all, fresh process)", bench.times(lambda: bench.cli("status", "--json")),
              floor=bench.floor(lambda: raw.replay(status_sql)), floor_of="its aggregation as plain SQL", target=3)
    deadline_sql = captured(bench.engine, lambda: list_deadlines(bench.engine, detail=False))
    deadline_floor = bench.floor(lambda: raw.replay(deadline_sql))
    bench.add("deadlines (all)", bench.times(lambda: bench.cli("deadlines")), floor=deadline_floor,
              floor_of="its queries as plain SQL")
    ics = str(bench.work / "deadlines.ics")
    bench.add("deadlines --ics", bench.times(lambda: bench.cli("deadlines", "--ics", ics)), floor=deadline_floor,
              floor_of="its queries as plain SQL")


def commands(bench: Bench, sqlmodel: float) -> None:
    """``--help``, an ordinary command, and one school's report, beside the cost of importing their libraries."""
    typer = bench.floor(lambda: python_floor("import typer")[0])
    bench.add("jobpolicy --help", bench.times(lambda: command(["--help"])), floor=typer,
              floor_of='python -c "import typer"', target=1.5)
    code = _largest_province(bench)[1][0]
    bench.add(f"status {code} (an ordinary command)", bench.times(lambda: bench.cli("status", code)),
              floor=sqlmodel, floor_of='python -c "import sqlmodel"', target=1.3)
    out = str(bench.work / "one-report")
    bench.add("report institution", bench.times(lambda: bench.cli("report", "institution", code, "--out", out)),
              floor=sqlmodel, floor_of='python -c "import sqlmodel"', target=2)


def reports(bench: Bench, raw: Raw) -> None:
    """The summary page alone, and the whole summary with every school's page, beside a plain-SQL pass over the
    rows they show (plus rendering one school's context with jinja, once per school page)."""
    rows_pass = bench.floor(lambda: summary_floor(raw))
    alone = [in_child(summary_page_alone, bench.url, str(bench.work / f"alone-{run}"))
             for run in range(bench.args.repeat)]
    bench.add("report summary (summary page alone)", (statistics.median(s for s, _, _ in alone),
                                                      max(p for _, p, _ in alone), len(alone)),
              floor=rows_pass, floor_of="one plain-SQL pass over the rows it shows", target=5)
    page = statistics.median(in_child(template_floor, bench.url)[2] for _ in range(bench.args.repeat))
    schools = bench.counts["institutions"]
    out = str(bench.work / "summary")
    row = bench.add(f"report summary (all {schools:,} school pages)", bench.times(
        lambda: bench.cli("report", "summary", "--out", out)), floor=rows_pass + page * schools,
        floor_of=f"plain-SQL pass + {schools:,} × one page rendered ({page * 1000:.1f} ms)", target=10)
    html = list(Path(out).rglob("*.html"))
    print(f"    {len(html):,} pages, {sum(p.stat().st_size for p in html) / 2**20:.0f} MiB, "
          f"{row.seconds / len(html) * 1000:.1f} ms a page")


def export(bench: Bench, raw: Raw) -> None:
    out = bench.work / "export.json"
    floor = bench.floor(lambda: raw.dump_json(EXPORTED, bench.work / "floor.json"))
    bench.add("export --format json", bench.times(
        lambda: bench.cli("export", "--format", "json", "--out", str(out))),
        floor=floor, floor_of="plain SQL + json.dump of the same tables", target=3)


def run(args: argparse.Namespace) -> Bench:
    """Build, measure every operation, and return the run with its rows."""
    bench = Bench(args)
    compile_like_installed()
    print(f"database      {bench.engine.url.render_as_string(hide_password=True)}  ({args.institutions} 普通高校, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)", flush=True)
    print(_header())
    build(bench)
    policy_load(bench)
    checklists(bench)
    raw = Raw(bench.engine)
    try:
        status_and_deadlines(bench, raw)
        sqlmodel = bench.floor(lambda: python_floor("import sqlmodel")[0])
        commands(bench, sqlmodel)
        reports(bench, raw)
        export(bench, raw)
    finally:
        raw.close()
    bench.add('python -c "import typer"', bench.times(lambda: python_floor("import typer")))
    bench.add('python -c "import sqlmodel"', (sqlmodel, python_floor("import sqlmodel")[1], args.repeat))
    bench.engine.dispose()
    return bench


def _header() -> str:
    return (f"{'operation':<52} {'seconds':>8} {'floor':>8} {'ratio':>7} {'target':>7} {'peak MiB':>9} {'runs':>4}"
            "  floor is")


def _line(row: Row) -> str:
    def number(value, spec):
        return format(value, spec) if value is not None else f"{'—':>{spec.split('.')[0]}}"

    ratio = f"{row.ratio:6.1f}×" if row.ratio is not None else f"{'—':>7}"
    target = f"≤{row.target:g}×" if row.target is not None else "—"
    return (f"{row.operation:<52} {number(row.seconds, '8.2f')} {number(row.floor, '8.2f')} {ratio} "
            f"{target:>7} {number(row.peak_mib, '9.0f')} {row.runs:>4}  {row.floor_of}")


def report_json(bench: Bench) -> dict:
    """The table and what it was measured on, as JSON."""
    return {"institutions": bench.args.institutions, "counts": bench.counts,
            "database": bench.engine.dialect.name, "date": clock.now().isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "python": platform.python_version(),
                        "platform": platform.platform()},
            "rows": [{**asdict(row), "ratio": row.ratio} for row in bench.rows]}


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=NATIONAL, help="how many 普通高校 (spread evenly)")
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    parser.add_argument("--json", type=Path, help="also write the table to this JSON file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each operation (the median is shown)")
    parser.add_argument("--share", type=float, default=0.6, help="share of checklist lines recorded")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--work", help="folder for the database and outputs (default: a temporary one, removed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> Bench:
    args = options(argv)
    bench = run(args)
    if args.json:
        args.json.write_text(json.dumps(report_json(bench), ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.work:
        shutil.rmtree(bench.work, ignore_errors=True)
    return bench


if __name__ == "__main__":
    main(sys.argv[1:])
