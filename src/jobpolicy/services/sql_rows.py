"""Rows computed in Python, sent to SQL as one bound JSON parameter unpacked into a CTE: the per-item facts a
national aggregation joins on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import CTE, JSON, Dialect, bindparam, column, func, literal_column, select, type_coerce
from sqlalchemy.types import TypeEngine

from jobpolicy.storage.db import takes_materialized


def rows_cte(name: str, columns: tuple[tuple[str, TypeEngine], ...], rows: list[tuple], dialect: Dialect) -> CTE:
    """``rows`` as a CTE named ``name`` with these (name, type) columns, for a database of ``dialect``.

    The rows go as one JSON parameter that the database unpacks (SQLite's ``json_each``, PostgreSQL's
    ``json_to_recordset`` with each column's type, so a column of NULLs is not text), rather than as a literal per
    value: the statement is the same whatever the rows, small to compile (SQLAlchemy spends about 30 µs on each
    labelled literal, and a one-school status sent about 1,400) and compiled once a process. Each value is sent as
    its column's type stores it on that database, so it compares with stored values as a bound literal would.
    Materialised where the database takes the hint, so the JSON is read once, not once per joined row.
    """
    processors = [(column_name, kind.dialect_impl(dialect).bind_processor(dialect)) for column_name, kind in columns]
    payload = bindparam(f"{name}_rows", [_encoded(processors, row) for row in rows], type_=JSON())
    if dialect.name == "postgresql":
        unpacked = (func.json_to_recordset(payload).table_valued(*(column(c, kind) for c, kind in columns))
                    .render_derived(name=f"{name}_json", with_types=True))
        query = select(*(unpacked.c[c] for c, _ in columns))
    else:
        each = func.json_each(payload).table_valued("value").alias(f"{name}_json")
        query = select(*(type_coerce(func.json_extract(each.c.value, literal_column(f"'$.{c}'")), kind).label(c)
                         for c, kind in columns))
    cte = query.cte(name)
    return cte.prefix_with("MATERIALIZED") if takes_materialized(dialect) else cte


def _encoded(processors: list[tuple[str, Callable | None]], row: tuple) -> dict:
    encoded = {}
    for (name, process), value in zip(processors, row, strict=True):
        stored = process(value) if process is not None and value is not None else value
        # What the driver would adapt itself (dates on PostgreSQL) goes as its ISO text, which the column type reads.
        encoded[name] = str(stored) if isinstance(stored, date) else stored
    return encoded
