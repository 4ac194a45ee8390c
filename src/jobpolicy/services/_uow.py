"""Units of work: every service opens its session here, so the schema check and error translation are in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.errors import AccessDenied, AppError, ClockBehind, StorageError
from jobpolicy.render.record_views import local_time
from jobpolicy.storage import repo
from jobpolicy.storage.db import READONLY_OPTION, describe_location, is_sqlite
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


# What a login was refused, by the table PostgreSQL names (privileges, row security) — said as the user meant it.
RECORD_RULE = "这样修改这条记录（学校账号只能填报、报送本校的记录，审核账号只能通过或退回本省学校的记录）"
REFUSED_ON = {
    "policy_version": "加载或修改政策清单（只有管理员可以）",
    "catalog_item": "加载或修改政策清单（只有管理员可以）",
    "institution": "添加或修改学校信息（只有管理员可以）",
    "setting": "修改数据库设置（只有管理员可以）",
    "access_grant": "分配访问权限（只有管理员可以）",
    "alembic_version": "升级数据库结构（只有管理员可以）",
    "record": RECORD_RULE,
    "evidence": "为这条记录添加佐证（只有本校账号可以）",
    "import_batch": "导入这所学校的填报表（只有本校账号可以）",
    "event": RECORD_RULE,  # an office's "accepted" event is refused before its record is
}
DENIED_HINT = "运行 jobpolicy access list 查看本账号的权限；需要更多权限请联系省级管理员"
APPEND_ONLY = "event log is append-only"


def refusal(exc: DBAPIError, engine: Engine) -> AccessDenied | None:
    """The one-line refusal for a permission error (SQLSTATE 42501, or the append-only trigger), else None."""
    text = str(exc.orig or exc)
    if APPEND_ONLY in text:
        return AccessDenied("变更历史只能追加，不能修改或删除", hint="要更正，请用 jobpolicy record set 写入新的值")
    if getattr(exc.orig, "sqlstate", None) != "42501":
        return None
    table = next((name for name in REFUSED_ON if f'"{name}"' in text or f"table {name}" in text), None)
    return denied(engine.url.username or "当前账号", table)


def denied(login: str, table: str | None) -> AccessDenied:
    """What ``login`` was refused on ``table`` (None: unknown), as one line and the hint."""
    what = REFUSED_ON.get(table or "", "执行这项操作")
    return AccessDenied(f"数据库拒绝了这次操作：登录名 {login} 无权{what}", hint=DENIED_HINT)


@contextmanager
def storage_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into one-line StorageErrors, or AccessDenied (exit 5), that say what to do."""
    try:
        yield
    except DBAPIError as exc:
        translated = _translated(exc, engine)
        if translated is None:
            raise
        raise translated from exc


def _translated(exc: DBAPIError, engine: Engine) -> AppError | None:
    if (denied := refusal(exc, engine)) is not None:
        return denied
    if isinstance(exc, OperationalError):
        text = str(exc.orig)
        if "locked" in text or "busy" in text:
            return StorageError("数据库正忙（其他用户正在写入），等待超时", hint="稍后重试")
        return StorageError(f"无法使用{describe_location(engine)}（{text.splitlines()[0]}）",
                            hint="检查 --db / JOBPOLICY_DB 设置、文件权限或数据库服务是否在运行")
    if isinstance(exc, ProgrammingError):  # e.g. a table missing or renamed under a running command
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return StorageError(f"数据库拒绝了这次操作（{first}）",
                            hint="检查数据库账号的权限；需要写入时请使用有写权限的账号")
    return None


@contextmanager
def writing(engine: Engine, *, clock_checked: bool = False) -> Iterator[Session]:
    """A write transaction: everything inside commits together or not at all. ``clock_checked``: the command
    called ``check_clock`` once for all its transactions (an import's files), so this one does not again.

    Raises:
        ClockBehind: SQLite, and this computer's clock is behind the newest change stored (PostgreSQL stamps
            changes with the server's clock, so there it does not matter).
    """
    _ensure_schema(engine)
    with storage_errors(engine), Session(engine, expire_on_commit=False) as session, session.begin():
        if is_sqlite(engine) and not clock_checked:
            _check_clock(session)
        yield session


def check_clock(engine: Engine) -> None:
    """``writing``'s clock check on its own, for a command that writes in many transactions stamped with one time.

    Raises:
        ClockBehind: as ``writing``.
    """
    if is_sqlite(engine):
        with reading(engine) as session:
            _check_clock(session)


def _check_clock(session: Session) -> None:
    # Refused, not warned of: a change filed before the newest one is missed by diff and 本期变化 for good,
    # and the same wrong clock also picks the wrong period and overdue dates. Fixing the clock takes a minute.
    newest, now = repo.latest_event_time(session=session), clock.now()
    behind = clock.lag(newest, now)
    if behind is not None:
        raise ClockBehind(f"本机时钟（{local_time(now)}）比数据库中最新的一条变更（{local_time(newest)}）"
                          f"早 {duration(behind)}，按此时间记录的修改会被 diff 和“本期变化”漏掉，未写入任何内容",
                          hint="请校准本机的日期和时间（Windows：设置 → 时间和语言 → 立即同步）再重新运行；若本机时间"
                               f"准确，是那条变更记录时的电脑时钟偏快，可设置环境变量 {clock.CHECK_ENV}=off 后运行")


# The read transaction every ``reading`` of an engine shares inside ``one_snapshot``.
_snapshot: ContextVar[tuple[Engine, Connection] | None] = ContextVar("jobpolicy_snapshot", default=None)


@contextmanager
def one_snapshot(engine: Engine) -> Iterator[None]:
    """Every ``reading(engine)`` inside sees the database as of one moment: a report's counts and its lines must
    agree while offices write (SQLite: one deferred read transaction; PostgreSQL: REPEATABLE READ, read only)."""
    _ensure_schema(engine)
    options: dict = {READONLY_OPTION: True}
    if not is_sqlite(engine):
        options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with storage_errors(engine), engine.connect() as connection:
        connection.execution_options(**options)
        with connection.begin():
            token = _snapshot.set((engine, connection))
            try:
                yield
            finally:
                _snapshot.reset(token)


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only transaction that does not take SQLite's write lock (inside ``one_snapshot``: its transaction)."""
    _ensure_schema(engine)
    shared = _snapshot.get()
    if shared is not None and shared[0] is engine:
        # Bound to a connection already in a transaction, the session neither commits nor ends it.
        with storage_errors(engine), Session(shared[1], expire_on_commit=False) as session:
            yield session
        return
    bind = engine.execution_options(**{READONLY_OPTION: True})
    with storage_errors(engine), Session(bind, expire_on_commit=False) as session, session.begin():
        yield session



def duration(span: timedelta) -> str:
    """``3 天``, ``5 小时``, ``12 分钟``: the largest whole unit."""
    if span >= timedelta(days=1):
        return f"{span.days} 天"
    if span >= timedelta(hours=1):
        return f"{span.seconds // 3600} 小时"
    return f"{max(1, span.seconds // 60)} 分钟"
