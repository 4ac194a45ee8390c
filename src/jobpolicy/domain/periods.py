"""Recurring obligations: RRULE expansion into periods and due dates, and their Chinese description."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice, takewhile
from typing import NamedTuple

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
from jobpolicy.domain.values import normalise, parse_user_date
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


# A report judges the same few (cadence, day) and (cadence, period) pairs for every school it covers, and each answer
# expands the RRULE again: these pure lookups are remembered, so thousands of schools cost what one does.
DUE_CACHE = 8192


@lru_cache(maxsize=DUE_CACHE)
def next_due(cadence: Cadence, after: date) -> date | None:
    """The first due date on or after ``after``, or None when the rule has ended."""
    found = _rule(cadence).after(datetime.combine(after, time()), inc=True)
    return found.date() if found else None


@lru_cache(maxsize=DUE_CACHE)
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


@lru_cache(maxsize=DUE_CACHE)
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


# Reading a period as offices write it. A period is named by a span of time, in any of these spellings (after
# full-width characters are folded and spaces removed; a two-digit year only where 年 labels it, as 26年 = 2026):
#   year     2026  2026年  2026年度  26年
#   half     2026年上半年  2026年下半年  2026H1
#   quarter  2026年第3季度  2026年三季度  2026Q3  2026-Q3
#   month    2026-10  2026/10  2026.10  2026年10月  2026年10月份  26年10月
#   week     2026-W37  2026W37  2026年第37周
#   day      any date parse_user_date reads (2026-10-31, 2026/10/31, 2026年10月31日, 26年10月31日 …)
# A span no longer than the cadence's own period names the period that holds it (2026年10月 of a yearly item is
# 2026; the date 2025/9/1 that Excel makes of 2025-09 is September's period); a longer one names the single
# occurrence due in it (2026年第3季度 of a quarterly item). A span that names no period of the cadence, or
# several (2026年 of a monthly item, a week across two months), is refused, saying which.
_Y = r"(?P<y>\d{4}|\d{2}(?=年))年?"  # four digits, or two labelled by 年
_YL = r"(?P<y>\d{4}|\d{2})年"
_SPELLINGS = {
    "year": (r"(?P<y>\d{4})(?:年度?)?", r"(?P<y>\d{2})年度?"),
    "half": (rf"{_Y}(?P<n>上|下)半年度?", r"(?P<y>\d{4})-?H(?P<n>[12])"),
    "quarter": (rf"{_Y}第?(?P<n>[1-4一二三四])季度?", r"(?P<y>\d{4})-?Q(?P<n>[1-4])"),
    "month": (r"(?P<y>\d{4})[-/.](?P<n>\d{1,2})", rf"{_YL}(?P<n>\d{{1,2}})月份?"),
    "week": (r"(?P<y>\d{4})-?W(?P<n>\d{1,2})", rf"{_YL}第(?P<n>\d{{1,2}})周"),
}
_SPANS = {kind: [re.compile(p, re.IGNORECASE) for p in patterns] for kind, patterns in _SPELLINGS.items()}
_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half": 4, "year": 5}  # how long each span is
_FREQ_RANK = {"DAILY": 0, "WEEKLY": 1, "MONTHLY": 2, "YEARLY": 5}
_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "上": 1, "下": 2}
_FREQ_WORDS = {"YEARLY": "按年", "MONTHLY": "按月", "WEEKLY": "按周", "DAILY": "按日"}


class Span(NamedTuple):
    """A stretch of days a period's name stands for, both ends included."""

    kind: str
    start: date
    end: date


def read_span(value: str | date) -> Span | None:
    """The span of time ``value`` names (see the spellings above), or None."""
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return Span("day", day, day)
    text = re.sub(r"\s+", "", normalise(value))
    for kind, patterns in _SPANS.items():
        for pattern in patterns:
            match = pattern.fullmatch(text)
            if match:
                year = int(match.group("y"))
                year = year + 2000 if year < 100 else year
                if not EARLIEST.year <= year <= LATEST.year:  # the span's end would overflow a date
                    return None
                return _span(kind, year, match.groupdict().get("n"))
    day = parse_user_date(text)
    return Span("day", day, day) if day is not None else None


def _span(kind: str, year: int, number: str | None) -> Span | None:
    n = _NUMBERS.get(number, 0) if number in _NUMBERS else int(number or 0)
    try:
        if kind == "year":
            return Span(kind, date(year, 1, 1), date(year, 12, 31))
        if kind == "week":
            start = date.fromisocalendar(year, n, 1)
            return Span(kind, start, start + timedelta(days=6))
        months = {"half": 6, "quarter": 3, "month": 1}[kind]
        first = date(year, (n - 1) * months + 1, 1)
    except ValueError:  # month 13, week 54…
        return None
    after = date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return Span(kind, first, after - timedelta(days=1))


def _labels(cadence: Cadence, span: Span) -> list[str]:
    """The labels of the cadence's periods that ``span`` names (see above)."""
    if _RANK[span.kind] <= _FREQ_RANK.get(frequency(cadence), 5):
        labels = list(dict.fromkeys(period_label(cadence, d) for d in (span.start, span.end)))  # a week may straddle
    else:
        labels = list(dict.fromkeys(period_label(cadence, d) for d in occurrences(cadence, span.start, span.end)))
    return [label for label in labels if period_due(cadence, label) is not None]


@lru_cache(maxsize=DUE_CACHE)  # an import reads the same few periods in every school's workbook
def parse_period(cadence: Cadence, value: str | date) -> str | None:
    """The label of the one period of ``cadence`` that ``value`` names, in any spelling above; None if none."""
    span = read_span(value)
    labels = _labels(cadence, span) if span is not None else []
    return labels[0] if len(labels) == 1 else None


def period_forms(cadence: Cadence, label: str) -> str:
    """How the period ``label`` may be written, for hints: ``2026-10、2026/10 或 2026年10月``."""
    freq = frequency(cadence)
    if freq == "YEARLY":
        return f"{label} 或 {label}年"
    if freq == "MONTHLY":
        year, month = label.split("-")
        return f"{label}、{year}/{int(month)} 或 {year}年{int(month)}月"
    if freq == "WEEKLY":
        year, week = label.split("-W")
        return f"{label} 或 {year}年第{int(week)}周"
    day = date.fromisoformat(label)
    return f"{label}、{day.year}/{day.month}/{day.day} 或 {day.year}年{day.month}月{day.day}日"


def period_refusal(cadence: Cadence, value: str | date, today: date) -> tuple[str, str]:
    """Why ``value`` names no single period of ``cadence`` (words after ``无效：``), and a hint with examples."""
    span = read_span(value)
    word = _FREQ_WORDS.get(frequency(cadence), "定期")
    if span is None:
        reason = f"该项{word}填报，看不出是哪一期"
    else:
        found = len(_labels(cadence, span))
        reason = (f"该项{word}填报，这段时间内有 {found} 期，须写明是哪一期" if found > 1
                  else f"该项没有这一期（{describe(cadence)}）")
    examples = example_periods(cadence, today)
    recent = f"（最近的期次：{'、'.join(examples)}）" if examples else ""
    return reason, f"期次可写作 {period_forms(cadence, examples[-1])}{recent}" if examples else reason
