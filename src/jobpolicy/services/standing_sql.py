"""The lines status judges, in SQL: each item's periods per tracking start, and the rule of ``domain/standing.py``.

Which periods of an item status looks at, and which of them are 启用前, depend only on the item, the institution's
effective tracking start and the day (``domain.scoring.status_lines``, ``domain.standing.before_start``). So they
are computed in Python once per distinct start, and the institutions join them on their start: never a query per
institution. Starts that give every item the same lines share one range ``[lo, hi]`` of the CTE, so a database
whose schools were added on hundreds of different days still sends a handful of rows per item.

``standing_sql`` is ``domain.standing.standing`` written as one SQL ``CASE``; a property test runs both over random
histories and dates on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import CTE, ColumnElement, Date, Dialect, Float, Integer, String, case, literal

from jobpolicy.domain.catalog import Actor, Item, Policy
from jobpolicy.domain.mapping import Source
from jobpolicy.domain.scoring import StatusLine, status_lines
from jobpolicy.domain.standing import Standing, before_start, effective_start
from jobpolicy.domain.status import Status
from jobpolicy.services.as_of import end_of_day, start_of_day
from jobpolicy.services.sql_rows import rows_cte
from jobpolicy.storage.models import UTCDateTime


def standing_sql(*, deadline: ColumnElement, late_from: ColumnElement, start: ColumnElement,
                 status: ColumnElement, status_at: ColumnElement, today: date) -> ColumnElement:
    """Where a line stands on ``today``, as SQL giving a ``Standing`` value.

    ``late_from`` is the first instant after the deadline's day ends in China (``end_of_day(deadline)``): a status
    set at or after it was set after the deadline. A NULL deadline, start or status compares as false, which is
    the domain rule's "no deadline", "no start" and "nothing recorded".
    """
    return case(
        (deadline < start, Standing.BEFORE_START.value),
        (status == Status.NOT_APPLICABLE.value, Standing.NOT_APPLICABLE.value),
        (status == Status.DONE.value,
         case((status_at >= late_from, Standing.DONE_LATE.value), else_=Standing.DONE.value)),
        (deadline < literal(today, Date()), Standing.OVERDUE.value),
        else_=Standing.NOT_DUE.value,
    )


def effective_start_sql(institution_start: ColumnElement, database_start: date | None) -> ColumnElement:
    """``domain.standing.effective_start`` of an institution's start column and the database's start."""
    if database_start is None:
        return institution_start
    wanted = literal(database_start, Date())
    return case((institution_start < wanted, wanted), else_=institution_start)


def _items(policy: Policy) -> list[Item]:
    return [item for item in policy.items() if item.actor is Actor.UNIVERSITY]


Lines = tuple[tuple[str, StatusLine, bool], ...]  # (item id, line, whether it is 启用前) of every item


def _ranges(items: list[Item], on: date, starts: Iterable[date],
            database_start: date | None) -> list[tuple[date, date, Lines]]:
    """Sorted distinct starts grouped into ranges in which every item has the same lines, each as much 启用前."""
    ranges: list[tuple[date, date, Lines]] = []
    for start in sorted(set(starts)):
        effective = effective_start(start, database_start)
        lines = tuple((item.id, line, before_start(line.deadline, effective))
                      for item in items for line in status_lines(item, on, effective))
        if ranges and ranges[-1][2] == lines:
            ranges[-1] = (ranges[-1][0], start, lines)
        else:
            ranges.append((start, start, lines))
    return ranges


_COLUMNS = (("lo", Date()), ("hi", Date()), ("item_id", String()), ("period", String()), ("deadline", Date()),
            ("late_from", UTCDateTime()), ("window_start", UTCDateTime()), ("counted", Integer()),
            ("before_start", Integer()), ("section_id", String()), ("weight", Float()), ("comparator", String()),
            ("target", Float()), ("recurring", Integer()), ("reference", Integer()), ("levels", String()),
            ("provinces", String()), ("measure_id", String()), ("via_policy", String()), ("via_item", String()))


def _facts(policy: Policy, item: Item) -> tuple:
    """What the rates need of an item: its section, weight, indicator, cadence, applicability."""
    indicator = item.indicator
    return (policy.section_of(item.id).id, item.weight, indicator.comparator if indicator else None,
            indicator.target if indicator else None, int(item.cadence is not None), int(item.reference_indicator),
            ",".join(item.applies_to.levels), ",".join(item.applies_to.provinces), policy.measure_of(item.id).id)


def _via(source: Source | None) -> tuple[str | None, str | None]:
    return (source.policy_id, source.item_id) if source is not None else (None, None)


def _wanted(part: str, line: StatusLine, before: bool) -> bool:
    if part == "rated":
        return line.counted and not before
    if part == "others":
        return not line.counted or before
    return True


def lines_cte(policy: Policy, on: date, starts: Iterable[date], database_start: date | None, *, dialect: Dialect,
              part: str = "all", sources: dict[str, Source] | None = None) -> CTE | None:
    """The lines of every university item for institutions whose own start is in ``starts``, as a CTE for a
    database of ``dialect`` (``sql_rows.rows_cte``).

    ``part`` picks some of them: ``rated`` the lines the rates count (each item's counted period, unless 启用前);
    ``others`` the rest (earlier occurrences, which only 累计逾期 looks at, and 启用前 lines); ``all`` every line.

    Columns: ``lo``, ``hi`` (the range of institution starts, ``institution.tracking_start``, a row is for),
    ``item_id``, ``period``, ``deadline`` (the policy's), ``late_from`` (see ``standing_sql``), ``window_start``
    (the first instant evidence for the period can belong to), ``counted`` (1 for the period the rates count, 0 for
    an earlier occurrence), ``before_start`` (1 for a 启用前 line, ``domain.standing.before_start``),
    ``reference`` (1 when the indicator is a 参考指标), ``measure_id`` (its 举措), ``via_policy`` and ``via_item``
    (the item of another policy whose record the line counts when it has none of its own,
    ``domain.mapping.counted_source``; NULL without).
    None when there is no such line.
    """
    items = _items(policy)
    sources = sources or {}
    facts = {item.id: (*_facts(policy, item), *_via(sources.get(item.id))) for item in items}
    rows = []
    for lo, hi, lines in _ranges(items, on, starts, database_start):
        for item_id, line, before in lines:
            if _wanted(part, line, before):
                late_from = end_of_day(line.deadline) if line.deadline else None
                window = start_of_day(line.window_start) if line.window_start else None
                rows.append((lo, hi, item_id, line.period, line.deadline, late_from, window, int(line.counted),
                             int(before), *facts[item_id]))
    if not rows:
        return None
    return rows_cte("lines" if part == "all" else f"{part}_lines", _COLUMNS, rows, dialect)
