"""Recurring obligations: RRULE expansion into periods and due dates, and their Chinese description."""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.rrule import rrule, rrulestr

from jobpolicy.domain.catalog import Cadence

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


def _rule(cadence: Cadence) -> rrule:
    start = datetime.combine(cadence.start, time())
    return rrulestr(cadence.rrule.removeprefix("RRULE:"), dtstart=start)


def occurrences(cadence: Cadence, start: date, end: date) -> list[date]:
    """Due dates of the cadence between ``start`` and ``end``, both included."""
    lo = datetime.combine(max(start, cadence.start), time())
    hi = datetime.combine(end, time())
    if lo > hi:
        return []
    return [d.date() for d in _rule(cadence).between(lo, hi, inc=True)]


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
    if year is None:
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

