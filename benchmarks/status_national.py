"""Benchmark: ``overview_status`` over all 2,952 普通高校 of the bundled MOE list, with a plausible spread of records.

Not a unit test. Builds a database with bulk inserts (records, their events and evidence, as offices would have
written them over 2025–2026), then times the overview now and as of a past date (rebuilt from the event log).

    .venv/bin/python benchmarks/status_national.py                 # temporary SQLite file
    .venv/bin/python benchmarks/status_national.py --db URL        # an empty database, e.g. a PostgreSQL schema
    .venv/bin/python benchmarks/status_national.py --share 0.6 --seed 1 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from jobpolicy import clock
from jobpolicy.domain.catalog import Actor
from jobpolicy.domain.periods import ONCE, occurrences, period_label
from jobpolicy.services._uow import reading, writing
from jobpolicy.services.database import init_database
from jobpolicy.services.institutions import import_institutions
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.scope import resolve_scope
from jobpolicy.services.status import institution_status, overview_status
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import bulk
from jobpolicy.storage.db import make_engine, resolve_url
from jobpolicy.storage.models import Event, Evidence, Institution, Record

START = datetime(2025, 3, 1, tzinfo=UTC)
END = clock.now() - timedelta(days=60)  # every event lies in the past, so "as of today" equals "now"
PAST = date(2025, 12, 31)
TRACKED_FROM = date(2025, 1, 1)  # before the first record, so every occurrence since 2025 counts
STATUSES = ("not_started", "in_progress", "done", "done", "done", "not_applicable")


def build(engine, share: float, seed: int, *, version: str | None = None) -> dict[str, int]:
    """Import the institutions and write records, events and evidence for about ``share`` of each checklist.

    ``version`` (``gse-2025@2025.1``) builds under that bundled version instead of the newest.
    """
    prepare(engine, version=version)
    rows = generate(engine, share, seed)
    bulk_insert(engine, rows)
    return counted(rows)


def prepare(engine, *, version: str | None = None, codes: list[str] | None = None) -> None:
    """An initialised database with the bundled MOE list's 普通高校 (only ``codes`` when given), no records yet."""
    init_database(engine, load_bundled=version is None)
    if version is not None:
        load_policy_version(engine, version, actor="基准测试")
    import_institutions(engine, start=TRACKED_FROM)
    if codes is not None:
        with writing(engine) as session:
            session.execute(Institution.__table__.delete().where(Institution.code.not_in(codes)))


def generate(engine, share: float, seed: int) -> dict:
    """The rows (by table) of records, events and evidence for about ``share`` of each stored school's checklist."""
    rng = random.Random(seed)
    with reading(engine) as session:
        policy = current_policy(session)
        institutions = session.execute(
            Institution.__table__.select().with_only_columns(Institution.code, Institution.level)
            .order_by(Institution.code)).all()
    lines = _lines(policy)
    records, events, evidence = [], [], []
    for code, level in institutions:
        for item, period in lines:
            if rng.random() >= share or not item.applies_to.matches(level=level, province=""):
                continue
            record_id = len(records) + 1
            _record(rng, code, policy.id, item, period, record_id, records, events, evidence)
    return {Institution: len(institutions), Record: records, Event: events, Evidence: evidence}


def counted(rows: dict) -> dict[str, int]:
    """How many institutions, records, events and evidence rows ``generate`` made."""
    return {"institutions": rows[Institution], "records": len(rows[Record]), "events": len(rows[Event]),
            "evidence": len(rows[Evidence])}


def bulk_insert(engine, rows: dict) -> None:
    """Insert the rows of ``generate`` in one transaction through the tool's own writers of many rows
    (``storage.bulk``: a driver ``executemany`` on SQLite, a few thousand rows a statement on PostgreSQL), which
    complete and process them in place (a floor measured on them must come first)."""
    with writing(engine) as session:
        bulk.insert_records(session=session, rows=rows[Record])
        bulk.insert_events(session=session, rows=rows[Event])
        bulk.insert_evidence(session=session, rows=rows[Evidence])
        if engine.dialect.name == "postgresql":
            # Records were inserted with their ids, which PostgreSQL's sequence does not see: move it past them,
            # or the next record a command creates would collide with record 1.
            session.execute(text("SELECT setval(pg_get_serial_sequence('record', 'id'), max(id)) FROM record"))


