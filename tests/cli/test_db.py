"""``jobpolicy db …`` on both back ends, the --db / JOBPOLICY_DB choice, and bad input that must change nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from codes import SHANXI
from jobpolicy.services._uow import writing
from jobpolicy.services.database import init_database
from jobpolicy.services.institutions import add_institution
from jobpolicy.storage import migrate
from jobpolicy.storage.db import describe_location, make_engine

HEAD = migrate.head_revision()
POLICY = "gse-2025@2025.2"
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
POSTGRES_ONLY = pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)],
                                        indirect=True)


def shown(db_url: str) -> str:
    """The database as scripts see it (``db info --json``): the URL without its password."""
    return make_url(db_url).render_as_string(hide_password=True)


def place(db_url: str) -> str:
    """The database as people see it: the SQLite file's path, or the PostgreSQL server and database."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return f"数据库文件: {url.database}"
    return f"数据库: PostgreSQL {url.host}:{url.port} 上的 {url.database}（用户 {url.username}）"


def count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# --- db init ---------------------------------------------------------------------------------------------------


def test_db_init_creates_the_schema_and_loads_the_bundled_policy(run, db_url):
    result = run("--db", db_url, "db", "init")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"数据库已就绪（结构版本 {HEAD}），{place(db_url)}", f"已加载政策: {POLICY}"]
    where = result.stdout.splitlines()[0]
    assert "://" not in where and "@" not in where  # no URL, so no password, reaches the screen


def test_db_init_again_changes_nothing_recorded(run, db_url):
    run("--db", db_url, "db", "init")
    run("--db", db_url, "institution", "add", SHANXI)
    run("--db", db_url, "record", "set", SHANXI, "support.16.a", "--status", "done", "--value", "480")

    result = run("--db", db_url, "db", "init")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"数据库已就绪（结构版本 {HEAD}），{place(db_url)}", f"政策已存在: {POLICY}"]
    engine = make_engine(db_url)
    assert [count(engine, t) for t in ("policy_version", "institution", "record", "event")] == [1, 1, 1, 2]
    engine.dispose()


def test_db_init_says_a_newer_bundled_version_exists_and_policy_load_by_name_moves_the_records(run, db_url):
    engine = make_engine(db_url)
    init_database(engine, load_bundled=False)
    engine.dispose()
    run("--db", db_url, "policy", "load", "gse-2025@2025.1")
    run("--db", db_url, "institution", "add", SHANXI)
    run("--db", db_url, "record", "set", SHANXI, "support.1.b", "--status", "done", "--value", "480")

    init = run("--db", db_url, "db", "init")
    load = run("--db", db_url, "policy", "load", "gse-2025@2025.2", "--by", "省厅管理员")

    assert init.stdout.splitlines()[1:] == [
        "政策有新版本: gse-2025@2025.2（数据库正在使用 gse-2025@2025.1，未自动切换）；"
        "运行 jobpolicy policy load gse-2025@2025.2 迁移记录"]
    assert (load.exit_code, load.stderr) == (0, "")
    lines = load.stdout.splitlines()
    assert lines[0] == "已加载 gse-2025@2025.2（上一版本 gse-2025@2025.1）"
    assert "  support.1.b → support.16.a（1 条）" in lines
    assert run("--db", db_url, "db", "init").stdout.splitlines()[1:] == [f"政策已存在: {POLICY}"]


# --- db info ---------------------------------------------------------------------------------------------------


def test_db_info(run_db, db_url, engine):
    run_db("record", "set", SHANXI, "support.16.a", "--status", "done", "--value", "480")

    result = run_db("db", "info")

    backend = engine.dialect.name
    backup = ("jobpolicy db backup 文件名（在线备份，不影响他人使用）" if backend == "sqlite"
              else "请用 pg_dump 备份，例如 pg_dump -Fc -f jobpolicy.dump 数据库名")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        place(db_url),
        f"结构版本: {HEAD}（本程序: {HEAD}）",
        f"政策: {POLICY}",
        "全库开始跟踪日期: 未设置（各校自添加之日起）",
        "政策版本 1  学校 3  记录 1  变更 2  佐证材料 0",
        f"备份: {backup}",
    ]


def test_db_info_json(run_db, db_url, engine):
    result = run_db("db", "info", "--json")

    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info == {
        "url": shown(db_url), "location": place(db_url).split(": ", 1)[1],
        "location_label": place(db_url).split(": ", 1)[0], "backend": engine.dialect.name, "revision": HEAD,
        "head": HEAD, "policies": [POLICY],
        "counts": {"policy_versions": 1, "institutions": 3, "records": 0, "events": 0, "evidence": 0},
        "backup_hint": info["backup_hint"], "start": None,
    }
    assert ("pg_dump" in info["backup_hint"]) == (engine.dialect.name == "postgresql")


