"""A file named by --db that is no jobpolicy database: a workbook, a text file, a folder, another program's SQLite
database, a damaged one, a newer schema; or a URL whose driver we lack. Each is recognised and named in one 错误
line with a 提示, exit 1 (docs/exit-codes.md), never 内部错误, and not one byte of the file changes."""

import os
import sqlite3
from pathlib import Path

import pytest

from codes import SHANXI
from jobpolicy.services.database import init_database
from jobpolicy.storage.db import make_engine

COMMANDS = [("status",), ("db", "init"), ("db", "upgrade"), ("db", "info"), ("record", "show", SHANXI),
            ("record", "set", SHANXI, "supply.1.a", "--status", "推进中"), ("institution", "add", SHANXI)]


def _text(path: Path) -> None:
    path.write_text("学校标识码,学校名称\n1114010031,山西大学\n", encoding="utf-8")


def _workbook(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + bytes(200))


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE 成绩 (学号 TEXT, 分数 INTEGER)")
        connection.execute("INSERT INTO 成绩 VALUES ('2025001', 90)")
    connection.close()


def _ours(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine, load_bundled=False)
    engine.dispose()
    assert not path.with_name(path.name + "-wal").exists()  # one file, in WAL mode, as a copy of ours would be


def _page_of(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    return (root - 1) * size


def _damaged_page(path: Path) -> None:
    """A copy whose alembic_version page (read by every command) has its b-tree header overwritten."""
    _ours(path)
    data = bytearray(path.read_bytes())
    offset = _page_of(path, "alembic_version")
    data[offset:offset + 12] = bytes([0x5A] * 12)
    path.write_bytes(bytes(data))


def _damaged_header(path: Path) -> None:
    """A copy whose first bytes were overwritten (a disk or a copy gone wrong)."""
    _ours(path)
    data = bytearray(path.read_bytes())
    data[0:16] = bytes(range(0xF0, 0x100))
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    _ours(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()


FILES = {
    "text": (_text, "是文本文件，不是 jobpolicy 数据库"),
    "workbook": (_workbook, "是 Excel/WPS 工作簿或压缩包，不是 jobpolicy 数据库"),
    "foreign": (_foreign, "是其他程序的 SQLite 数据库（含表 成绩），不是 jobpolicy 数据库"),
    "damaged page": (_damaged_page, "已损坏"),
    "damaged header": (_damaged_header, "不是 SQLite 数据库文件，不是 jobpolicy 数据库"),
    "newer": (_newer, "的结构版本 9999 比本程序"),
}
OURS = {"damaged page", "newer"}


def assert_one_line(result, *fragments: str) -> None:
    lines = result.stderr.splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 2 and lines[0].startswith("错误: ") and lines[1].startswith("提示: "), lines
    for fragment in fragments:
        assert fragment in lines[0], lines
    assert "内部错误" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", FILES)
def test_a_file_that_is_no_jobpolicy_database_is_named_and_left_as_it_was(run, tmp_path, kind, command):
    path = tmp_path / ("成绩.xlsx" if kind == "workbook" else "就业.db")
    make, says = FILES[kind]
    make(path)
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    others = sorted(tmp_path.iterdir())

    result = run("--db", path, *command)

    assert_one_line(result, str(path), says)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    beside = {p.name.removeprefix(path.name) for p in set(tmp_path.iterdir()) - set(others)}
    # A database of ours in WAL mode gets SQLite's -shm index on opening, and an empty -wal: nothing written.
    assert beside <= ({"-wal", "-shm"} if kind in OURS else set())
    assert not (wal := path.with_name(path.name + "-wal")).exists() or wal.stat().st_size == 0


def test_a_folder_is_no_database(run, tmp_path):
    folder = tmp_path / "数据"
    folder.mkdir()
    result = run("--db", folder, "db", "init")
    assert_one_line(result, str(folder), "是一个文件夹")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("url", ["mysqlx://张老师:secret@10.1.2.3/jobpolicy", "foo://a/b", "sqlite+foo:///x.db",
                                 "postgresql+nodriver://u@h/d"])
def test_a_database_url_whose_kind_is_unknown_is_refused_without_its_password(run, tmp_path, url):
    result = run("--db", url, "status")
    assert_one_line(result, "无法使用：不认识或未安装的数据库类型", url.split("://")[0])
    assert "secret" not in result.output
    assert list(tmp_path.iterdir()) == [tmp_path / "config"] or not list(tmp_path.iterdir())


def test_an_empty_file_is_a_new_database_for_db_init(run, tmp_path):
    path = tmp_path / "空.db"
    path.touch()
    assert run("--db", path, "db", "init").exit_code == 0
    assert os.path.getsize(path) > 0


@pytest.mark.parametrize("command", [("db", "init"), ("status",), ("db", "upgrade")], ids=" ".join)
def test_a_database_of_another_program_gets_none_of_our_tables(run, db_url, command):
    from sqlalchemy import inspect, text

    engine = make_engine(db_url) if db_url.startswith("postgresql") else None
    if engine is None:
        _foreign(Path(db_url.removeprefix("sqlite:///")))
    else:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE 成绩 (学号 TEXT)"))

    result = run("--db", db_url, *command)

    assert_one_line(result, "成绩", "不是 jobpolicy 数据库")
    if engine is None:  # our engine refuses to open it: look with sqlite3
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("SELECT name FROM sqlite_master").fetchall() == [("成绩",)]
        connection.close()
    else:
        assert inspect(engine).get_table_names() == ["成绩"]
        engine.dispose()
