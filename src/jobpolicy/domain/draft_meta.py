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

from jobpolicy.domain.document_dates import date_of_line
from jobpolicy.domain.source_text import SourceDocument, SourceUnit, UnitKind

_SOURCE_RE = re.compile(r"^来源[：:]\s*(?P<source>.+)$")
_DOCUMENT_NUMBER_RE = re.compile(r"[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d+\s*号$")  # 晋教学〔2025〕1号: not the title


@dataclass(frozen=True, slots=True)
class DraftMeta:
    """What the lines outside the measures say; None where the text does not say it."""

    title: str | None
    issuer: str | None
    issued: date | None
    source: str | None
    notes: tuple[tuple[str, str], ...]  # (where, paragraph) in document order


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
