"""Values as offices type them (dates, numbers, URLs), and the text form the event log stores them in."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, which absorbs its 1900 leap-year bug for dates after March 1900
SERIAL_YEARS = range(2000, 2100)  # a whole number read as a date only in these years (see ``cell_date``)
DATE_EXAMPLES = "2025-06-30、2025/6/30 或 2025年6月30日"

# The dates offices type, and the ones Excel, WPS and LibreOffice show in a zh-CN locale (docs/cli.md, 日期的写法):
# the year first, in four digits, then month and day separated by - / . or labelled 年 月 日 (号); a two-digit year
# only where 年 labels it (LibreOffice's default 26年12月31日); eight digits 20251231. A weekday (星期四, 周四) and a
# time (0:00:00) after the date are allowed. Full-width digits and separators are folded first.
_YEAR_MONTH_DAY = (r"(?:(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"
                   r"|(?P<ly>\d{4}|\d{2})\s*年\s*(?P<lm>\d{1,2})\s*月\s*(?P<ld>\d{1,2})\s*[日号]?"
                   r"|(?P<cy>\d{4})(?P<cm>\d{2})(?P<cd>\d{2}))")
_WEEKDAY_TAIL = r"(?:\s*[,，]?\s*\(?\s*(?:星期|周|礼拜)(?P<w>[一二三四五六日天])\s*\)?)?"
_TIME_TAIL = r"(?:\s*[T\s]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_RE = re.compile(_YEAR_MONTH_DAY + _WEEKDAY_TAIL + _TIME_TAIL)
_WEEKDAYS = "一二三四五六日"
# Spellings refused with a reason rather than guessed at.
_YEAR_LAST = re.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}")  # 12/31/2025 or 31/12/2025?
_SHORT_YEAR = re.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}")  # 25/6/30: 2025 or 2030?
_NO_YEAR = re.compile(r"\d{1,2}\s*(?:[-/.]\s*\d{1,2}|月\s*\d{1,2}\s*[日号]?)")  # 6/30, 6月30日


def normalise(text: str) -> str:
    """Fold full-width characters (as typed with a Chinese input method) and strip."""
    return unicodedata.normalize("NFKC", text).strip()


_SPACES = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")  # \s holds the full-width and no-break spaces too


def without_spaces(text: str) -> str:
    """``text`` folded as ``normalise`` does, with every space removed: ordinary, full-width (U+3000), no-break
    (U+00A0, as pasted from a web page) and zero-width. For words that never hold a space, such as a status."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def _read_date(text: str) -> tuple[date | None, str]:
    """The date ``text`` names and "", or None and why not (see ``date_problem``)."""
    value = normalise(text)
    match = _DATE_RE.fullmatch(value)
    if not match:
        for pattern, why in ((_YEAR_LAST, "无效：分不清月和日，请把四位年份写在前面"),
                             (_SHORT_YEAR, "无效：分不清哪一段是年份，请写四位年份"), (_NO_YEAR, "无效：缺少年份")):
            if pattern.fullmatch(value):
                return None, why
        return None, "无效"
    spelling = next(prefix for prefix in ("", "l", "c") if match.group(f"{prefix}y"))
    written = match.group(spelling + "y")
    year, month, day = (int(match.group(spelling + part)) for part in "ymd")
    try:
        # only a year written in two digits (26年) is this century's: 0001 is year 1, refused by the range check
        found = date(year + 2000 if len(written) == 2 else year, month, day)
    except ValueError:
        return None, "无效：没有这一天"
    weekday = match.group("w")
    if weekday is not None and _WEEKDAYS[found.weekday()] != weekday.replace("天", "日"):
        return None, f"无效：{found.isoformat()} 是星期{_WEEKDAYS[found.weekday()]}"
    return found, ""


def parse_user_date(text: str) -> date | None:
    """Return the date of ``2025-06-30``, ``2025/6/30``, ``2025.6.30``, ``2025年6月30日``, ``25年6月30日`` or
    ``20250630`` (with an optional weekday and time after it); None if not a date."""
    return _read_date(text)[0]


def date_problem(text: str) -> str:
    """Why ``text`` is not a date, to follow it quoted in a message: ``无效``, or ``无效：`` and the reason."""
    return _read_date(text)[1] or "无效"


def excel_serial_to_date(serial: float) -> date | None:
    """Return the date of an Excel serial number (1900 system), or None outside 1900–9999."""
    if not 61 <= serial < 2_958_466:
        return None
    return EXCEL_EPOCH + timedelta(days=int(serial))


