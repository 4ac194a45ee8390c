"""Recognising what ``--db`` names before anything is written to it: a URL whose driver we lack, a file that is
no SQLite database (a workbook, a text file), an SQLite database of another program, a damaged one.

Each is refused with a StorageError that names the file; the checks run where the engine is made and where each
connection opens, so no command can write into such a file (SQLite would switch a foreign database to WAL on
the first connection otherwise).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from jobpolicy.errors import StorageError

SQLITE_MAGIC = b"SQLite format 3\x00"
OURS = "alembic_version"  # every jobpolicy database has it from db init on
RESTORE_HINT = "用备份（jobpolicy db backup 生成的文件）恢复；不要在这个文件上继续操作，请保留它交给维护人员"
NAMED_HINT = "检查 --db / JOBPOLICY_DB 是否指向了正确的文件；新建数据库请换一个文件名运行 jobpolicy db init"
URL_HINT = "SQLite 请给出文件路径（如 --db 就业.db）；PostgreSQL 请写 postgresql://用户@主机/数据库名"

# What a file is, from its first bytes, so the message says what the user actually pointed at.
LOOKS_LIKE = [
    (b"PK\x03\x04", "是 Excel/WPS 工作簿或压缩包"),
    (b"\xd0\xcf\x11\xe0", "是旧版 Office 文件（.xls/.doc）"),
    (b"%PDF", "是 PDF 文件"),
]


def not_a_database(path: Path, what: str) -> StorageError:
    """The error for ``--db`` naming something that is not a jobpolicy database."""
    return StorageError(f"数据库文件 {path} {what}，不是 jobpolicy 数据库，未做任何改动",
                        hint=NAMED_HINT)


def damaged(path: Path, detail: str) -> StorageError:
    """The error for a database file whose pages are damaged."""
    return StorageError(f"数据库文件 {path} 已损坏（{detail}），未做任何改动", hint=RESTORE_HINT)


def describe_content(head: bytes) -> str:
    """What a file that is not SQLite looks like, in words."""
    for magic, what in LOOKS_LIKE:
        if head.startswith(magic):
            return what
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "不是 SQLite 数据库文件"
    return "不是 SQLite 数据库文件" if b"\x00" in head else "是文本文件"


def check_file(path: Path) -> None:
    """Refuse a path that exists but is no SQLite database file; a missing or empty file is left to ``db init``.

    Raises:
        StorageError: it is a folder, or its first bytes are not SQLite's.
    """
    if path.is_dir():
        raise not_a_database(path, "是一个文件夹")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        from jobpolicy.errors import os_reason

        raise StorageError(f"无法读取数据库文件 {path}（{os_reason(exc)}）", hint="检查文件权限") from exc
    if head and head != SQLITE_MAGIC:
        raise not_a_database(path, describe_content(head))


def check_connection(dbapi_connection: sqlite3.Connection, path: Path) -> None:
    """Refuse, on a fresh connection and before any pragma writes, a database of another program or a damaged one.

    Raises:
        StorageError: its tables are not ours (no alembic_version), or SQLite cannot read its schema.
    """
    try:
        names = [row[0] for row in dbapi_connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) or damaged(path, str(exc)) from exc
    if names and OURS not in names:
        raise not_a_database(path, f"是其他程序的 SQLite 数据库（含表 {some_tables(names)}）")


def some_tables(names: list[str]) -> str:
    """The first few table names of a foreign database, as a message shows them."""
    return "、".join(names[:3]) + ("等" if len(names) > 3 else "")


def translate(exc: BaseException, path: Path) -> StorageError | None:
    """Our error for an SQLite error that means the file is damaged or no database, else None."""
    text = str(exc)
    if "not a database" in text or "encrypted" in text:
        return not_a_database(path, "不是 SQLite 数据库文件（或已加密）")
    if "malformed" in text or "disk image" in text:
        return damaged(path, text.splitlines()[0])
    return None


def url_problem(url: str, exc: Exception) -> StorageError:
    """The error for a database URL whose kind or driver we cannot use; never shows a password."""
    try:
        parsed = make_url(url)
        shown, kind = parsed.render_as_string(hide_password=True), parsed.drivername
    except ArgumentError:
        shown, kind = url.split("://", 1)[0] + "://…", url.split("://", 1)[0]
    return StorageError(f"数据库地址“{shown}”无法使用：不认识或未安装的数据库类型“{kind}”", hint=URL_HINT)


URL_ERRORS = (NoSuchModuleError, ArgumentError, ImportError)


def on_error(context: Any, path: Path) -> None:
    """SQLAlchemy ``handle_error`` hook: a damaged page met in any query becomes our one-line error."""
    error = translate(context.original_exception, path) if isinstance(
        context.original_exception, sqlite3.DatabaseError) else None
    if error is not None:
        raise error from context.original_exception