# --- db backup -------------------------------------------------------------------------------------------------


@SQLITE_ONLY
def test_db_backup_makes_a_usable_copy(run_db, run, tmp_path):
    run_db("record", "set", SHANXI, "support.16.a", "--status", "done", "--value", "480")
    target = tmp_path / "备份" / "2025-06-30.db"
    target.parent.mkdir()

    result = run_db("db", "backup", target)

    assert (result.exit_code, result.stdout, result.stderr) == (0, f"已备份到 {target}\n", "")
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT item_id, status, value FROM record").fetchall() == [("support.16.a", "done", 480.0)]
    copy.close()
    shown_copy = run("--db", target, "record", "history", SHANXI, "support.16.a")
    assert shown_copy.exit_code == 0 and "480" in shown_copy.stdout


# The refusal of an older schema says "back up first, then upgrade": the backup must take that older database.
def test_db_backup_copies_a_database_of_an_older_schema_as_it_is(run, tmp_path):
    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, "0004")  # before the evidence store
    engine.dispose()
    refused = run("--db", old, "status")
    assert refused.exit_code != 0 and "db backup" in refused.stderr

    result = run("--db", old, "db", "backup", tmp_path / "copy.db")

    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert run("--db", tmp_path / "copy.db", "db", "upgrade").exit_code == 0
    assert run("--db", old, "db", "upgrade").exit_code == 0


# A backup (like any reader) must not wait for a writer's lock: its schema check reads without BEGIN IMMEDIATE.
@SQLITE_ONLY
def test_db_backup_while_an_office_is_writing_copies_what_is_committed(run_db, engine, tmp_path, monkeypatch):
    monkeypatch.setattr("jobpolicy.storage.db.BUSY_TIMEOUT_MS", 500)  # fail in half a second, not a minute
    target = tmp_path / "online.db"
    with writing(engine) as session:  # an office's transaction, still open while the backup runs
        session.connection().execute(text("UPDATE institution SET name = '未提交' WHERE code = :c"), {"c": SHANXI})

        result = run_db("db", "backup", target)

        session.rollback()
    assert result.exit_code == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM institution WHERE code = ?", (SHANXI,)).fetchone() == ("山西大学",)
    copy.close()


@SQLITE_ONLY
def test_db_backup_never_overwrites(run_db, tmp_path):
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")

    result = run_db("db", "backup", target)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"错误: 备份文件 {target} 已存在", "提示: 换一个文件名，不会覆盖已有文件"]
    assert target.read_bytes() == b"keep me"


@SQLITE_ONLY
def test_db_backup_into_a_missing_folder(run_db, tmp_path):
    result = run_db("db", "backup", tmp_path / "nowhere" / "b.db")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"错误: 目录 {tmp_path / 'nowhere'} 不存在", "提示: 先创建目录，或换一个位置"]


@POSTGRES_ONLY
def test_db_backup_on_postgresql_says_to_use_pg_dump(run_db, tmp_path):
    result = run_db("db", "backup", tmp_path / "b.db")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["错误: db backup 只适用于 SQLite 数据库",
                                          "提示: PostgreSQL 请用 pg_dump 备份"]
    assert not (tmp_path / "b.db").exists()


# --- db upgrade and schema checks -------------------------------------------------------------------------------


def test_db_upgrade_from_the_first_schema(run, db_url):
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0001")

    refused = run("--db", db_url, "institution", "list")
    upgraded = run("--db", db_url, "db", "upgrade")
    again = run("--db", db_url, "db", "upgrade")

    assert (refused.exit_code, refused.stderr.splitlines()) == (1, [
        f"错误: {describe_location(engine)} 的结构版本 0001 较旧，本程序需要 {HEAD}",
        f"提示: 先备份（{'jobpolicy db backup 文件名' if engine.dialect.name == 'sqlite' else 'pg_dump'}），"
        "再运行 jobpolicy db upgrade"])
    assert (upgraded.exit_code, upgraded.stdout) == (0, f"数据库结构已从 0001 升级到 {HEAD}（{HEAD}）\n")
    assert (again.exit_code, again.stdout) == (0, f"数据库结构已是最新（{HEAD}）\n")
    assert migrate.current_revision(engine) == HEAD
    engine.dispose()


@pytest.mark.parametrize("command", [("record", "show", SHANXI), ("db", "upgrade"), ("db", "info")])
def test_an_uninitialised_database_is_refused(run, db_url, command):
    if db_url.startswith("sqlite"):
        Path(make_url(db_url).database).touch()

    result = run("--db", db_url, *command)

    engine = make_engine(db_url)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"错误: {describe_location(engine)} 尚未初始化", "提示: 运行 jobpolicy db init"]
    assert inspect(engine).get_table_names() == []  # nothing was created on the way
    engine.dispose()