def _lines(policy):
    lines = []
    for item in policy.items():
        if item.actor is not Actor.UNIVERSITY:
            continue
        if item.cadence is None:
            lines.append((item, ONCE))
            continue
        for due in occurrences(item.cadence, date(2025, 1, 1), END.date()):
            lines.append((item, period_label(item.cadence, due)))
    return lines


def _record(rng, code, policy_id, item, period, record_id, records, events, evidence) -> None:
    """One record with the events that made it: created, maybe a value, maybe evidence, then its final status."""
    at = START + timedelta(minutes=rng.randrange(int((END - START).total_seconds() // 60)))
    status = rng.choice(STATUSES)
    value = round(rng.uniform(0.5, 1.5) * item.indicator.target, 1) if item.indicator and status == "done" else None
    common = {"record_id": record_id, "institution_code": code, "policy_id": policy_id, "item_id": item.id,
              "period": period, "actor": "基准测试", "source": "benchmark", "change_id": uuid.uuid4().hex}
    events.append({**common, "field": "status", "old": None, "new": "in_progress", "at": at})
    later = at + timedelta(days=rng.randrange(1, 59))
    if value is not None:
        events.append({**common, "field": "value", "old": None, "new": f"{value:g}", "at": later})
    if status == "done" and rng.random() < 0.8:
        ref = f"https://{code}.example.edu.cn/{item.id}/{period}"
        evidence.append({"record_id": record_id, "kind": "url", "ref": ref, "name": ref, "added_at": later,
                         "added_by": "基准测试"})
        events.append({**common, "field": "evidence", "old": None, "new": ref, "at": later})
    if status == "not_applicable":
        events.append({**common, "field": "na_reason", "old": None, "new": "本校无此情况", "at": later})
    if status != "in_progress":
        events.append({**common, "field": "status", "old": "in_progress", "new": status, "at": later})
    records.append({"id": record_id, "institution_code": code, "policy_id": policy_id, "item_id": item.id,
                    "period": period, "status": status, "value": value,
                    "na_reason": "本校无此情况" if status == "not_applicable" else None, "revision": 1,
                    "status_at": later, "updated_at": later, "updated_by": "基准测试"})


def timed(label: str, repeat: int, call):
    """Run ``call`` ``repeat`` times for wall time, then once more under tracemalloc for peak Python memory."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - began)
    tracemalloc.start()  # it slows allocation down, so it is kept out of the timed runs
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<36} best {min(times):6.3f} s  worst {max(times):6.3f} s  "
          f"peak Python memory {peak / 2**20:5.1f} MiB")
    return result


def build_options(description: str) -> argparse.ArgumentParser:
    """The options of a benchmark over the national database this module builds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    parser.add_argument("--share", type=float, default=0.6, help="share of checklist lines recorded")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--version", help="build under this bundled policy version (default: the newest)")
    return parser


def built(args: argparse.Namespace, work: Path):
    """The national database of the options (``--db``, else an SQLite file in ``work``), built and described."""
    engine = make_engine(resolve_url(args.db or f"sqlite:///{work / 'national.db'}"))
    began = time.perf_counter()
    counts = build(engine, args.share, args.seed)
    print(f"database      {engine.url.render_as_string(hide_password=True)}")
    print("built         " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
          + f" in {time.perf_counter() - began:.1f} s")
    return engine


def main() -> None:
    args = build_options(__doc__.splitlines()[0]).parse_args()
    engine = built(args, Path(tempfile.mkdtemp()))
    overview = timed("overview_status (now)", args.repeat, lambda: overview_status(engine))
    timed(f"overview_status (as of {PAST})", args.repeat, lambda: overview_status(engine, as_of=PAST))
    shandong = resolve_scope(province="山东")
    timed("overview_status --province 山东", args.repeat, lambda: overview_status(engine, scope=shandong))
    first = overview.institutions[0].code
    timed(f"institution_status {first} (now)", args.repeat, lambda: institution_status(engine, first))
    timed(f"institution_status {first} (as of)", args.repeat,
          lambda: institution_status(engine, first, as_of=PAST))
    total = overview.total
    print(f"overall       填报率 {total.reported_pct_str}  落实率 {total.done_pct_str}  达标率 {total.met_pct_str}  "
          f"当期逾期 {total.overdue_current:,}  累计逾期 {total.overdue_cumulative:,}  逾期完成 {total.done_late:,}  "
          f"待更新 {total.stale:,}  ({len(overview.institutions):,} institutions)")
    print(f"max RSS       {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (whole process)")


if __name__ == "__main__":
    main()
