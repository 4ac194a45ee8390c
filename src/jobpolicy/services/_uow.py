"""Units of work: every service opens its session here, so the schema check and error translation are in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlmodel import Session

from jobpolicy.errors import StorageError
from jobpolicy.storage.db import READONLY_OPTION, describe_location
from jobpolicy.storage.migrate import check_schema

_checked: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def _ensure_schema(engine: Engine) -> None:
    if engine not in _checked:
        with storage_errors(engine):
            check_schema(engine)
        _checked[engine] = True


def forget_schema_check(engine: Engine) -> None:
    """Check the schema again on next use (after init or upgrade)."""
    _checked.pop(engine, None)


@contextmanager
def storage_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into one-line StorageErrors that say what to do."""
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig)
        if "locked" in text or "busy" in text:
            raise StorageError("数据库正忙（其他用户正在写入），等待超时", hint="稍后重试") from exc
        raise StorageError(f"无法使用{describe_location(engine)}（{text.splitlines()[0]}）",
                           hint="检查 --db / JOBPOLICY_DB 设置、文件权限或数据库服务是否在运行") from exc
    except ProgrammingError as exc:  # e.g. permission denied for a read-only role on PostgreSQL
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise StorageError(f"数据库拒绝了这次操作（{first}）",
                           hint="检查数据库账号的权限；需要写入时请使用有写权限的账号") from exc


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A write transaction: everything inside commits together or not at all."""
    _ensure_schema(engine)
    with storage_errors(engine), Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only transaction that does not take SQLite's write lock."""
    _ensure_schema(engine)
    bind = engine.execution_options(**{READONLY_OPTION: True})
    with storage_errors(engine), Session(bind, expire_on_commit=False) as session, session.begin():
        yield session

