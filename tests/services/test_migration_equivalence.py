"""A new version loaded over a varied database writes exactly what the record-by-record path wrote.

The migration was once written one ORM record at a time; it is now planned once per item and written as plain rows.
Each case fills three schools with records of a seeded mix (every old and new item, fitting and unfitting periods,
open re-assessment reasons, evidence kept and withdrawn, records of items in neither version), loads the new version,
and compares every record, every new event (in the order written), every evidence row and the load report with
tests/gold/migration/<case>.json, captured from the record-by-record path (rewrite with ``--update-gold``). Ids and
change ids differ from run to run, so records are named by school, item and period, and change ids are checked for
their shape: one per record, shared by that record's events.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func
from sqlmodel import Session, select

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.services.catalog import catalog_file
from jobpolicy.services.policies import load_policy_version
from jobpolicy.storage.models import Event, Evidence, Record

GOLD = Path(__file__).parents[1] / "gold" / "migration"
CATALOGS = Path(__file__).parents[1] / "data" / "catalogs"
RECORDED = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)
LOADED = datetime(2025, 9, 1, 2, 0, tzinfo=UTC)
SCHOOLS = (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL)
PERIODS = ("once", "2025", "2025-10", "2025-Q3")
CASES = {  # name: (old catalog, new catalog)
    "versions": (CATALOGS / "good_versions" / "demo-v1.yaml", CATALOGS / "good_versions" / "demo-v2.yaml"),
    "split": (CATALOGS / "good_split" / "demo-v1.yaml", CATALOGS / "good_split" / "demo-v2.yaml"),
    **{f"reuse{name}": (CATALOGS / "good_reuse" / "demo-v1.yaml", CATALOGS / "good_reuse" / f"demo-v2{name}.yaml")
       for name in ("", "-chain", "-cycles", "-kept", "-self", "-split")},
    "bundled": ("gse-2025@2025.1", "gse-2025@2025.2"),
}


def _fill(engine, old: str | Path, new: str | Path, seed: int) -> None:
    """Records for a seeded mix of (school, item, period) over both versions' items and one in neither (fewer of
    each for the bundled catalog's hundred items)."""
    chance = random.Random(seed)
    old_policy, new_policy = load_policy_file(catalog_file(old)), load_policy_file(catalog_file(new))
    items = sorted({i.id for i in old_policy.items()} | {i.id for i in new_policy.items()} | {"ghost.9.z"})
    share = 0.55 if len(items) < 50 else 0.15
    with Session(engine) as session, session.begin():
        for school in SCHOOLS:
            for item in items:
                for period in PERIODS:
                    if chance.random() < share:
                        session.add(_record(chance, old_policy.id, school, item, period))
        session.flush()
        for record in session.exec(select(Record).where(Record.policy_id == old_policy.id).order_by(Record.id)):
            for number in range(chance.choice((0, 0, 1, 2))):
                withdrawn = RECORDED + timedelta(hours=1) if chance.random() < 0.3 else None
                session.add(Evidence(record_id=record.id, kind="url", ref=f"https://e.example.cn/{record.id}/{number}",
                                     name=f"材料{number}", added_at=RECORDED, added_by="张老师", withdrawn_at=withdrawn,
                                     withdrawn_by="张老师" if withdrawn else None))


def _record(chance: random.Random, policy_id: str, school: str, item: str, period: str) -> Record:
    reassess = chance.random() < 0.2
    return Record(institution_code=school, policy_id=policy_id, item_id=item, period=period,
                  status=chance.choice(("not_started", "in_progress", "done", "na")),
                  progress=chance.choice((None, 0, 50)), owner=chance.choice((None, "王老师", "")),
                  department=chance.choice((None, "就业处")), due=chance.choice((None, RECORDED.date())),
                  value=chance.choice((None, 36.0, 0.5)), note=chance.choice((None, "备注")),
                  na_reason=None, review=chance.choice(("draft", "submitted")), reassess=reassess,
                  reassess_reason=chance.choice(("上次的理由", None)) if reassess else chance.choice((None, None, "旧理由")),
                  revision=chance.randint(0, 3), status_at=RECORDED, updated_at=RECORDED, updated_by="张老师")


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else str(value) if value is not None and not isinstance(
        value, bool | int | float | str) else value


def _state(engine, policy_id: str, first_new_event: int) -> dict:
    """Records, evidence and the events after ``first_new_event``, named without ids."""
    with Session(engine) as session:
        records = {r.id: r for r in session.exec(select(Record).where(Record.policy_id == policy_id))}
        key = {i: f"{r.institution_code} {r.item_id} {r.period}" for i, r in records.items()}
        events = list(session.exec(select(Event).where(Event.id > first_new_event).order_by(Event.id)))
        evidence = list(session.exec(select(Evidence).order_by(Evidence.id)))
    change_ids: dict[int, set[str]] = {}
    for event in events:
        change_ids.setdefault(event.record_id, set()).add(event.change_id)
    assert all(len(found) == 1 for found in change_ids.values()), "one change id for each record's events"
    assert len(set().union(*change_ids.values())) == len(change_ids), "a change id of its own for each record"
    return {
        "records": sorted([key[i], *(_text(getattr(r, c.name)) for c in Record.__table__.columns if c.name != "id")]
                          for i, r in records.items()),
        "events": [[key[e.record_id], e.item_id, e.field, e.old, e.new, e.actor, _text(e.at), e.source]
                   for e in events],
        "evidence": sorted([key[e.record_id], *(_text(getattr(e, c.name)) for c in Evidence.__table__.columns
                                                if c.name not in ("id", "record_id"))]
                           for e in evidence if e.record_id in key),
    }


def _report(report) -> dict:
    return {name: [json.loads(json.dumps(asdict(entry), ensure_ascii=False)) for entry in getattr(report, name)]
            for name in ("carried", "flagged", "moved", "left")}


@pytest.fixture
def case_engine(request, db_url, templates):
    """An empty database with the three schools and the case's old version loaded (the bundled case: 2025.1 only)."""
    from conftest import _database_of

    old = CASES[request.param][0]
    yield from _database_of(db_url, old, templates)


@pytest.mark.parametrize("case_engine", list(CASES), indirect=True)
def test_a_load_writes_what_the_record_by_record_path_wrote(case_engine, request):
    case = request.node.callspec.params["case_engine"]
    old, new = CASES[case]
    from jobpolicy.services.institutions import add_institution

    for school in SCHOOLS[1:]:
        add_institution(case_engine, school, start=RECORDED.date())
    _fill(case_engine, old, new, seed=sorted(CASES).index(case))
    with Session(case_engine) as session:
        first_new_event = session.exec(select(func.coalesce(func.max(Event.id), 0))).one()
    with time_machine.travel(LOADED, tick=False):
        report = load_policy_version(case_engine, new, actor="李老师")
    found = {"report": _report(report), **_state(case_engine, report.policy_key.split("@")[0], first_new_event)}
    gold = GOLD / f"{case}.json"
    if request.config.getoption("--update-gold"):
        gold.parent.mkdir(parents=True, exist_ok=True)
        gold.write_text(json.dumps(found, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    assert found == json.loads(gold.read_text(encoding="utf-8"))
