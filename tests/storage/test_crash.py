"""A process killed (SIGKILL) while writing: the database stays sound and holds all of a write or none of it.

The child processes run the real services (see workers.py); the parent waits until the child is inside
its transaction, kills it, and inspects the database the way the next command would find it.
"""

from __future__ import annotations

import random
import signal
import struct
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from codes import SHANXI
from jobpolicy.services.as_of import end_of_day, read_states
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.storage import repo
from jobpolicy.storage.db import sqlite_path
from jobpolicy.storage.models import Record
from killing import kill_a_moment_later, killed_when_done
from storage.workers import (
    CRASH_CHANGE_ID,
    CRASH_SOURCE,
    hang_in_one_transaction,
    hang_in_review_submit,
    set_until_killed,
)

pytestmark = pytest.mark.slow

LOOP_ITEMS = ["support.16.a", "support.15.c", "guidance.4.a", "supply.2.a", "support.15.a"]


def kill_when_ready(target, *args) -> None:
    """Start ``target(*args, ready)`` in a fresh process, wait until it is inside its transaction, SIGKILL it."""
    with killed_when_done(target, *args) as child:
        pass
    assert child.exitcode == -signal.SIGKILL


def snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            "record": [tuple(r) for r in connection.execute(text("SELECT * FROM record ORDER BY id"))],
            "event": [tuple(r) for r in connection.execute(text("SELECT * FROM event ORDER BY id"))],
            "evidence": [tuple(r) for r in connection.execute(text("SELECT * FROM evidence ORDER BY id"))],
        }


def integrity(engine) -> str:
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA integrity_check").scalar_one()


def wal_ends_uncommitted(wal: Path) -> bool:
    """Whether the WAL file's last valid frame belongs to a transaction that never committed.

    WAL format (sqlite.org/fileformat.html): a 32-byte header with the page size and two salts, then frames of
    a 24-byte header and one page; a frame's bytes 4-8 are non-zero only on a transaction's commit frame.
    """
    data = wal.read_bytes()
    if len(data) < 32:
        return False
    page_size, salts = struct.unpack(">I", data[8:12])[0], data[16:24]
    last_commit_field = None
    for offset in range(32, len(data) - 24 - page_size + 1, 24 + page_size):
        if data[offset + 8 : offset + 16] != salts:
            break  # a frame left over from before the WAL was last reset
        last_commit_field = struct.unpack(">I", data[offset + 4 : offset + 8])[0]
    return last_commit_field == 0


BOTH_BACKENDS = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
SUBMITTED_ITEMS = ["supply.2.a", "supply.2.b", "supply.2.c", "supply.3.b", "supply.3.c", "supply.3.d", "guidance.4.a",
                   "guidance.4.b", "guidance.4.c", "guidance.4.d", "guidance.4.e", "support.16.a", "support.15.c",
                   "support.15.a"]


def crash_events(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM event WHERE change_id = :c OR source = :s"),
                                  {"c": CRASH_CHANGE_ID, "s": CRASH_SOURCE}).scalar_one()


@BOTH_BACKENDS
def test_killed_inside_one_transaction_keeps_none_of_it(engine, db_url):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="done", value="480"), actor="张")
    before = snapshot(engine)
    engine.dispose()  # the next open must recover from the WAL, as the next command would

    kill_when_ready(hang_in_one_transaction, db_url, SHANXI)  # changes all 48 items, support.16.a included

    if engine.dialect.name == "sqlite":
        assert wal_ends_uncommitted(Path(f"{sqlite_path(engine)}-wal")), "the kill left no torn write to recover"
        assert integrity(engine) == "ok"
    assert snapshot(engine) == before
    assert crash_events(engine) == 0


@BOTH_BACKENDS
def test_killed_during_review_submit_keeps_none_of_it(engine, db_url):
    for item in SUBMITTED_ITEMS:
        set_record(engine, SHANXI, item, RawChange(status="in_progress", owner="张老师"), actor="张")
    before = snapshot(engine)
    assert len(before["record"]) == len(SUBMITTED_ITEMS)

    kill_when_ready(hang_in_review_submit, db_url, SHANXI)

    if engine.dialect.name == "sqlite":
        assert integrity(engine) == "ok"
    assert snapshot(engine) == before  # every record still a draft, no review event
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM event WHERE field = 'review'")).scalar_one() == 0


def assert_log_matches_records(engine) -> None:
    """Every record equals its state rebuilt from the event log, and its revision counts its changes."""
    with Session(engine) as session:
        records = list(session.exec(select(Record)))
        events = repo.events_of(session=session, record_ids=[r.id for r in records])
        stored = read_states(session, where=[], until=None)
        rebuilt = read_states(session, where=[], until=end_of_day(date(9998, 12, 31)))
    assert rebuilt == stored
    for record in records:
        assert record.revision == len({e.change_id for e in events if e.record_id == record.id}), record.item_id


KILLS = 3


@BOTH_BACKENDS
def test_killed_at_random_moments_keeps_every_committed_change_whole(engine, db_url, tmp_path):
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    log = tmp_path / "committed.txt"
    for round_ in range(KILLS):
        kill_a_moment_later(set_until_killed, (db_url, SHANXI, LOOP_ITEMS, str(log), round_ * 100_000),
                            chance.uniform(0.05, 0.6), seed=seed)

    if engine.dialect.name == "sqlite":
        assert integrity(engine) == "ok", f"seed {seed}"
    committed = {int(line) for line in log.read_text().split()}
    with engine.connect() as connection:
        stored = {int(float(v)) for v in connection.execute(
            text("SELECT new FROM event WHERE field = 'value' AND institution_code = :c"), {"c": SHANXI}).scalars()}
    assert committed <= stored, f"a committed change was lost (seed {seed})"
    assert len(stored - committed) <= KILLS, f"seed {seed}"  # committed, but killed before it could say so
    assert_log_matches_records(engine)
