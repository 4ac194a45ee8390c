"""Several offices writing one database at once: every change kept, none refused, the SQLite file intact.

Eight OS processes (eight connections on PostgreSQL) start together (a barrier before each round of ten changes) and change the same record, the
worst case for lost updates: every change must land, in a serial order the event log shows (each event's old value is the previous new one),
and the record's revision must count every change (spreadsheet import detects conflicts by revision).
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading

import pytest
from sqlalchemy import text

from codes import SHANXI
from storage.workers import record_values

pytestmark = pytest.mark.slow

WORKERS = 8
CHANGES = 100
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
def test_eight_processes_record_800_changes_at_once(engine, db_url):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS, timeout=120), context.Queue()
    processes = [context.Process(target=record_values, args=(db_url, SHANXI, ITEM, w, CHANGES, barrier, results))
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
CLI_CHANGES = 2  # each CLI start costs most of a second; the 800-change test above is the contention test


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
