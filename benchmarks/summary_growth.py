"""Growth of ``report summary`` (the summary page alone) with the number of schools: N/4, N/2 and N institutions.

    python -m benchmarks.summary_growth --db /work/bench/n2952/national.db [--repeat 3] [--work DIR]

The database given is copied (never changed); the smaller ones are copies of it keeping every 4th and every 2nd
school (by code) with their records, evidence and events, so the three share one history and differ only in size.
Each size is timed as ``benchmarks.national`` times the summary page alone (a spawned child; the median of
``--repeat`` runs) beside its floor measured in the same moment (``national_work.summary_floor``). Linear growth
keeps the seconds per school level: the table prints each size's seconds per school against the largest's, and
each size's seconds against the straight line fitted through the three (a fixed start plus a cost per school); the
issue asks for every size within 25 % of linear.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import Raw, in_child
from benchmarks.national_work import summary_floor, summary_page_alone

from jobpolicy.storage.db import make_engine

TABLES = ("evidence", "event", "record", "access_grant", "import_batch", "institution")  # children first


def subset(source: Path, target: Path, every: int) -> int:
    """Copy ``source`` to ``target`` keeping every ``every``-th school (by code) and what is recorded for it."""
    shutil.copy(source, target)
    with sqlite3.connect(target) as connection:
        codes = [c for (c,) in connection.execute("SELECT code FROM institution ORDER BY code")]
        dropped = [(c,) for index, c in enumerate(codes) if index % every]
        triggers = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'"
                                      ).fetchall()
        # The event log is append-only; this scratch copy lifts that to shrink, and restores it.
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                          "AND tbl_name = 'event'").fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute("CREATE TEMP TABLE dropped (code TEXT PRIMARY KEY)")
        connection.executemany("INSERT INTO dropped VALUES (?)", dropped)
        connection.execute("DELETE FROM evidence WHERE record_id IN (SELECT id FROM record WHERE institution_code "
                           "IN (SELECT code FROM dropped))")
        for table in TABLES[1:]:
            column = "code" if table == "institution" else "institution_code"
            connection.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT code FROM dropped)")
        for (sql,) in triggers:
            connection.execute(sql)
    with sqlite3.connect(target) as connection:
        connection.execute("VACUUM")
    return len(codes) - len(dropped)


def measure(path: Path, work: Path, repeat: int) -> tuple[float, float, float]:
    """Seconds of the summary page alone (median), its floor (median, around the runs), peak MiB."""
    url = f"sqlite:///{path}"
    raw = Raw(make_engine(url))
    floors, runs = [summary_floor(raw)], []
    for run in range(repeat):
        runs.append(in_child(summary_page_alone, url, str(work / f"{path.stem}-{run}")))
        floors.append(summary_floor(raw))
    raw.close()
    return statistics.median(s for s, _, _ in runs), statistics.median(floors), max(p for _, p, _ in runs) / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a national SQLite database (copied, never changed)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for the copies (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="summary-growth-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = []
    for every in (4, 2, 1):
        path = work / f"every-{every}.db"
        schools = subset(args.db, path, every)
        seconds, floor, peak = measure(path, work, args.repeat)
        sizes.append((schools, seconds, floor, peak))
        path.unlink()
    largest = sizes[-1][1] / sizes[-1][0]
    fixed, each_more = straight_line([(n, s) for n, s, _, _ in sizes])
    print(f"{'schools':>8} {'seconds':>8} {'floor':>7} {'ratio':>6} {'ms/school':>9} {'vs N':>6} {'vs line':>7} "
          f"{'peak MiB':>8}")
    for schools, seconds, floor, peak in sizes:
        each = seconds / schools
        line = fixed + each_more * schools
        print(f"{schools:>8,} {seconds:>8.2f} {floor:>7.2f} {seconds / floor:>5.1f}× {each * 1000:>9.2f} "
              f"{each / largest:>5.2f}× {seconds / line:>6.2f}× {peak:>8.0f}")
    print(f"straight line: {fixed:.2f} s + {each_more * 1000:.2f} ms a school")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


def straight_line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """The least-squares line through (schools, seconds): seconds at no school (start-up, the fixed queries) and
    seconds per school. "vs line" is each size's time against it: growth is linear when every size is near 1."""
    mean_n = statistics.mean(n for n, _ in points)
    mean_s = statistics.mean(s for _, s in points)
    slope = (sum((n - mean_n) * (s - mean_s) for n, s in points)
             / sum((n - mean_n) ** 2 for n, _ in points))
    return mean_s - slope * mean_n, slope


if __name__ == "__main__":
    main(sys.argv[1:])