MISSING_FILE_HINT = "提示: 运行 jobpolicy db init 创建数据库，或用 --db / JOBPOLICY_DB 指定已有的数据库"


@pytest.mark.parametrize("command", [
    ("record", "show", SHANXI),
    ("record", "set", SHANXI, "support.16.a", "--status", "done"),
    ("db", "info"),
    ("db", "backup", "copy.db"),
    ("db", "upgrade"),
])
def test_a_missing_sqlite_file_is_not_created(run, tmp_path, command):
    missing = tmp_path / "missing.db"

    result = run("--db", missing, *command)

    assert (result.exit_code, result.stderr.splitlines()) == (1, [f"错误: 数据库文件 {missing} 不存在",
                                                                  MISSING_FILE_HINT])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_default_database_is_jobpolicy_db_in_the_current_folder(run, tmp_path):
    result = run("record", "show", SHANXI)  # the isolated_env fixture made tmp_path the current folder

    assert result.stderr.splitlines() == [f"错误: 数据库文件 {tmp_path / 'jobpolicy.db'} 不存在", MISSING_FILE_HINT]


def test_jobpolicy_db_names_the_database(run, db_url, engine, monkeypatch, tmp_path):
    monkeypatch.setenv("JOBPOLICY_DB", db_url)

    from_env = run("db", "info")
    overridden = run("--db", tmp_path / "other.db", "db", "info")

    assert from_env.exit_code == 0
    assert from_env.stdout.splitlines()[0] == place(db_url)
    assert overridden.stderr.splitlines()[0] == f"错误: 数据库文件 {tmp_path / 'other.db'} 不存在"


# --- bad input changes nothing ---------------------------------------------------------------------------------

ADULT_COLLEGE = "4214050163"  # 山西机电职工学院, 成人: the 2025 opinion's items do not apply
NOT_ADDED = "4111010001"  # 北京大学, on the list but not added to the test database
NOTE = ("--note", "不应写入")  # a valid change sent with every bad one: it must not be written either
STATUS_HINT = "提示: 可选：未启动（not_started）、推进中（in_progress）、已完成（done）、不适用（not_applicable）"
DATE_HINT = "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"
ANNUAL_HINT = "提示: 期次可写作 2025 或 2025年（最近的期次：2025）"

PROGRESS_HINT = "提示: 进度是 0 到 100 之间的整数（百分比）"
EVIDENCE_HINT = "提示: 检查文件路径，或给出以 http:// 或 https:// 开头的链接"
NA_HINT = "提示: 加上 --reason 理由"

BAD_INPUT = {
    "bad status": (["support.16.a", "--status", "完成了"], 3, "状态“完成了”无效，您是不是要找：已完成", STATUS_HINT),
    "progress 150": (["support.16.a", "--progress", "150"], 3, "进度“150”无效", PROGRESS_HINT),
    "progress 50.5": (["support.16.a", "--progress", "50.5"], 3, "进度“50.5”无效", PROGRESS_HINT),
    "no such date": (["support.16.a", "--due", "2025-02-30"], 3, "完成时限“2025-02-30”无效：没有这一天", DATE_HINT),
    "value not a number": (["support.16.a", "--value", "abc"], 3, "指标值“abc”不是数字",
                           "提示: 只填数字，如 480、1200 或 1.2，不用下划线分隔"),
    "javascript evidence": (["support.16.a", "--evidence", "javascript:alert(1)"], 3,
                            "佐证链接“javascript:alert(1)”无效：只接受 http:// 或 https:// 链接",
                            "提示: 或给出本机上存在的文件路径"),
    "missing evidence file": (["support.16.a", "--evidence", "https://example.cn/b.pdf", "--evidence", "无此文件.pdf"],
                              3, "佐证材料“无此文件.pdf”既不是 http(s) 链接，也不是存在的文件", EVIDENCE_HINT),
    "unknown item": (["support.9.z", "--status", "done"], 1,
                     "未知检查项“support.9.z”，您是不是要找：support.19.a、support.19.b、support.19.c",
                     "提示: 可写检查项编号、举措号（如 十一）或关键词；运行 jobpolicy policy items 关键词 查找"),
    "ministry item": (["supply.1.a", "--status", "done"], 3, "检查项 supply.1.a 由国家有关部门落实，不在高校清单中",
                      f"提示: 运行 jobpolicy record show {SHANXI} 查看本校清单"),
    "period 2019": (["evaluation.14.a", "--status", "done", "--period", "2019"], 3,
                    "检查项 evaluation.14.a 的期次“2019”无效：该项没有这一期（每年 12月31日前，自 2025-01-01 起）",
                    ANNUAL_HINT),
    "once for a recurring item": (["evaluation.14.a", "--status", "done", "--period", "once"], 3,
                                  "检查项 evaluation.14.a 的期次“once”无效：该项按年填报，看不出是哪一期",
                                  ANNUAL_HINT),
    "period for a one-off item": (["support.16.a", "--status", "done", "--period", "2025"], 3,
                                  "检查项 support.16.a 不是周期性事项，期次只能是 once", "提示: 去掉 --period"),
    "not applicable, no reason, new record": (["support.15.a", "--status", "不适用"], 3,
                                              "将 support.15.a 标为“不适用”时须说明理由", NA_HINT),
    "not applicable, no reason, existing record": (["support.16.a", "--status", "not_applicable"], 3,
                                                   "将 support.16.a 标为“不适用”时须说明理由", NA_HINT),
}
OTHER_INSTITUTION = {
    "item not applicable": ([ADULT_COLLEGE, "support.16.a", "--status", "done"], 3,
                            "检查项 support.16.a 不适用于 山西机电职工学院（成人）",
                            "提示: 该项的适用范围见 jobpolicy policy show"),
    "unknown institution": ([NOT_ADDED, "support.16.a", "--status", "done"], 1, f"学校 {NOT_ADDED} 尚未添加",
                            f"提示: 先运行 jobpolicy institution add {NOT_ADDED}"),
    "malformed code": (["41140101", "support.16.a", "--status", "done"], 3,
                       "学校标识码“41140101”格式不对：应为 10 位数字",
                       "提示: 在教育部《全国高等学校名单》中查找学校标识码，如 4114010108"),
}
CASES = {name: ([SHANXI, *args], *rest) for name, (args, *rest) in BAD_INPUT.items()} | OTHER_INSTITUTION
DURING = datetime(2025, 9, 1, 2, 0, tzinfo=UTC)