# A date cell before this day is a number typed into a date cell (2025, 630, 1231 are days 2025, 630, 1231 after
# 1899-12-30), never a plan date: no employment office plans for 1905.
TYPED_NUMBER_BEFORE = date(1906, 1, 1)


def excel_serial(day: date) -> int:
    """The Excel serial number (1900 system) of ``day``: what was typed when a date cell shows ``day``."""
    serial = (day - EXCEL_EPOCH).days
    return serial if serial > 60 else serial - 1  # before March 1900 Excel counts its phantom 1900-02-29 too


def cell_date(value: object) -> date | None:
    """The date in a spreadsheet cell: a date cell, text ``parse_user_date`` reads, or an Excel serial number.

    A number (or, in a CSV, its digits) is read as a serial only when it falls in 2000–2099: a workbook saved in a
    Chinese locale may store a date cell as a bare serial whose format only the spreadsheet knows (built-in formats
    such as ``yyyy"年"m"月"d"日"``), while outside that window a number is far likelier a typo (``2025``, ``630``)
    than a deadline.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        found = parse_user_date(value)
        if found is not None or not normalise(value).isdigit():
            return found
        value = int(normalise(value))
    if not isinstance(value, int | float):
        return None
    found = excel_serial_to_date(float(value))
    return found if found is not None and found.year in SERIAL_YEARS else None


_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def parse_number(text: str) -> float | None:
    """Return the number in ``12``, ``12.5``, ``1,200`` or ``９８%``; None if not a number."""
    value = normalise(text).removesuffix("%").strip()
    if "," in value and not _GROUPED.fullmatch(value):  # 1,2,3 is a list, not 123
        return None
    value = value.replace(",", "")
    if "_" in value:  # Python reads 1_000 as 1000; no office writes a number so
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


# Text a spreadsheet would read as a formula starts with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
# A plain number is data to a spreadsheet, never a formula: "-3" or "+1.5e3" stays as it is.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# A number a spreadsheet shows exactly as written: no plus, no leading or trailing zeros, no exponent.
AS_SHOWN = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
SPREADSHEET_DIGITS = 15  # Excel keeps 15 significant digits of a number; the rest become zeros


def _formula_like(core: str) -> bool:
    return core.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(core)


def rewritten_as_number(text: str) -> bool:
    """Whether a spreadsheet opening a CSV would turn ``text`` into a number shown otherwise: a phone number
    ``+8613800000000`` (plus dropped, then 8.6138E+12), ``00123`` (123), 18 digits (the last three become 0)."""
    if not PLAIN_NUMBER.fullmatch(text):
        return False
    return not AS_SHOWN.fullmatch(text) or sum(c.isdigit() for c in text) > SPREADSHEET_DIGITS


def neutralise(text: str, *, numbers: bool = False) -> str:
    """``text`` with a leading apostrophe where a spreadsheet would otherwise not keep it as this text; else
    unchanged. Guarded: a formula (``=1+1``); with ``numbers`` (a CSV, where every cell is typed by the program
    that opens it) a number it would rewrite (``rewritten_as_number``); and text that already starts with
    apostrophes before either (``'=1+1`` becomes ``''=1+1``), so that ``restore`` takes exactly one away."""
    core = text.lstrip(FORMULA_GUARD)
    guarded = _formula_like(core) or ((numbers or core != text) and rewritten_as_number(core))
    return FORMULA_GUARD + text if guarded else text


def restore(text: str) -> str:
    """Undo ``neutralise``: strip the apostrophe it added, and only that."""
    core = text.lstrip(FORMULA_GUARD)
    if text.startswith(FORMULA_GUARD) and (_formula_like(core) or rewritten_as_number(core)):
        return text[1:]
    return text


def is_web_url(text: str) -> bool:
    """Whether ``text`` is an http or https URL (the only links a report will make clickable)."""
    return bool(re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text.strip(), flags=re.IGNORECASE))


def encode(value: object) -> str | None:
    """The text an event stores for a field value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) and abs(value) < 1e15 else repr(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


# How to read each record field back out of the event log.
FIELD_TYPES: dict[str, type] = {
    "status": str, "progress": int, "owner": str, "department": str, "due": date, "value": float,
    "note": str, "na_reason": str, "review": str, "review_reason": str, "reassess": bool,
    "reassess_reason": str, "item_id": str,
}


def decode(field: str, text: str | None) -> object:
    """The field value an event's text stands for."""
    if text is None:
        return None
    kind = FIELD_TYPES.get(field, str)
    if kind is int:
        return int(text)
    if kind is float:
        return float(text)
    if kind is date:
        return date.fromisoformat(text)
    if kind is bool:
        return text == "true"
    return text
