"""Code that runs in child processes for the concurrency and crash tests (importable, so 'spawn' can find it).

Each function takes plain arguments (URLs, codes, multiprocessing primitives) because a spawned child shares
nothing with the test process but what is pickled to it.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

CRASH_SOURCE = "crash test"
CRASH_CHANGE_ID = "c0ffee" * 5  # 30 characters, fits event.change_id
LONG_NOTE = "这是一条很长的备注，" * 60  # makes one transaction span many pages, so SQLite must spill some to the WAL


def record_values(url: str, code: str, item_id: str, worker: int, count: int, per_round: int, barrier: Any,
                  results: Any) -> None:
    """Set ``count`` distinct values on one record, one transaction each, in rounds of ``per_round`` that all workers
    start together (a barrier before each): on a busy machine a worker that started alone could otherwise finish all
    its changes before the next one was scheduled, and the run would show no contention at all."""
    from jobpolicy.services.recording import RawChange, set_record
    from jobpolicy.storage.db import make_engine

    engine = make_engine(url)
    errors: list[str] = []
    try:
        set_record(engine, code, item_id, RawChange(owner=f"worker {worker}"), actor=f"w{worker}")  # warm up
        for n in range(count):
            if n % per_round == 0:
                barrier.wait()
            value = str(worker * 1000 + n)
            set_record(engine, code, item_id, RawChange(value=value), actor=f"w{worker}")
    except Exception:
        errors.append(traceback.format_exc())
        barrier.abort()  # release the others at once instead of after the barrier's timeout
    finally:
        results.put((worker, errors))
        engine.dispose()


def _provenance():
    from jobpolicy import clock
    from jobpolicy.services.recording import Provenance

    return Provenance(actor="crash", at=clock.now(), source=CRASH_SOURCE, change_id=CRASH_CHANGE_ID)


def hang_in_one_transaction(url: str, code: str, ready: Any) -> None:
    """Change every item of an institution in ONE transaction, flush it, signal, and hang until killed."""
    from jobpolicy import clock
    from jobpolicy.services._uow import writing
    from jobpolicy.services.recording import Change, apply_change, get_institution, resolve_period
    from jobpolicy.services.stored_catalogs import current_policy
    from jobpolicy.storage.db import make_engine

    engine = make_engine(url)
    how = _provenance()
    with writing(engine) as session:
        if engine.dialect.name == "sqlite":
            # A page cache this small cannot hold the transaction, so uncommitted pages reach the WAL file:
            # the kill then leaves a torn write on disk, which recovery must ignore.
            session.connection().exec_driver_sql("PRAGMA cache_size=2")
        institution = get_institution(session, code)
        policy = current_policy(session)
        for item in policy.institution_items(level=institution.level, province=institution.province):
            change = Change({"status": "in_progress", "progress": 50, "note": LONG_NOTE})
            apply_change(session, institution=institution, policy=policy, item=item,
                         period=resolve_period(item, None, clock.today()), change=change, how=how)
        session.flush()
        ready.set()
        time.sleep(600)


def hang_in_review_submit(url: str, code: str, ready: Any) -> None:
    """Run the real ``review submit`` but hang, killed, after it has flushed every change and before it commits."""
    from jobpolicy.services import review
    from jobpolicy.storage import repo
    from jobpolicy.storage.db import make_engine

    original = repo.add

    def add_then_hang(*, session, rows):
        original(session=session, rows=rows)
        ready.set()
        time.sleep(600)

    repo.add = add_then_hang
    review.submit(make_engine(url), code, actor="crash")


def set_until_killed(url: str, code: str, item_ids: list[str], log_path: str, start: int, ready: Any) -> None:
    """Set values in a loop of separate transactions, logging each value once its transaction has committed."""
    from jobpolicy.services.recording import RawChange, set_record
    from jobpolicy.storage.db import make_engine

    engine = make_engine(url)
    with open(log_path, "a", encoding="utf-8") as log:
        n = start
        while True:
            item_id = item_ids[n % len(item_ids)]
            set_record(engine, code, item_id, RawChange(value=str(n), note=f"第 {n} 次"), actor="crash")
            log.write(f"{n}\n")
            log.flush()
            ready.set()
            n += 1


def toggle_status(url: str, code: str, item_id: str, count: int, results: Any) -> None:
    """Mark one record done, then in progress, and so on, ``count`` changes, one transaction each."""
    from jobpolicy.services.recording import RawChange, set_record
    from jobpolicy.storage.db import make_engine

    engine = make_engine(url)
    errors: list[str] = []
    try:
        for n in range(count):
            set_record(engine, code, item_id, RawChange(status="done" if n % 2 == 0 else "in_progress"), actor="w")
    except Exception:
        errors.append(traceback.format_exc())
    finally:
        results.put((item_id, errors))
        engine.dispose()