def everything(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
                for table in ("institution", "record", "event", "evidence")}


@pytest.fixture(scope="module")
def recorded(module_run_db, module_engine):
    """An adult college added, a one-off and a yearly record set: made once per back end; each bad input below must
    leave it exactly as it was (each test checks), so they share it."""
    add_institution(module_engine, ADULT_COLLEGE)
    with time_machine.travel(DURING, tick=False):
        ok = module_run_db("record", "set", SHANXI, "support.16.a", "--status", "推进中", "--value", "300",
                           "--evidence", "https://example.cn/a.pdf")
        ok_recurring = module_run_db("record", "set", SHANXI, "evaluation.14.a", "--status", "推进中", "--period",
                                     "2025")
    assert (ok.exit_code, ok_recurring.exit_code) == (0, 0)
    return module_run_db, module_engine


@pytest.mark.parametrize(("args", "code", "message", "hint"), CASES.values(), ids=CASES.keys())
def test_bad_record_set_input_is_explained_in_one_line_and_changes_nothing(recorded, args, code, message, hint):
    run_db, engine = recorded
    before = everything(engine)
    with time_machine.travel(DURING, tick=False):
        result = run_db("record", "set", *args, *NOTE)

    assert (result.exit_code, result.stdout) == (code, "")
    assert result.stderr.splitlines() == [f"错误: {message}", hint]
    assert "Traceback" not in result.output
    assert everything(engine) == before


# --- the database-wide tracking start ---------------------------------------------------------------------------


def test_init_with_a_start_and_set_it_later(run, db_url):
    init = run("--db", db_url, "db", "init", "--start", "2026-09-01")
    assert init.exit_code == 0 and "全库开始跟踪日期: 2026-09-01" in init.stdout.splitlines()
    moved = run("--db", db_url, "db", "set-start", "2026/10/1")
    assert (moved.exit_code, moved.stdout) == (0, "全库开始跟踪日期：2026-09-01 → 2026-10-01\n")
    assert json.loads(run("--db", db_url, "db", "info", "--json").stdout)["start"] == "2026-10-01"
    assert "全库开始跟踪日期: 2026-10-01" in run("--db", db_url, "db", "info").stdout.splitlines()


def test_a_bad_database_start_is_refused(run_db):
    result = run_db("db", "set-start", "下个月")
    assert (result.exit_code, result.stderr.splitlines()) == (
        3, ["错误: 开始跟踪日期“下个月”无效", "提示: 可写作 2025-06-30、2025/6/30 或 2025年6月30日"])
    assert json.loads(run_db("db", "info", "--json").stdout)["start"] is None


@pytest.mark.skipif(os.name == "nt", reason="on Windows a file takes its folder's ACLs; the mode means nothing")
def test_db_init_creates_the_file_readable_by_its_owner_only(run, tmp_path):
    path = tmp_path / "school.db"

    result = run("--db", path, "db", "init")

    assert result.exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in tmp_path.glob("school.db-*"))  # -wal, -shm
