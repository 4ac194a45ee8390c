"""Benchmark: ``deadlines`` over a national database (a line per school, and every obligation with --detail),
and ``checklist export`` of one province's schools, time and peak Python memory.

Not a unit test. Builds the same database as ``status_national.py`` (all 2,952 普通高校 of the bundled MOE list with
a plausible spread of records, events and evidence), then runs them. Peak memory is measured with tracemalloc in a
separate run, because tracing slows allocation down.

    .venv/bin/python benchmarks/deadlines_national.py                 # temporary SQLite file
    .venv/bin/python benchmarks/deadlines_national.py --db URL        # an empty database, e.g. a PostgreSQL schema
    .venv/bin/python benchmarks/deadlines_national.py --repeat 1

Measured figures are in the comment at the end of this file.
"""

from __future__ import annotations

import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from status_national import PAST, build_options, built, timed  # the national builder, next to this file

from jobpolicy.services.checklist_exchange import export_checklists
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.scope import resolve_scope


def main() -> None:
    args = build_options(__doc__.splitlines()[0]).parse_args()
    work = Path(tempfile.mkdtemp())
    engine = built(args, work)
    lines = timed("deadlines (a line per school)", args.repeat, lambda: list_deadlines(engine, detail=False))
    timed(f"deadlines --as-of {PAST}", args.repeat, lambda: list_deadlines(engine, as_of=PAST, detail=False))
    listed = timed("deadlines --detail", args.repeat, lambda: list_deadlines(engine, detail=True))
    total = lines.total
    print(f"    {len(lines.schools):,} schools: 累计逾期 {total.overdue_cumulative:,} (当期逾期 "
          f"{total.overdue_current:,}), due within 30 days {total.upcoming:,}; --detail holds "
          f"{len(listed.obligations):,} obligations")
    for province in ("山西", "河南"):
        scope = resolve_scope(province=province)
        result = timed(f"checklist export --province {province}", args.repeat,
                       lambda scope=scope: export_checklists(engine, scope, work / scope.file_stem))
        print(f"    {len(result.files)} workbooks in {result.folder}")
    print(f"max RSS       {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (whole process)")


if __name__ == "__main__":
    main()

# Measured on 2026-11-29 (2,952 institutions, 112,075 records, 273,878 events, 44,822 evidence; share 0.6, seed 2025):
#
#   back end                   run                                  best      worst     peak Python memory
#   SQLite file (WAL)          deadlines (a line per school)        1.56 s    1.96 s    17.9 MiB
#   SQLite file (WAL)          deadlines --as-of 2025-12-31         1.13 s    1.39 s    12.5 MiB
#   SQLite file (WAL)          deadlines --detail                   1.08 s    1.19 s    17.9 MiB (13,586 obligations)
#   SQLite file (WAL)          checklist export --province 山西     9.76 s    9.87 s    10.4 MiB (84 workbooks)
#   SQLite file (WAL)          checklist export --province 河南    17.60 s   19.76 s    11.2 MiB (182 workbooks)
#   PostgreSQL 15, localhost   deadlines (a line per school)        1.27 s              18.3 MiB
#   PostgreSQL 15, localhost   deadlines --as-of 2025-12-31         2.03 s              12.5 MiB
#   PostgreSQL 15, localhost   deadlines --detail                   1.27 s              18.2 MiB
#   PostgreSQL 15, localhost   checklist export --province 山西    10.17 s              10.6 MiB (84 workbooks)
#   PostgreSQL 15, localhost   checklist export --province 河南    18.62 s              11.9 MiB (182 workbooks)
#
# The lines per school take as long as --detail: both judge every obligation; the lines keep none of them. Memory is
# the record states read in one query. A checklist export's time is openpyxl building each workbook (about 0.1 s
# each, render/checklist_workbook.py); the records and evidence of all the schools are two queries, and memory stays
# flat because each workbook is written as its school's records stream in.
