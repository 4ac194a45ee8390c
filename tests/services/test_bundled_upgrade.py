"""From the bundled 2025.1 to 2025.2: a database filled under 2025.1 loses nothing, and db init never switches silently."""

from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import Session, select

from codes import CHANGZHI_VOCATIONAL, SHANXI
from jobpolicy.domain.catalog import Actor
from jobpolicy.services.catalog import get_policy
from jobpolicy.services.database import init_database
from jobpolicy.services.history import record_history
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.record_migration import Moved
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.storage.db import make_engine
from jobpolicy.storage.models import Event, PolicyVersion, Record

OLD, NEW = "gse-2025@2025.1", "gse-2025@2025.2"
FILLED = datetime(2025, 11, 3, 2, tzinfo=UTC)
LOADED = datetime(2025, 11, 20, 2, tzinfo=UTC)


def current(engine) -> list[str]:
    with Session(engine) as session:
        return [f"{v.policy_id}@{v.version}" for v in session.exec(select(PolicyVersion).where(PolicyVersion.is_current))]


def records(engine) -> dict[int, tuple]:
    with Session(engine) as session:
        return {r.id: (r.institution_code, r.item_id, r.period, r.status, r.value)
                for r in session.exec(select(Record))}


def events(engine) -> dict[int, tuple]:
    with Session(engine) as session:
        return {e.id: (e.record_id, e.field, e.old, e.new, e.actor, e.at) for e in session.exec(select(Event))}


@pytest.fixture
def filled(db_url, templates):
    """A database on 2025.1 in which two schools recorded every item of their checklists, some periods twice: a
    copy of the one filled once a session (tests/templates.py), each test's own, as every test here loads 2025.2."""
    yield from templates.engine("filled under gse-2025@2025.1", fill, db_url)


def fill(engine) -> None:
    with time_machine.travel(FILLED, tick=False):
        init_database(engine, load_bundled=False)
        load_policy_version(engine, OLD, actor="管理员")
        for code in (SHANXI, CHANGZHI_VOCATIONAL):
            add_institution(engine, code)
        old = get_policy(OLD)
        for code, level in ((SHANXI, "本科"), (CHANGZHI_VOCATIONAL, "专科")):
            for item in old.institution_items(level=level, province="山西省"):
                value = str(item.indicator.target) if item.indicator else None
                set_record(engine, code, item.id, RawChange(status="推进中", value=value, owner="王老师",
                                                            evidence=(f"https://jy.example.edu.cn/{item.id}",)),
                           actor="张老师")
        for period in ("2025-07", "2025-08"):  # the monthly follow-up 2025.2 no longer asks of universities
            set_record(engine, SHANXI, "assistance.2.b", RawChange(status="已完成", value="96"), actor="张老师",
                       period=period)


def load_new(engine):
    with time_machine.travel(LOADED, tick=False):
        return load_policy_version(engine, NEW, actor="管理员")


def test_every_record_lands_on_a_2025_2_item_with_every_earlier_event(filled):
    before_records, before_events = records(filled), events(filled)

    report = load_new(filled)

    after_records, after_events = records(filled), events(filled)
    copies = [m for m in report.moved if m.copied]
    assert len(after_records) == len(before_records) + len(copies)
    assert set(before_records) <= set(after_records)  # every record keeps its id
    new_items = {i.id for i in get_policy(NEW).items()}
    assert {item for _, item, *_ in after_records.values()} <= new_items
    assert {k: after_events[k] for k in before_events} == before_events  # no event rewritten or lost
    assert report.left == []
    assert current(filled) == [NEW]


def test_the_load_report_lists_moves_merges_splits_and_reuse(filled):
    report = load_new(filled)

    moved = {(m.old_item, m.new_item) for m in report.moved if m.institution == SHANXI and not m.copied}
    # guidance.4.a was 实习见习管理办法 and moves to （六）; its id now names the compulsory course of （四）
    assert {("guidance.4.a", "guidance.6.a"), ("guidance.1.a", "guidance.4.a"),
            ("organisation.1.a", "support.20.a"), ("recruitment.4.b", "support.19.b")} <= moved
    assert Moved(SHANXI, "support.2.a", "support.16.d", "once", copied=True) in report.moved  # split
    merged = [f for f in report.flagged if f.record.institution == SHANXI and f.record.item == "assistance.11.d"]
    # the schools were added on 3 November, so their monthly record defaults to November's, the first month owed
    assert sorted(f.record.period for f in merged) == ["2025-07", "2025-08", "2025-11", "once"]
    assert all("assistance.2.a、assistance.2.b 合并为 assistance.11.d" in f.reason for f in merged)
    # a monthly period does not fit the one-off item it was merged into: flagged, never dropped
    assert any("期次“2025-07”不符合新版本的周期" in f.reason for f in merged)


def test_a_moved_record_shows_its_whole_history_under_its_new_item(filled):
    load_new(filled)

    history = record_history(filled, SHANXI, "guidance.6.a")
    assert [(e.item_id, e.field, e.actor) for e in history.events][:4] == [
        ("guidance.4.a", "status", "张老师"), ("guidance.4.a", "owner", "张老师"),
        ("guidance.4.a", "evidence", "张老师"), ("guidance.6.a", "item_id", "管理员")]
    reused = record_history(filled, SHANXI, "guidance.4.a")
    assert {e.item_id for e in reused.events} >= {"guidance.1.a", "guidance.4.a"}
    assert all(e.new != "https://jy.example.edu.cn/guidance.4.a" for e in reused.events)


def test_university_records_stay_on_the_universitys_checklist(filled):
    load_new(filled)

    policy = get_policy(NEW)
    with Session(filled) as session:
        items = {r.item_id for r in session.exec(select(Record))}
    assert all(policy.item(i).actor is Actor.UNIVERSITY for i in items)


def test_db_init_on_a_new_database_uses_the_newest_bundled_version(db_url):
    engine = make_engine(db_url)
    report = init_database(engine)
    assert (report.loaded, report.already, report.newer) == ([NEW], [], [])
    assert current(engine) == [NEW]
    engine.dispose()


def test_db_init_never_moves_records_to_a_newer_version_by_itself(filled):
    before = records(filled)

    report = init_database(filled)

    assert (report.loaded, report.already, report.newer) == ([], [], [(OLD, NEW)])
    assert current(filled) == [OLD] and records(filled) == before
    load_new(filled)
    assert init_database(filled).already == [NEW]
