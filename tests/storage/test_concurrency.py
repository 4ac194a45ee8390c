"""Several offices writing one database at once: every change kept, none refused, the SQLite file intact.

Eight OS processes (eight connections on PostgreSQL) start together (a barrier before each of ten rounds) and change the same record, the
worst case for lost updates: every change must land, in a serial order the event log shows (each event's old value is the previous new one),
and the record's revision must count every change (spreadsheet import detects conflicts by revision).
"""

from __future__ import annotations

import multiprocessing
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from codes import SHANXI
from jobpolicy.services.reports import institution_report, summary_report
from storage.workers import record_values, toggle_status

pytestmark = pytest.mark.slow

WORKERS = 8
# Ten rounds of five changes a worker: the eight writers collide at the start of each round (a barrier), and a round's
# later changes take the same path again; ten rounds of ten (800 changes) proved nothing more at twice the cost.
ROUNDS, CHANGES = 10, 50
TOGGLES = 100  # each toggling writer's changes: enough for several reports to be written meanwhile
ITEM = "support.16.a"
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
# PostgreSQL runs write transactions at READ COMMITTED; writers take turns because they lock the institution row.
BOTH_BACKENDS = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


def value_events(engine, item_id: str) -> list[tuple[str | None, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT old, new, change_id FROM event WHERE institution_code = :code AND item_id = :item "
            "AND field = 'value' ORDER BY id"), {"code": SHANXI, "item": item_id})
        return [tuple(row) for row in rows]


def record_row(engine, item_id: str) -> tuple[int, float]:
    with engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT revision, value FROM record WHERE institution_code = :code AND item_id = :item"),
            {"code": SHANXI, "item": item_id}).one())


def integrity(engine) -> str:
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA integrity_check").scalar_one()


def assert_serial_history(events: list[tuple[str | None, str, str]], expected_values: set[str]) -> None:
    assert {new for _, new, _ in events} == expected_values
    assert len({change_id for _, _, change_id in events}) == len(events)
    for (_, previous_new, _), (old, _, _) in zip(events, events[1:], strict=False):
        assert old == previous_new  # no writer read a value another had already replaced


def switches(events: list[tuple[str | None, str, str]]) -> int:
    """How often the log passes from one worker's value (worker × 1000 + n) to another's; WORKERS - 1 if they ran in
    turn."""
    workers = [int(new) // 1000 for _, new, _ in events]
    return sum(a != b for a, b in zip(workers, workers[1:], strict=False))


@BOTH_BACKENDS
def test_eight_processes_record_400_changes_at_once(engine, db_url):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS, timeout=120), context.Queue()
    processes = [context.Process(target=record_values,
                                 args=(db_url, SHANXI, ITEM, w, CHANGES, CHANGES // ROUNDS, barrier, results))
                 for w in range(1, WORKERS + 1)]
    for process in processes:
        process.start()
    reports = dict(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join(timeout=30)

    assert reports == {w: [] for w in range(1, WORKERS + 1)}, "a worker saw an error"
    assert [p.exitcode for p in processes] == [0] * WORKERS
    events = value_events(engine, ITEM)
    assert len(events) == WORKERS * CHANGES
    assert switches(events) > WORKERS - 1, "the writers never overlapped, so this run proved nothing"
    assert_serial_history(events, {str(w * 1000 + n) for w in range(1, WORKERS + 1) for n in range(CHANGES)})
    revision, value = record_row(engine, ITEM)
    assert revision == WORKERS + WORKERS * CHANGES  # one per warm-up (owner) and one per value
    assert f"{value:g}" == events[-1][1]  # the final state is the last write
    if engine.dialect.name == "sqlite":
        assert integrity(engine) == "ok"


CLI_WORKERS = 4
CLI_CHANGES = 2  # each CLI start costs most of a second; the 400-change test above is the contention test


@SQLITE_ONLY
def test_four_cli_processes_record_into_one_file(engine, db_url):
    barrier = threading.Barrier(CLI_WORKERS)
    outcomes: dict[int, list[tuple[int, str]]] = {}

    def office(worker: int) -> None:
        barrier.wait()
        outcomes[worker] = []
        for n in range(CLI_CHANGES):
            command = [sys.executable, "-m", "jobpolicy", "--db", db_url, "record", "set", SHANXI, ITEM,
                       "--value", str(worker * 1000 + n), "--by", f"w{worker}"]
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
            outcomes[worker].append((done.returncode, done.stderr))

    threads = [threading.Thread(target=office, args=(w,)) for w in range(1, CLI_WORKERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert outcomes == {w: [(0, "")] * CLI_CHANGES for w in range(1, CLI_WORKERS + 1)}
    events = value_events(engine, ITEM)
    assert len(events) == CLI_WORKERS * CLI_CHANGES
    assert_serial_history(events, {str(w * 1000 + n) for w in range(1, CLI_WORKERS + 1) for n in range(CLI_CHANGES)})
    assert record_row(engine, ITEM)[0] == CLI_WORKERS * CLI_CHANGES
    assert integrity(engine) == "ok"


REPORTED_ITEMS = ["supply.2.a", "supply.2.b", "supply.2.c", "supply.3.b", "supply.3.c", "supply.3.d", "guidance.4.a",
                  "guidance.4.b"]
DONE_COUNT = re.compile(r"<p>适用 \d+ 项：已填报 (\d+) 项，已完成 (\d+) 项")


def page_counts(page: Path) -> tuple[int, int, int]:
    """What a school's page says: reported and done in its counts line, and the lines it shows as done."""
    html = page.read_text(encoding="utf-8")
    reported, done = DONE_COUNT.search(html).groups()
    return int(reported), int(done), html.count('class="badge st-done"')


@BOTH_BACKENDS
def test_a_report_written_while_eight_writers_write_is_consistent(engine, db_url, tmp_path):
    """Eight writers each toggle one item between done and in progress while the school's report and the summary
    report are written again and again: every school page's counts line says as many items done as its checklist
    shows done, as one snapshot."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=toggle_status, args=(db_url, SHANXI, item, TOGGLES, results))
                 for item in REPORTED_ITEMS]
    for process in processes:
        process.start()
    pages = []
    while any(process.is_alive() for process in processes):  # the school's report, then the summary, in turn
        out = tmp_path / f"report{len(pages)}"
        if len(pages) % 2 == 0:
            pages.append(institution_report(engine, SHANXI, out_dir=out).index)
        else:
            pages.append(summary_report(engine, out_dir=out).index.parent / "institutions" / f"{SHANXI}.html")
    reports = dict(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=30)

    assert reports == {item: [] for item in REPORTED_ITEMS}, "a writer saw an error"
    assert len(pages) >= 4, "the writers finished before a report was written, so this run proved nothing"
    counted = [page_counts(page) for page in pages]
    assert len({done for _, done, _ in counted}) > 1, "every report saw the same state, so this run proved nothing"
    assert [(done, shown) for _, done, shown in counted] == [(shown, shown) for _, _, shown in counted]
    final = institution_report(engine, SHANXI, out_dir=tmp_path / "final").index
    assert page_counts(final) == (len(REPORTED_ITEMS), 0, 0)  # each writer's last change: back in progress
