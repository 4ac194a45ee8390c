"""Schema migrations: an older database upgrades with nothing lost; a newer or empty one is refused, clearly.

The "previous migration" fixture is a database migrated to 0001 only and filled through that schema (tables
reflected from the database, not today's models), as jobpolicy 0001 would have left it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel
from typer.testing import CliRunner

from codes import CHANGZHI_VOCATIONAL, SHANXI
from jobpolicy.cli import app
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.errors import SchemaMismatch
from jobpolicy.reference import bundled_policy_dir
from jobpolicy.services.history import record_history
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.storage import migrate
from jobpolicy.storage.db import describe_location, make_engine

HEAD = migrate.head_revision()
OLD_TABLES = ("policy_version", "catalog_item", "institution", "record", "event")
NEWER = "9999"
AT = datetime(2025, 6, 30, 1, 30)  # naive UTC, as 0001 stored it


@pytest.fixture
def empty(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def fill_0001(engine) -> None:
    """Data as jobpolicy at schema 0001 wrote it: a policy, its items, two institutions, records and events."""
    path = bundled_policy_dir() / "gse-2025-2025.1.yaml"  # what a 0001-era database held
    policy, catalog = load_policy_file(path), path.read_text(encoding="utf-8")
    tables = MetaData()
    with engine.begin() as connection:
        tables.reflect(connection, only=OLD_TABLES)
        t = tables.tables
        connection.execute(t["policy_version"].insert(), [dict(
            id=1, policy_id=policy.id, version=policy.version, title=policy.title, is_current=True, loaded_at=AT,
            catalog_sha256=hashlib.sha256(catalog.encode()).hexdigest(), catalog_text=catalog)])
        connection.execute(t["catalog_item"].insert(), [dict(
            policy_version_id=1, item_id=item.id, section_id=item.id.split(".")[0],
            measure_id=item.id.rsplit(".", 1)[0],
            actor=item.actor.value, title=item.title, wording_hash=item.wording_hash, weight=item.weight,
            due=item.due, rrule=item.cadence.rrule if item.cadence else None, levels="", provinces="",
        ) for item in policy.items()])
        # A schema from 0004 on requires these columns; the values are what 0004's upgrade would have given.
        later = {"tracking_start": date(2025, 6, 30)} if "tracking_start" in t["institution"].c else {}
        status_at = {"status_at": AT} if "status_at" in t["record"].c else {}
        connection.execute(t["institution"].insert(), [
            dict(code=code, name=name, authority="山西省", province="山西省", city="", level=level, remark="",
                 listed=True, list_year=2026, created_at=AT, **later)
            for code, name, level in ((SHANXI, "山西大学", "本科"), (CHANGZHI_VOCATIONAL, "长治职业技术学院", "专科"))])
        connection.execute(t["record"].insert(), [{**row, **status_at} for row in [
            dict(id=1, institution_code=SHANXI, policy_id=policy.id, item_id="support.1.b", period="once",
                 status="done", progress=100, owner="张老师", department="就业指导中心", due=date(2025, 6, 30),
                 value=480.0, note="配比达标", na_reason=None, review="accepted", review_reason=None,
                 reassess=False, reassess_reason=None, revision=2, updated_at=AT, updated_by="张老师"),
            dict(id=2, institution_code=CHANGZHI_VOCATIONAL, policy_id=policy.id, item_id="evaluation.2.a",
                 period="2025", status="not_applicable", progress=None, owner=None, department=None, due=None,
                 value=None, note=None, na_reason="本年度无毕业生", review="returned", review_reason="理由不充分",
                 reassess=True, reassess_reason="措辞已修订", revision=1, updated_at=AT, updated_by="李老师"),
        ]])
        event = dict(policy_id=policy.id, at=AT, source="命令 record set")
        connection.execute(t["event"].insert(), [
            dict(event, record_id=1, institution_code=SHANXI, item_id="support.1.b", period="once", field="status",
                 old=None, new="in_progress", actor="张老师", change_id="a" * 32),
            dict(event, record_id=1, institution_code=SHANXI, item_id="support.1.b", period="once", field="status",
                 old="in_progress", new="done", actor="张老师", change_id="b" * 32),
            dict(event, record_id=1, institution_code=SHANXI, item_id="support.1.b", period="once", field="value",
                 old=None, new="480", actor="张老师", change_id="b" * 32),
            dict(event, record_id=2, institution_code=CHANGZHI_VOCATIONAL, item_id="evaluation.2.a", period="2025",
                 field="status", old=None, new="not_applicable", actor="李老师", change_id="c" * 32),
        ])


def rows(engine, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table: [tuple(r) for r in connection.execute(text(
                    f"SELECT {', '.join(cols)} FROM {table} ORDER BY {cols[0]}, {cols[1]}"))]
                for table, cols in columns.items()}


OLD_REVISIONS = sorted(migrate.known_revisions() - {HEAD})


@pytest.fixture(params=OLD_REVISIONS)
def at_0001(request, empty):
    """A database at an older migration (0001 and every later one), holding data 0001 wrote: filled at 0001, then
    upgraded (a later schema's NOT NULL columns, such as 0004's tracking start, 0001's rows cannot fill)."""
    migrate.upgrade(empty, "0001")
    fill_0001(empty)
    migrate.upgrade(empty, request.param)
    return empty


def test_database_of_the_previous_migration_upgrades_with_nothing_lost(at_0001):
    inspector = inspect(at_0001)
    columns = {table: [c["name"] for c in inspector.get_columns(table)] for table in OLD_TABLES}
    before = rows(at_0001, columns)
    assert [len(before[t]) for t in OLD_TABLES] == [1, 68, 2, 2, 4]

    migrate.upgrade(at_0001)

    assert migrate.current_revision(at_0001) == HEAD
    assert rows(at_0001, columns) == before
    after = inspect(at_0001)
    assert {"evidence", "import_batch"} <= set(after.get_table_names())
    assert "batch_id" in {c["name"] for c in after.get_columns("event")}
    assert {i["name"] for i in after.get_indexes("event")} >= {"ix_event_record_field", "ix_event_institution_at"}
    with at_0001.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM event WHERE batch_id IS NOT NULL")).scalar_one() == 0
        # 0006: nobody knows who connected for an older event; nobody has been granted access yet
        assert connection.execute(text("SELECT DISTINCT login FROM event")).all() == [("",)]
        assert connection.execute(text("SELECT count(*) FROM access_grant")).scalar_one() == 0


def test_upgrade_gives_each_institution_its_tracking_start_and_each_record_its_status_time(at_0001):
    if migrate.current_revision(at_0001) >= "0004":
        pytest.skip("0004 itself gives the tracking start and the status time; this database already has them")
    with at_0001.begin() as connection:  # added late in the evening in China: the next day there
        connection.execute(text("UPDATE institution SET created_at = :at WHERE code = :code"),
                           {"at": datetime(2025, 6, 30, 17, 0), "code": CHANGZHI_VOCATIONAL})

    migrate.upgrade(at_0001)

    with at_0001.connect() as connection:
        starts = dict(connection.execute(text("SELECT code, tracking_start FROM institution")).all())
        times = dict(connection.execute(text("SELECT id, status_at FROM record")).all())
        batches = connection.execute(text("SELECT count(*) FROM import_batch")).scalar_one()
    assert {code: str(day)[:10] for code, day in starts.items()} == {
        SHANXI: "2025-06-30", CHANGZHI_VOCATIONAL: "2025-07-01"}
    assert {i: str(at)[:19] for i, at in times.items()} == {1: "2025-06-30 01:30:00", 2: "2025-06-30 01:30:00"}
    assert batches == 0


def test_upgraded_data_is_usable(at_0001):
    migrate.upgrade(at_0001)

    result = set_record(at_0001, SHANXI, "support.1.b", RawChange(value="450"), actor="王老师")
    history = record_history(at_0001, SHANXI, "support.1.b")

    assert [(e.field, e.old, e.new) for e in result.events] == [
        ("value", "480", "450"), ("review", "accepted", "draft")]
    assert result.record.revision == 3
    assert [(e.field, e.new, e.at) for e in history.events[:3]] == [
        ("status", "in_progress", AT.replace(tzinfo=UTC)), ("status", "done", AT.replace(tzinfo=UTC)),
        ("value", "480", AT.replace(tzinfo=UTC))]


def test_evidence_described_before_the_store_upgrades_as_not_stored(empty):
    migrate.upgrade(empty, "0004")
    fill_0001(empty)
    with empty.begin() as connection:
        connection.execute(text("INSERT INTO evidence (record_id, kind, ref, name, size, sha256, added_at, added_by) "
                                "VALUES (1, 'file', 'D:\\材料\\名单.pdf', '名单.pdf', 12, :sha, :at, '张老师')"),
                           {"sha": "a" * 64, "at": AT})

    migrate.upgrade(empty)

    with empty.connect() as connection:
        assert connection.execute(text("SELECT name, sha256, stored, withdrawn_at FROM evidence")).all() == [
            ("名单.pdf", "a" * 64, False, None)]


@pytest.mark.parametrize("statement", ["UPDATE evidence_blob SET data = :forged", "DELETE FROM evidence_blob"])
def test_stored_files_in_the_database_cannot_be_changed_or_deleted(engine, statement):
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO evidence_blob (sha256, size, data, stored_at) VALUES (:s, 1, :d, :at)"),
                           {"s": "b" * 64, "d": b"x", "at": AT})

    with pytest.raises(DBAPIError, match="evidence store is append-only"), engine.begin() as connection:
        connection.execute(text(statement), {"forged": b"y"})

    with engine.connect() as connection:
        assert [bytes(d) for d in connection.execute(text("SELECT data FROM evidence_blob")).scalars()] == [b"x"]


