"""Benchmark: ``policy load gse-2025@2025.2`` over a national database filled under 2025.1; nothing may be lost.

Not a unit test. Builds the database of ``status_national.py`` (all 2,952 普通高校, a plausible spread of records,
events and evidence) under the bundled version 2025.1, then loads 2025.2 once (a load cannot be repeated on the same
database) and checks what the issue asks: every record still there and on a 2025.2 item, every earlier event still
there unchanged, and the moves, merges and flags the load report lists.

    .venv/bin/python benchmarks/policy_load_national.py                 # temporary SQLite file
    .venv/bin/python benchmarks/policy_load_national.py --db URL        # an empty database, e.g. a PostgreSQL schema
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))

from status_national import build, build_options  # the national builder, next to this file

from jobpolicy.services._uow import reading
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage.db import make_engine, resolve_url
from jobpolicy.storage.models import Event, Record

OLD, NEW = "gse-2025@2025.1", "gse-2025@2025.2"


def census(engine) -> dict:
    """Counts, the items records sit under, and a fingerprint of every event."""
    with reading(engine) as session:
        items = Counter(dict(session.execute(select(Record.item_id, func.count()).group_by(Record.item_id)).all()))
        events = session.execute(select(func.count(), func.max(Event.id))).one()
        fingerprint = session.execute(
            select(func.sum(func.length(Event.field) + func.coalesce(func.length(Event.new), 0) + Event.record_id))
        ).scalar_one()
        policy = current_policy(session)
    return {"records": sum(items.values()), "items": items, "events": events[0], "max_event": events[1],
            "fingerprint": fingerprint, "policy": policy}


def _build(url: str, share: float, seed: int) -> None:
    began = time.perf_counter()
    counts = build(make_engine(resolve_url(url)), share, seed, version=OLD)
    print("built         " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
          + f" under {OLD} in {time.perf_counter() - began:.1f} s", flush=True)


def main() -> None:
    args = build_options(__doc__.splitlines()[0]).parse_args()
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp()) / 'national.db'}"
    # Built in a child process, so that this process's peak memory is the load's own.
    child = multiprocessing.get_context("spawn").Process(target=_build, args=(url, args.share, args.seed))
    child.start()
    child.join()
    engine = make_engine(resolve_url(url))
    print(f"database      {engine.url.render_as_string(hide_password=True)}")
    before = census(engine)
    began = time.perf_counter()
    report = load_policy_version(engine, NEW, actor="基准测试")
    seconds = time.perf_counter() - began
    after = census(engine)
    print(f"policy load   {NEW} in {seconds:.1f} s")
    print(f"report        carried {len(report.carried):,}  flagged {len(report.flagged):,}  "
          f"moved {sum(not m.copied for m in report.moved):,}  copied {sum(m.copied for m in report.moved):,}  "
          f"left {len(report.left):,}")
    new_items = {i.id for i in after["policy"].items()}
    stray = {item: n for item, n in after["items"].items() if item not in new_items}
    with reading(engine) as session:
        earlier = session.execute(
            select(func.sum(func.length(Event.field) + func.coalesce(func.length(Event.new), 0) + Event.record_id))
            .where(Event.id <= before["max_event"])).scalar_one()
    checks = {
        "records before + copies == records after": before["records"] + sum(m.copied for m in report.moved)
        == after["records"],
        "every record on a 2025.2 item": not stray,
        "every earlier event unchanged": earlier == before["fingerprint"],
        "no record left behind": not report.left,
    }
    print(f"records       {before['records']:,} → {after['records']:,}")
    print(f"events        {before['events']:,} → {after['events']:,} "
          f"(+{after['events'] - before['events']:,}: moves, copies and flags)")
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'}          {name}")
    if stray:
        print(f"              records under items 2025.2 does not have: {stray}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS       {rss:.0f} MiB (this process: census and load)")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
