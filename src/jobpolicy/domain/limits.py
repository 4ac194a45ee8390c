"""The bounds every date, number, id and recurrence must keep, so that no input overflows arithmetic or storage
and no recurrence rule can keep the tool busy: one rule each, checked where a value is parsed."""

from __future__ import annotations

import math
from datetime import date

from jobpolicy.errors import InvalidInput

# Dates: a policy, a deadline, a plan date or an as-of date lies within these. Far enough either side of any
# real obligation, and far from Python's year 1 and 9999, where a day or a year added overflows.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
DATE_RANGE = f"{EARLIEST.isoformat()} 至 {LATEST.isoformat()}"

MAX_DAYS = 36_500  # a span in days (deadlines --within): a hundred years
MAX_NUMBER = 1e12  # an indicator value or target: counts and ratios, never near a float's limits
MAX_WEIGHT = 1_000.0  # an item's weight: sums over thousands of items stay exact and finite

# Recurrence: the cadences of a policy. Finer rules (HOURLY, MINUTELY, SECONDLY) would give thousands of periods a
# day, and dateutil searches a rule that never matches period by period up to the year 9999: for DAILY that takes
# about ten seconds, for SECONDLY days.
RRULE_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
RRULE_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "BYYEARDAY",
               "BYWEEKNO", "WKST")
MAX_INTERVAL = 12
MAX_COUNT = 1_000
MAX_OCCURRENCES = 110_000  # any expansion stops here: daily from EARLIEST to LATEST is 109,938 dates

# Lengths of the ids the database keeps (storage/models.py takes its column lengths from here; PostgreSQL
# enforces them, SQLite does not, so a catalog is checked against them before it is loaded).
ID_LENGTHS = {"policy": 64, "version": 32, "section": 32, "measure": 48, "item": 64}


def in_range(day: date) -> bool:
    """Whether ``day`` lies within EARLIEST..LATEST."""
    return EARLIEST <= day <= LATEST


def require_date(day: date, what: str) -> date:
    """``day`` itself when it lies in range.

    Raises:
        InvalidInput: it does not; the message names ``what`` (e.g. ``--as-of 的日期``) and the range.
    """
    if not in_range(day):
        raise InvalidInput(f"{what}“{day.isoformat()}”超出可用范围", hint=f"日期应在 {DATE_RANGE} 之间")
    return day


def require_days(days: int, option: str) -> int:
    """``days`` itself when it is a span of 0 to MAX_DAYS days.

    Raises:
        InvalidInput: it is negative or longer.
    """
    if days < 0:
        raise InvalidInput(f"天数 {days} 无效：不能为负数", hint=f"给出 0 或正整数，如 {option} 30")
    if days > MAX_DAYS:
        raise InvalidInput(f"天数 {days} 太大", hint=f"给出 0 到 {MAX_DAYS} 之间的整数，如 {option} 30")
    return days


def number_problem(value: float) -> str | None:
    """Why ``value`` is no usable number (not finite, or beyond ±MAX_NUMBER), or None."""
    if not math.isfinite(value):
        return "不是有限的数"
    if abs(value) > MAX_NUMBER:
        return f"超出范围（绝对值应不超过 {MAX_NUMBER:,.0f}）"
    return None

# Evidence files (佐证材料): a scanned 人才培养方案 or a phone photo is a few MB; 20 MB takes a long scanned PDF. A
# package (one record set, or one returned workbook's zip or folder) holds at most 200 MB and 500 files, so that a
# province importing a hundred schools' packages never fills a disk by surprise.
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_PACKAGE_BYTES = 200 * 1024 * 1024
MAX_PACKAGE_FILES = 500
MAX_EVIDENCE_RATIO = 200  # a zip member that unpacks more than 200× (documents compress ≤ 20×) is a zip bomb


def megabytes(size: int) -> str:
    """A size as people read it, e.g. ``20 MB``, ``3.4 MB``, or ``300 KB`` under a megabyte."""
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.0f} KB" if size >= 1024 else f"{size} 字节"
    value = size / 1024 / 1024
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
