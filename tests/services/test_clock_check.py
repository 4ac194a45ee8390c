"""A writer whose clock is behind the newest stored change is refused on SQLite (on PostgreSQL the server's clock
stamps every change, see tests/services/test_access.py): its changes would be filed before ones already there, and
``diff`` and 本期变化 would miss them for good. Refused rather than warned of, because a warning scrolls by while
the misfiled change stays, and the same wrong clock also picks the wrong period and overdue dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import time_machine
from sqlalchemy import text
from typer.testing import CliRunner

from codes import SHANXI
from jobpolicy.cli import app
from jobpolicy.clock import CHECK_ENV, TOLERANCE, lag
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from jobpolicy.errors import ClockBehind
from jobpolicy.services.recording import RawChange, set_record

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in China
ITEM = "support.16.a"


@pytest.fixture
def checked(monkeypatch):
    monkeypatch.delenv(CHECK_ENV)  # the suite turns the check off, since its tests travel back in time


@pytest.fixture
def sqlite_engine(tmp_path, checked):
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution
    from jobpolicy.storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'school.db'}")
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        init_database(engine)
        add_institution(engine, SHANXI)
    with time_machine.travel(NOW, tick=False):
        set_record(engine, SHANXI, ITEM, RawChange(status="in_progress"), actor="张老师")
    yield engine
    engine.dispose()


def events(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM event")).scalar_one()


def test_lag_counts_only_beyond_the_tolerance(checked):
    assert lag(None, NOW) is None
    assert lag(NOW, NOW - TOLERANCE) is None
    assert lag(NOW, NOW + timedelta(days=1)) is None
    assert lag(NOW, NOW - timedelta(hours=3)) == timedelta(hours=3)


def test_a_clock_behind_the_newest_change_is_refused_and_nothing_is_written(sqlite_engine):
    with time_machine.travel(NOW - timedelta(days=2), tick=False), pytest.raises(ClockBehind, match="早 2 天"):
        set_record(sqlite_engine, SHANXI, ITEM, RawChange(status="done"), actor="张老师")

    assert events(sqlite_engine) == 1


def test_a_clock_a_little_behind_is_let_through(sqlite_engine):
    with time_machine.travel(NOW - TOLERANCE + timedelta(seconds=1), tick=False):
        set_record(sqlite_engine, SHANXI, ITEM, RawChange(status="done"), actor="张老师")

    assert events(sqlite_engine) == 2


def test_the_check_can_be_turned_off_when_the_newest_change_is_the_wrong_one(sqlite_engine, monkeypatch):
    monkeypatch.setenv(CHECK_ENV, "off")
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        set_record(sqlite_engine, SHANXI, ITEM, RawChange(status="done"), actor="张老师")

    assert events(sqlite_engine) == 2


def test_the_command_says_so_in_one_line(sqlite_engine):
    with time_machine.travel(NOW - timedelta(hours=5), tick=False):
        result = CliRunner().invoke(app, ["--db", str(sqlite_engine.url.database), "record", "set", SHANXI, ITEM,
                                          "--status", "done", "--by", "张老师"])

    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "错误: 本机时钟（2026-03-02 04:00）比数据库中最新的一条变更（2026-03-02 09:00）早 5 小时，"
        "按此时间记录的修改会被 diff 和“本期变化”漏掉，未写入任何内容",
        "提示: 请校准本机的日期和时间（Windows：设置 → 时间和语言 → 立即同步）再重新运行；若本机时间准确，"
        f"是那条变更记录时的电脑时钟偏快，可设置环境变量 {CHECK_ENV}=off 后运行"])
    assert events(sqlite_engine) == 1


def test_an_import_is_refused_before_its_first_file_and_writes_nothing(sqlite_engine, tmp_path):
    # An import checks the clock once, for all its files: every change in them is stamped with the same time.
    from jobpolicy.services.checklist_exchange import export_checklists, import_checklists

    with time_machine.travel(NOW, tick=False):
        path = export_checklists(sqlite_engine, [SHANXI], tmp_path / "a.xlsx").files[0].path
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    sheet["B2"] = "王老师"
    row = next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == ITEM)
    sheet.cell(row, [c.key for c in COLUMNS].index("owner") + 1).value = "王老师"
    book.save(path)
    with time_machine.travel(NOW - timedelta(days=2), tick=False), pytest.raises(ClockBehind, match="早 2 天"):
        import_checklists(sqlite_engine, [path], importer="李老师")

    assert events(sqlite_engine) == 1
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert import_checklists(sqlite_engine, [path], importer="李老师").files[0].written
