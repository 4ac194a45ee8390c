"""Values as offices type them (dates, numbers, URLs), and the text form the event log stores them in."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

# 2025-06-30, 2025/6/30, 2025.6.30, 2025年6月30日 (full-width digits are folded first)
_DATE_RE = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, which absorbs its 1900 leap-year bug for dates after March 1900


def normalise(text: str) -> str:
    """Fold full-width characters (as typed with a Chinese input method) and strip."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_user_date(text: str) -> date | None:
    """Return the date of ``2025-06-30``, ``2025/6/30``, ``2025.6.30`` or ``2025年6月30日``; None if not a date."""
    match = _DATE_RE.fullmatch(normalise(text))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def excel_serial_to_date(serial: float) -> date | None:
    """Return the date of an Excel serial number (1900 system), or None outside 1900–9999."""
    if not 61 <= serial < 2_958_466:
        return None
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_number(text: str) -> float | None:
    """Return the number in ``12``, ``12.5``, ``1,200`` or ``９８%``; None if not a number."""
    value = normalise(text).replace(",", "").removesuffix("%").strip()
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


def neutralise(text: str) -> str:
    """Text a spreadsheet would read as a formula, with a leading apostrophe so it stays text; else unchanged."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return FORMULA_GUARD + text
    return text


def restore(text: str) -> str:
    """Undo ``neutralise``: strip the apostrophe it added, and only that."""
    rest = text[1:]
    if text.startswith(FORMULA_GUARD) and rest.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(rest):
        return rest
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
