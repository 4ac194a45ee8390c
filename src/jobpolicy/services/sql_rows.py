"""Rows computed in Python, sent to SQL as a CTE: the per-item facts a national aggregation joins on."""

from __future__ import annotations

from sqlalchemy import CTE, Float, cast, literal, select, union_all
from sqlalchemy.types import TypeEngine

COMPOUND = 400  # SQLite allows 500 SELECTs in one UNION; more go into nested ones


def rows_cte(name: str, columns: tuple[tuple[str, TypeEngine], ...], rows: list[tuple]) -> CTE:
    """``rows`` (at least one) as a CTE named ``name`` with these (name, type) columns.

    It is a UNION ALL of SELECTs of typed literals rather than VALUES: SQLAlchemy caches the compiled statement
    (it never caches VALUES), and every value is typed, NULLs too (PostgreSQL would take a column of bare NULLs for
    text).
    """
    selects = [select(*(_typed(value, kind).label(column) for (column, kind), value in zip(columns, row, strict=True)))
               for row in rows]
    chunks = [union_all(*selects[i:i + COMPOUND]) if len(selects[i:i + COMPOUND]) > 1 else selects[i]
              for i in range(0, len(selects), COMPOUND)]
    if len(chunks) == 1:
        return chunks[0].cte(name)
    return union_all(*(select(chunk.subquery()) for chunk in chunks)).cte(name)


def _typed(value, kind: TypeEngine):
    # psycopg is told the type of a date, text or integer parameter, not of a float: say it, or a NULL is text.
    bound = literal(value, kind)
    return cast(bound, kind) if isinstance(kind, Float) else bound
