"""Recurring obligations: RRULE expansion into periods and due dates, and their Chinese description."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import islice, takewhile

from dateutil.rrule import rrule, rrulestr

from jobpolicy.domain.catalog import Cadence
from jobpolicy.domain.limits import (
    EARLIEST,
    LATEST,
    MAX_COUNT,
    MAX_INTERVAL,
    MAX_OCCURRENCES,
    RRULE_FREQS,
    RRULE_PARTS,
)
from jobpolicy.errors import CatalogError

ONCE = "once"


def shown_period(period: str) -> str:
    """A period as people see it in tables: blank for one-off items, the label otherwise."""
    return "" if period == ONCE else period

_FREQ_LABELS = {"YEARLY": "每年", "MONTHLY": "每月", "WEEKLY": "每周", "DAILY": "每天"}
_WEEKDAYS = {"MO": "一", "TU": "二", "WE": "三", "TH": "四", "FR": "五", "SA": "六", "SU": "日"}


def _parts(rule: str) -> dict[str, str]:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    return dict(part.split("=", 1) for part in text.upper().split(";") if "=" in part)


def frequency(cadence: Cadence) -> str:
    """The FREQ of a cadence (YEARLY, MONTHLY, WEEKLY, DAILY)."""
    return _parts(cadence.rrule).get("FREQ", "YEARLY")


def bounds_problem(rule: str) -> str | None:
    """Why a rule could expand without bound (a frequency finer than a week, an interval, count or end date
    out of bounds, a part such as BYHOUR), said after the rule (``周期规则“…”``), or None; see ``limits``."""
    parts = _parts(rule)
    if parts.get("FREQ") not in RRULE_FREQS:
        return f"的频率 FREQ 只能是 {'、'.join(RRULE_FREQS)}"
    unknown = [name for name in parts if name not in RRULE_PARTS]
    if unknown:
        return f"不能用 {'、'.join(unknown)}（可用：{'、'.join(RRULE_PARTS)}）"
    for name, most in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_COUNT)):
        if name in parts and not (parts[name].isdigit() and 1 <= int(parts[name]) <= most):
            return f"的 {name} 应为 1 到 {most} 之间的整数"
    until = parts.get("UNTIL", "")[:8]
    if until and not (until.isdigit() and EARLIEST.year <= int(until[:4]) <= LATEST.year):
        return f"的 UNTIL 应为 {EARLIEST.year} 至 {LATEST.year} 年间的日期（如 UNTIL=20301231）"
    return None


def _rule(cadence: Cadence) -> rrule:
    # The catalog checks refuse unbounded rules before anything is stored; this keeps any that slipped by
    # (an older stored catalog) from running away.
    if (problem := bounds_problem(cadence.rrule)) is not None:
        raise CatalogError(f"周期规则“{cadence.rrule}”{problem}", hint="运行 jobpolicy policy validate 检查政策清单")
    start = datetime.combine(cadence.start, time())
    return rrulestr(cadence.rrule.removeprefix("RRULE:"), dtstart=start)


def occurrences(cadence: Cadence, start: date, end: date) -> list[date]:
    """Due dates of the cadence between ``start`` and ``end``, both included; never more than MAX_OCCURRENCES,
    never after LATEST."""
    lo = datetime.combine(max(start, cadence.start), time())
    hi = datetime.combine(min(end, LATEST), time())
    if lo > hi:
        return []
    found = takewhile(lambda d: d <= hi, _rule(cadence).xafter(lo, inc=True))
    return [d.date() for d in islice(found, MAX_OCCURRENCES)]


def next_due(cadence: Cadence, after: date) -> date | None:
    """The first due date on or after ``after``, or None when the rule has ended."""
    found = _rule(cadence).after(datetime.combine(after, time()), inc=True)
    return found.date() if found else None


def previous_due(cadence: Cadence, before: date) -> date | None:
    """The last due date strictly before ``before``, or None."""
    found = _rule(cadence).before(datetime.combine(before, time()), inc=False)
    return found.date() if found else None


def period_label(cadence: Cadence, due: date) -> str:
    """The period an occurrence belongs to: ``2025``, ``2025-09``, ``2025-W37`` or ``2025-09-01``."""
    freq = frequency(cadence)
    if freq == "YEARLY":
        return f"{due.year}"
    if freq == "MONTHLY":
        return f"{due.year}-{due.month:02d}"
    if freq == "WEEKLY":
        year, week, _ = due.isocalendar()
        return f"{year}-W{week:02d}"
    return due.isoformat()


def describe(cadence: Cadence) -> str:
    """A short Chinese description, e.g. ``每年 12月31日前`` or ``每月最后一天前（7–12月）``."""
    parts = _parts(cadence.rrule)
    text = _FREQ_LABELS.get(parts.get("FREQ", ""), "定期")
    months = parts.get("BYMONTH")
    days = parts.get("BYMONTHDAY")
    if parts.get("FREQ") == "YEARLY" and months and days:
        text += f" {months.replace(',', '、')}月{_day(days)}前"
    else:
        if days:
            text += f" {_day(days)}前"
        if "BYDAY" in parts:
            text += " 周" + "、".join(_WEEKDAYS.get(d[-2:], d) for d in parts["BYDAY"].split(","))
        if months:
            text += f"（{months.replace(',', '、')}月）"
    if "INTERVAL" in parts and parts["INTERVAL"] != "1":
        text += f"，间隔 {parts['INTERVAL']}"
    return text + f"，自 {cadence.start.isoformat()} 起"


def _day(days: str) -> str:
    return "、".join("最后一天" if d == "-1" else f"{d}日" for d in days.split(","))


def period_due(cadence: Cadence, period: str) -> date | None:
    """The due date of the occurrence labelled ``period``, or None when the rule has no such occurrence."""
    year = int(period[:4]) if period[:4].isdigit() else None
    if year is None or not EARLIEST.year <= year <= LATEST.year:
        return None
    # ISO weeks can straddle the new year, so look one year either side.
    for due in occurrences(cadence, date(year - 1, 12, 1), date(year + 1, 1, 31)):
        if period_label(cadence, due) == period:
            return due
    return None


def current_period(cadence: Cadence, today: date) -> str:
    """The occurrence being worked on: the next one due on or after ``today``, else the last one."""
    due = next_due(cadence, today) or previous_due(cadence, today) or cadence.start
    return period_label(cadence, due)


def example_periods(cadence: Cadence, today: date) -> list[str]:
    """A few valid period labels around ``today``, for error hints."""
    due = next_due(cadence, today)
    before = previous_due(cadence, today)
    return [period_label(cadence, d) for d in (before, due) if d is not None]

