"""Reads and writes of many rows at once, as plain rows through Core (one ``executemany`` a chunk, no ORM object per
row), for operations that touch every record of a policy. Keyword-only, session passed in; they never commit.

The two writes of a hundred thousand rows (events, record updates) go to the driver's ``executemany`` with the
statement compiled once: SQLAlchemy's per-row work (building each row's parameters, running each value through its
column type) costs more than SQLite's own insert. Their values are those the driver takes as they are (numbers,
text, booleans, None), except the datetime columns, whose type processes each distinct value once.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from sqlalchemy import Column, Row, bindparam, insert, literal_column, select
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import Compiled
from sqlmodel import Session

from jobpolicy.storage.models import Event, Evidence, Record
from jobpolicy.storage.repo import read_row

RECORDS, EVENTS, EVIDENCE = Record.__table__, Event.__table__, Evidence.__table__
_COMPILED: dict[tuple, Compiled] = {}  # see ``_driver_many``


def record_keys(*, session: Session, policy_id: str) -> list[Row]:
    """Every record of a policy as (id, institution_code, item_id, period, reassess, reassess_reason), by id."""
    r = RECORDS.c
    query = (select(r.id, r.institution_code, r.item_id, r.period, r.reassess, r.reassess_reason)
             .where(r.policy_id == policy_id).order_by(r.id))
    return list(session.execute(query))


def school_records(*, session: Session, institution_code: str, policy_id: str) -> tuple[list[Record], list[Evidence]]:
    """An institution's records of a policy and their evidence (oldest first), read as plain rows and made into row
    objects outside the session (``repo.read_row``): changed in memory and written explicitly, as an import's file
    is, with no identity map to fill and empty again."""
    school, connection = {"school": institution_code, "policy": policy_id}, session.connection()
    records = [read_row(Record, row._mapping) for row in connection.execute(_SCHOOL_RECORDS, school)]
    return records, [read_row(Evidence, row._mapping) for row in connection.execute(_SCHOOL_EVIDENCE, school)]


# Built once: an import runs them for every file.
_SCHOOL = (RECORDS.c.institution_code == bindparam("school")) & (RECORDS.c.policy_id == bindparam("policy"))
_SCHOOL_RECORDS = select(RECORDS).where(_SCHOOL)
_INSERT_RECORDS = insert(RECORDS).returning(RECORDS.c.id, sort_by_parameter_order=True)
_SCHOOL_EVIDENCE = (select(EVIDENCE).join(RECORDS, EVIDENCE.c.record_id == RECORDS.c.id).where(_SCHOOL)
                    .order_by(EVIDENCE.c.id))


def park_records(*, session: Session, moves: Sequence[tuple[int, str]]) -> None:
    """Set the item id of these records (id, item id) and nothing else: a record stepping aside for a moment."""
    if moves:
        statement = RECORDS.update().where(RECORDS.c.id == bindparam("b_id")).values(item_id=bindparam("b_item"))
        session.execute(statement, [{"b_id": record_id, "b_item": item} for record_id, item in moves])


def update_records(*, session: Session, rows: Sequence[dict]) -> None:
    """Write each record's item id, re-assessment flag and reason, and stamp it changed (revision + 1, when, who).

    Each row: ``b_id``, ``b_item``, ``b_reassess``, ``b_reason``, ``b_at``, ``b_by`` (its ``b_at`` is processed in
    place); one statement a row, in the order given, so a caller can order moves that free each other's slots.
    """
    if rows:
        r = RECORDS.c
        statement = RECORDS.update().where(r.id == bindparam("b_id")).values(
            item_id=bindparam("b_item"), reassess=bindparam("b_reassess"), reassess_reason=bindparam("b_reason"),
            revision=r.revision + literal_column("1"), updated_at=bindparam("b_at"), updated_by=bindparam("b_by"))
        _driver_many(session, "update_records", statement, rows, dated={"b_at": r.updated_at})


def insert_records(*, session: Session, rows: Sequence[dict]) -> list[int]:
    """Insert new records (every row with the same columns); their ids, in the order given."""
    if not rows:
        return []
    return list(session.connection().execute(_INSERT_RECORDS, list(rows)).scalars())


def insert_events(*, session: Session, rows: Sequence[dict]) -> None:
    """Append events (every row with the same columns, completed and processed in place), in the order given."""
    if rows:
        # The columns a row leaves out take their scalar default, as Core would give them (``login``: "").
        defaults = {c.name: c.default.arg for c in EVENTS.columns
                    if c.name not in rows[0] and c.default is not None and c.default.is_scalar}
        columns = [*rows[0], *defaults]
        for row in rows:
            row.update(defaults)
        _driver_many(session, "insert_events", insert(EVENTS), rows, dated={"at": EVENTS.c.at}, columns=tuple(columns))


def _driver_many(session: Session, name: str, statement: Executable, rows: Sequence[dict], *,
                 dated: dict[str, Column], columns: tuple[str, ...] | None = None) -> None:
    """executemany ``statement`` (an insert of ``columns``, or a statement of bound parameters) through the driver,
    each row a dict by parameter name; ``dated`` names the parameters whose values the column's type processes.
    Compiled once per process for each ``name`` (the statement is always the same) and columns: an import writes
    every file's events."""
    connection = session.connection()
    dialect = connection.dialect
    key = (name, dialect.name, dialect.driver, dialect.paramstyle, columns)
    if key not in _COMPILED:
        _COMPILED[key] = statement.compile(dialect=dialect, column_keys=list(columns) if columns else None)
    compiled = _COMPILED[key]
    for name, column in dated.items():
        process = column.type.bind_processor(connection.dialect)
        if process is not None:
            done: dict[object, object] = {None: None}
            for row in rows:
                value = row[name]
                if value not in done:
                    done[value] = process(value)
                row[name] = done[value]
    if compiled.positional:
        take = itemgetter(*compiled.positiontup or ())
        values = [take(row) for row in rows]
    else:
        values = list(rows)
    connection.exec_driver_sql(str(compiled), values)

