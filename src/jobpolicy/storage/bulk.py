"""Reads and writes of many rows at once, as plain rows through the driver (no ORM object per row), for operations
that touch every record of a policy. Keyword-only, session passed in; they never commit.

The writes of a hundred thousand rows (records, events, evidence, record updates) skip SQLAlchemy's per-row work
(building each row's parameters, running each value through its column type), which costs more than SQLite's own
insert: the values go to the driver as they are, each column's type processing each distinct value once.

SQLite takes them as the driver's ``executemany``, a statement a row (new records, whose ids are needed, a few
hundred a multi-row ``INSERT … RETURNING``). PostgreSQL takes a few thousand rows a
statement, each column as one array in psycopg's binary format (``INSERT … SELECT … FROM unnest(…)``, ``UPDATE …
FROM unnest(…)``): a statement a row costs PostgreSQL a round trip, an executor start and the row-security
InitPlans every time, which made a row-by-row load four times SQLite's (and ``COPY`` is refused on tables under
row-level security). Triggers, foreign keys, unique keys and row security still judge every row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from functools import cache
from operator import itemgetter

from sqlalchemy import Column, Float, Row, Table, bindparam, literal_column, select
from sqlalchemy.engine import Connection, Result
from sqlmodel import Session

from jobpolicy.storage.models import RECORD_KEY, Event, Evidence, Record
from jobpolicy.storage.repo import read_row

RECORDS, EVENTS, EVIDENCE = Record.__table__, Event.__table__, Evidence.__table__
# On PostgreSQL an event's login and time are the server's (stamp trigger, migrations 0007 and 0010). Sent as the
# server's own values they leave the trigger nothing to change, and its WHEN condition spares the call, a third of
# an event's insert. A session keeping the client's clock (an administrator's tests travelling in time) sends its
# own time, which the trigger then judges as before; the trigger is what decides, whatever is sent.
SERVER_STAMPS = {"event": {
    "login": "session_user",
    "at": "CASE WHEN current_setting('jobpolicy.client_clock', true) = 'on' THEN u.at "
          "ELSE now() AT TIME ZONE 'UTC' END"}}
CHUNK = 5000  # rows a statement on PostgreSQL: a chunk of events is a few megabytes of arrays

# update_records' parameters, each with the record column it writes
UPDATED = {"b_id": "id", "b_item": "item_id", "b_reassess": "reassess", "b_reason": "reassess_reason",
           "b_at": "updated_at", "b_by": "updated_by"}


def record_keys(*, session: Session, policy_id: str) -> list[Row]:
    """Every record of a policy as (id, institution_code, item_id, period, reassess, reassess_reason), by id."""
    r = RECORDS.c
    query = (select(r.id, r.institution_code, r.item_id, r.period, r.reassess, r.reassess_reason)
             .where(r.policy_id == policy_id).order_by(r.id))
    return list(session.execute(query))


def school_records(*, session: Session, institution_code: str, policy_id: str) -> tuple[list[Record], list[Evidence]]:
    """An institution's records of a policy and their evidence (oldest first), as plain row objects outside the
    session (``repo.read_row``): changed in memory and written explicitly, as an import's file is, with no identity
    map to fill and empty again and no tracking of each field set."""
    school, connection = {"school": institution_code, "policy": policy_id}, session.connection()
    return (_plain_rows(Record, connection.execute(_SCHOOL_RECORDS, school)),
            _plain_rows(Evidence, connection.execute(_SCHOOL_EVIDENCE, school)))


def _plain_rows(model: type, result: Result) -> list:
    names = tuple(result.keys())
    return [read_row(model, dict(zip(names, row, strict=True))) for row in result.all()]


# Built once: an import runs them for every file.
_SCHOOL = (RECORDS.c.institution_code == bindparam("school")) & (RECORDS.c.policy_id == bindparam("policy"))
_SCHOOL_RECORDS = select(RECORDS).where(_SCHOOL)
_SCHOOL_EVIDENCE = (select(EVIDENCE).join(RECORDS, EVIDENCE.c.record_id == RECORDS.c.id).where(_SCHOOL)
                    .order_by(EVIDENCE.c.id))


def park_records(*, session: Session, moves: Sequence[tuple[int, str]]) -> None:
    """Set the item id of these records (id, item id) and nothing else: a record stepping aside for a moment."""
    if moves:
        statement = RECORDS.update().where(RECORDS.c.id == bindparam("b_id")).values(item_id=bindparam("b_item"))
        session.execute(statement, [{"b_id": record_id, "b_item": item} for record_id, item in moves])


def update_records(*, session: Session, rows: Sequence[dict]) -> None:
    """Write each record's item id, re-assessment flag and reason, and stamp it changed (revision + 1, when, who).

    Each row: ``b_id``, ``b_item``, ``b_reassess``, ``b_reason``, ``b_at``, ``b_by`` (processed in place), each
    record once. The unique key is checked after every row, in an order of the database's own: records that free
    each other's slots go in separate calls, as ``domain.slot_moves`` plans them (a wave a call).
    """
    if not rows:
        return
    connection = session.connection()
    columns = {name: RECORDS.c[column] for name, column in UPDATED.items()}
    _process(connection, rows, columns)
    if _postgresql(connection):
        names = list(UPDATED)
        sets = ", ".join(f"{UPDATED[name]} = u.{name}" for name in names[1:])
        sql = (f"UPDATE record SET {sets}, revision = record.revision + 1 "
               f"FROM {_unnest(connection, columns.values())} AS u({', '.join(names)}) WHERE record.id = u.b_id")
        _by_arrays(connection, sql, columns, rows)
        return
    r = RECORDS.c
    statement = RECORDS.update().where(r.id == bindparam("b_id")).values(
        item_id=bindparam("b_item"), reassess=bindparam("b_reassess"), reassess_reason=bindparam("b_reason"),
        revision=r.revision + literal_column("1"), updated_at=bindparam("b_at"), updated_by=bindparam("b_by"))
    compiled = statement.compile(dialect=connection.dialect)
    take = itemgetter(*compiled.positiontup)
    connection.exec_driver_sql(str(compiled), [take(row) for row in rows])


def insert_records(*, session: Session, rows: Sequence[dict]) -> list[int]:
    """Insert records (every row with the same columns, an ``id`` or none); their ids, in the order given."""
    if not rows:
        return []
    connection = session.connection()
    if "id" not in rows[0] and not _postgresql(connection):
        return _insert_returning_keys(connection, rows)
    return _insert(connection, RECORDS, rows)


def _insert_returning_keys(connection: Connection, rows: Sequence[dict]) -> list[int]:
    """SQLite: the records in a few multi-row ``INSERT … VALUES (…), (…) RETURNING``, each id matched to its row by
    the record's unique key. SQLite returns those rows in no promised order, and ``executemany`` returns none: so
    neither the order nor rowid arithmetic is relied on (SQLAlchemy's ``sort_by_parameter_order`` sent one INSERT
    a record instead)."""
    _complete(connection, RECORDS, rows)
    names = list(rows[0])
    take = itemgetter(*names)
    key_of = itemgetter(*RECORD_KEY)
    chunk = max(1, min(500, _variable_limit(connection) // len(names)))
    one = f"({', '.join('?' for _ in names)})"
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in names)
    found: dict[tuple, int] = {}
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        sql = (f"INSERT INTO record ({quoted}) VALUES {', '.join(one for _ in part)} "
               f"RETURNING id, {', '.join(RECORD_KEY)}")
        values = tuple(value for row in part for value in take(row))
        found.update((tuple(returned[1:]), returned[0]) for returned in connection.exec_driver_sql(sql, values))
    return [found[key_of(row)] for row in rows]



def _variable_limit(connection: Connection) -> int:
    """How many ``?`` one SQLite statement may hold (999 on a build older than 3.32, or when it cannot say)."""
    driver = connection.connection.dbapi_connection
    try:
        return driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # a sqlite3 module without getlimit
        return 999


def insert_events(*, session: Session, rows: Sequence[dict]) -> None:
    """Append events (every row with the same columns, completed and processed in place), in the order given."""
    if rows:
        _insert(session.connection(), EVENTS, rows)


def insert_evidence(*, session: Session, rows: Sequence[dict]) -> None:
    """Insert evidence rows (every row with the same columns, completed and processed in place)."""
    if rows:
        _insert(session.connection(), EVIDENCE, rows)


def _insert(connection: Connection, table: Table, rows: Sequence[dict]) -> list[int]:
    """Insert ``rows`` into ``table``, each completed with the scalar defaults of the columns it leaves out (as
    Core would, ``login``: "") and processed in place; the ids, in the order given (on SQLite, only when given)."""
    columns = _complete(connection, table, rows)
    quoted = {name: connection.dialect.identifier_preparer.quote(name) for name in columns}
    names = ", ".join(quoted.values())
    given = "id" in columns
    if not _postgresql(connection):
        take = itemgetter(*columns)
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                                   [tuple(take(row)) for row in rows])
        return [row["id"] for row in rows] if given else []
    stamps = SERVER_STAMPS.get(table.name, {})
    values = ", ".join(stamps.get(name, f"u.{quoted[name]}") for name in columns)
    if given:
        sql = (f"INSERT INTO {table.name} ({names}) SELECT {values} "
               f"FROM {_unnest(connection, columns.values())} AS u({names})")
        _by_arrays(connection, sql, columns, rows)
        return [row["id"] for row in rows]
    # Ids come from the sequence in the order the rows are inserted, which ORDER BY fixes: ascending ids are the
    # rows in the order given (what SQLAlchemy's sort_by_parameter_order relies on too).
    sql = (f"INSERT INTO {table.name} ({names}) SELECT {values} FROM {_unnest(connection, columns.values())} "
           f"WITH ORDINALITY AS u({names}, n) ORDER BY n RETURNING id")
    return sorted(_by_arrays(connection, sql, columns, rows))


def _complete(connection: Connection, table: Table, rows: Sequence[dict]) -> dict[str, Column]:
    """Complete each row with the scalar defaults of the columns it leaves out (as Core would, ``login``: "") and
    process it in place; the columns written, by name."""
    defaults = {name: value for name, value in _scalar_defaults(table).items() if name not in rows[0]}
    for row in rows:
        row.update(defaults)
    columns = {name: table.c[name] for name in rows[0]}
    _process(connection, rows, columns)
    return columns


@cache
def _scalar_defaults(table: Table) -> dict[str, object]:
    return {c.name: c.default.arg for c in table.columns if c.default is not None and c.default.is_scalar}


def _postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _process(connection: Connection, rows: Sequence[dict], columns: dict[str, Column]) -> None:
    """Run each value of ``rows[name]`` through its column's type (datetimes to naive UTC …), in place, each
    distinct value once."""
    for name, column in columns.items():
        process = column.type.bind_processor(connection.dialect)
        if process is None:
            continue
        done: dict[tuple[type, object], object] = {}
        for row in rows:
            value = row[name]
            if value is not None:
                key = (type(value), value)  # 1, 1.0 and True are equal keys of one dict
                if key not in done:
                    done[key] = process(value)
                row[name] = done[key]


def _unnest(connection: Connection, columns: Iterable[Column]) -> str:
    """``unnest(%b::type[], …)``: one binary array parameter a column, cast to the column's type without its length,
    so that a value too long fails the insert as it would row by row (a cast to ``varchar(10)`` cuts it short)."""
    types = (re.sub(r"\(.*?\)", "", c.type.compile(dialect=connection.dialect)) for c in columns)
    return f"unnest({', '.join(f'%b::{name}[]' for name in types)})"


def _by_arrays(connection: Connection, sql: str, columns: dict[str, Column], rows: Sequence[dict]) -> list:
    """Run ``sql`` once a chunk of ``rows``, its parameters the chunk's values column by column (``rows[name]`` for
    each name of ``columns``, in their order); the first column of the rows it returns."""
    floats = [index for index, column in enumerate(columns.values()) if isinstance(column.type, Float)]
    take = itemgetter(*columns)
    found = []
    for start in range(0, len(rows), CHUNK):
        arrays = [list(values) for values in zip(*(take(row) for row in rows[start:start + CHUNK]), strict=True)]
        for index in floats:  # a binary array holds one type: 90 beside 87.5 would not go
            arrays[index] = [None if v is None else float(v) for v in arrays[index]]
        result = connection.exec_driver_sql(sql, tuple(arrays))
        if result.returns_rows:
            found.extend(result.scalars())
    return found