def test_migrated_schema_matches_the_models(empty):
    migrate.upgrade(empty)
    with empty.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_schema_upgraded_from_0001_matches_the_models(at_0001):
    migrate.upgrade(at_0001)  # on SQLite this path rebuilds the event table (batch mode)
    with at_0001.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


@pytest.mark.parametrize("statement", ["UPDATE event SET new = 'forged'", "DELETE FROM event"])
def test_the_event_log_refuses_update_and_delete(engine, statement):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="done"), actor="张老师")

    with pytest.raises(DBAPIError, match="event log is append-only"), engine.begin() as connection:
        connection.execute(text(statement))

    with engine.connect() as connection:
        assert connection.execute(text("SELECT field, old, new FROM event")).all() == [("status", None, "done")]


def stamp(engine, revision: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def newer_lines(engine) -> list[str]:
    """A newer schema is refused naming the database, and saying nothing was changed."""
    return [f"错误: {describe_location(engine)} 的结构版本 {NEWER} 比本程序（{HEAD}）新，未做任何改动",
            "提示: 这个数据库由更新版本的 jobpolicy 创建；请升级 jobpolicy 后再使用"]


@pytest.mark.parametrize("command", [("db", "upgrade"), ("db", "init"), ("db", "info"), ("record", "show", SHANXI),
                                     ("record", "set", SHANXI, "support.16.a", "--status", "done")])
def test_a_database_newer_than_the_code_is_refused(engine, db_url, command):
    stamp(engine, NEWER)
    tables = set(inspect(engine).get_table_names())

    result = CliRunner().invoke(app, ["--db", db_url, *command])

    assert (result.exit_code, result.stderr.splitlines()) == (1, newer_lines(engine))
    assert migrate.current_revision(engine) == NEWER
    assert set(inspect(engine).get_table_names()) == tables
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM record")).scalar_one() == 0


def test_check_schema_says_what_to_do_with_a_newer_or_older_schema(engine):
    stamp(engine, NEWER)
    with pytest.raises(SchemaMismatch) as newer:
        migrate.check_schema(engine)
    stamp(engine, "0001")
    with pytest.raises(SchemaMismatch) as older:
        migrate.check_schema(engine)

    assert (newer.value.message, newer.value.hint) == (
        f"{describe_location(engine)} 的结构版本 {NEWER} 比本程序（{HEAD}）新，未做任何改动",
        "这个数据库由更新版本的 jobpolicy 创建；请升级 jobpolicy 后再使用")
    assert (older.value.message, older.value.hint) == (
        f"{describe_location(engine)} 的结构版本 0001 较旧，本程序需要 {HEAD}",
        f"先备份（{backup_hint(engine)}），再运行 jobpolicy db upgrade")


def backup_hint(engine) -> str:
    """How to back up before upgrading: SQLite's online backup, or pg_dump."""
    return "jobpolicy db backup 文件名" if engine.dialect.name == "sqlite" else "pg_dump"


def test_an_uninitialised_database_is_refused(empty):
    if empty.dialect.name == "sqlite":
        Path(empty.url.database).touch()  # the file exists but holds no schema

    with pytest.raises(SchemaMismatch) as blank:
        migrate.check_schema(empty)

    assert (blank.value.message, blank.value.hint) == (f"{describe_location(empty)} 尚未初始化", "运行 jobpolicy db init")
    assert inspect(empty).get_table_names() == []


def test_a_failed_upgrade_leaves_the_database_as_it_was(at_0001, monkeypatch):
    tables = sorted(inspect(at_0001).get_table_names())
    revision = migrate.current_revision(at_0001)
    from alembic import command

    real_upgrade = command.upgrade

    def upgrade_then_fail(config, target):
        real_upgrade(config, target)  # every pending migration ran...
        raise RuntimeError("disk full")  # ...and then something went wrong before the commit

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(RuntimeError):
        migrate.upgrade(at_0001)

    assert migrate.current_revision(at_0001) == revision
    assert sorted(inspect(at_0001).get_table_names()) == tables


def test_the_revision_list_matches_the_migration_scripts():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert tuple(reversed([rev.revision for rev in scripts.walk_revisions()])) == migrate.REVISIONS
    assert scripts.get_current_head() == migrate.head_revision()
