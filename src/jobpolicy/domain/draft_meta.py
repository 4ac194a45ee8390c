"""What a drafted catalog takes from a policy's unnumbered lines: source, title, issuer, date, and the notes.

A policy text opens with its title and a date line (``（2024年11月3日）``), often after a line saying where it was
taken from (``来源：…``, as the texts in ``policies/sources`` have), and may end with a signature and a date. Every
other line outside the numbered measures (the preamble, a part without items such as 总体要求, the closing) is kept
as a note, with where it stands, so nothing of the text is lost from the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jobpolicy.domain.limits import in_range
from jobpolicy.domain.source_text import SourceDocument, SourceUnit, UnitKind

_SOURCE_RE = re.compile(r"^来源[：:]\s*(?P<source>.+)$")
_DOCUMENT_NUMBER_RE = re.compile(r"[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d+\s*号$")  # 晋教学〔2025〕1号: not the title
_YEAR_DIGITS = {**{c: str(n) for n, c in enumerate("〇一二三四五六七八九")}, "○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_SMALL = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}
_ARABIC_DATE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
_CHINESE_DATE = re.compile(r"^(?P<y>[〇○零ＯO一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月"
                           r"(?P<d>[一二三四五六七八九十]{1,3})日$")


@dataclass(frozen=True, slots=True)
class DraftMeta:
    """What the lines outside the measures say; None where the text does not say it."""

    title: str | None
    issuer: str | None
    issued: date | None
    source: str | None
    notes: tuple[tuple[str, str], ...]  # (where, paragraph) in document order


def _small_number(text: str) -> int | None:
    """一 to 三十一 as written in dates (十二, 二十三, 三十一)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _SMALL.get(text[1:], 99)
    tens, _, ones = text.partition("十")
    if "十" in text:
        return _SMALL.get(tens, 99) * 10 + (_SMALL.get(ones, 99) if ones else 0)
    return _SMALL.get(text)


def date_of_line(line: str) -> date | None:
    """The date a line consists of (``（2024年11月3日）``, ``二〇二五年四月八日``), or None."""
    text = "".join(line.split()).strip("（）()")
    if match := _ARABIC_DATE.match(text):
        parts = (int(match["y"]), int(match["m"]), int(match["d"]))
    elif match := _CHINESE_DATE.match(text):
        month, day = _small_number(match["m"]), _small_number(match["d"])
        parts = (int("".join(_YEAR_DIGITS[c] for c in match["y"])), month or 0, day or 0)
    else:
        return None
    try:
        day = date(*parts)
    except ValueError:
        return None
    return day if in_range(day) else None


def _may_be_title(line: str) -> bool:
    """Not a date, a note in parentheses or a document number (晋教学〔2025〕1号)."""
    return date_of_line(line) is None and not line.startswith(("（", "(")) and not _DOCUMENT_NUMBER_RE.search(line)


def _issuer(title: str) -> str | None:
    """The issuing bodies a title names before 关于: ``中共中央办公厅 国务院办公厅关于…`` → the two offices."""
    before, found, _ = title.partition("关于")
    return (before.strip() or None) if found else None


def read_meta(document: SourceDocument) -> DraftMeta:
    """Source, title, issuer and date from the lines outside the numbered units, and those lines as notes."""
    lines = document.text.replace("\r", "").split("\n")
    first = document.units[0].line if document.units else len(lines) + 1
    head = [(n, line.strip()) for n, line in enumerate(lines[: first - 1], start=1) if line.strip()]
    used: set[int] = set()
    source = None
    if head and (match := _SOURCE_RE.match(head[0][1])):
        source = match["source"].strip()
        used.add(head[0][0])
    title_line = next(((n, text) for n, text in head if n not in used and _may_be_title(text)), None)
    if title_line:
        used.add(title_line[0])
    dated = [(n, day) for n, line in enumerate(lines, start=1) if (day := date_of_line(line)) and _outside(document, n)]
    used.update(n for n, _ in dated[:1])
    notes = _notes(document, lines, used)
    title = title_line[1] if title_line else None
    return DraftMeta(title, _issuer(title) if title else None, dated[0][1] if dated else None, source, notes)


def _measure_spans(document: SourceDocument) -> list[tuple[int, int]]:
    return [(u.line, u.last_line) for u in document.measure_units()]


def _outside(document: SourceDocument, line: int) -> bool:
    """Whether a line is in no measure (a date inside a measure's text is the measure's wording)."""
    return not any(start <= line <= end for start, end in _measure_spans(document))


def _where(document: SourceDocument, line: int) -> str:
    part = next((u for u in document.of_kind(UnitKind.PART) if u.line <= line <= u.last_line), None)
    if part is not None:
        return _part_label(part)
    return "正文前" if not document.units or line < document.units[0].line else "正文后"


def _part_label(part: SourceUnit) -> str:
    return f"{part.number}、{part.heading}" if part.number[0] != "第" else f"{part.number}　{part.heading}"


def _notes(document: SourceDocument, lines: list[str], used: set[int]) -> tuple[tuple[str, str], ...]:
    spans = _measure_spans(document)
    headings = {u.line for u in document.of_kind(UnitKind.PART)}
    return tuple(
        (_where(document, n), line.strip()) for n, line in enumerate(lines, start=1)
        if line.strip() and n not in used and n not in headings and not any(a <= n <= b for a, b in spans)
    )
