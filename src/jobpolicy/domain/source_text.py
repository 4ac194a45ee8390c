"""A policy's official text as numbered units (parts 一、…, items （一）…), and the rule quotes are compared by.

Parsing is by line. A part is a line of its own, ``二、优化培养供给体系``; an item is a paragraph that starts with
a numeral in full-width parentheses, ``（十一）健全困难帮扶机制。…``. Items may be numbered continuously across
parts or restart in each part: either way an item's ref carries its part (``五（十一）``), so refs stay unique.
A unit runs to the next unit of its own kind or of a kind above it (an item ends at the next item or part, a part
at the next part), or to a line wholly in parentheses such as ``（新华社北京4月8日电）`` or ``（此件公开发布）``: such a
note belongs to no unit. Lines before the first unit (source, title, date, preamble) belong to none either.
Further unit kinds (第一条 articles, 1./（1） sub-items) fit in as kinds with a deeper rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_DIGITS = "一二三四五六七八九"


def numeral(value: int) -> str:
    """Write 1–99 as a Chinese numeral, the way documents number their parts: 11 → 十一, 20 → 二十."""
    if not 1 <= value <= 99:
        raise ValueError(f"numeral out of range: {value}")
    tens, ones = divmod(value, 10)
    head = "" if tens == 0 else "十" if tens == 1 else f"{_DIGITS[tens - 1]}十"
    return head + (_DIGITS[ones - 1] if ones else "")


# Built from numeral() so that reading accepts exactly what writing produces (no 一十一, no 十十).
_VALUES = {numeral(n): n for n in range(1, 100)}


def numeral_value(text: str) -> int | None:
    """The value of a Chinese numeral from 一 to 九十九 written the usual way, or None."""
    return _VALUES.get(text)


def comparable(text: str) -> str:
    """The form in which a quote and the source text are compared: every whitespace character removed.

    This is the whole comparison rule. Line breaks and spaces (also the ideographic space) carry no wording in
    Chinese text; every other character must match exactly, so ASCII " differs from “”, and , from ，.
    """
    return "".join(text.split())


def is_verbatim(passage: str, text: str) -> bool:
    """Whether ``passage`` occurs in ``text`` word for word."""
    return comparable(passage) in comparable(text)


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a passage stops being verbatim, in comparable form (no whitespace).

    ``matched`` is the longest start of the passage that the text contains; ``quoted`` is the rest of the
    passage, ``found`` what the text has after ``matched`` (empty when the text ends there). Where ``matched``
    occurs more than once, ``found`` follows the occurrence after which the passage, one character's difference
    allowed, goes on matching longest: that is the place the author copied from.
    """

    matched: str
    quoted: str
    found: str

    @property
    def edit(self) -> str | None:
        """``changed``, ``extra`` or ``missing`` when one character changed, added or left out explains the
        difference (the passage matches again right after it); None otherwise."""
        if not self.matched or not self.found:
            return None
        scores = _edit_scores(self.quoted, self.found)
        best = max(scores, key=scores.__getitem__)
        return best if scores[best] >= _RESUMES else None


_RESUMES = 2  # characters that must match again after a one-character edit for the edit to explain a difference


def _common_start(first: str, second: str) -> int:
    length = 0
    while length < min(len(first), len(second)) and first[length] == second[length]:
        length += 1
    return length


def _edit_scores(quoted: str, found: str) -> dict[str, int]:
    """How far the passage matches again after each kind of one-character edit."""
    return {"changed": _common_start(quoted[1:], found[1:]), "extra": _common_start(quoted[1:], found),
            "missing": _common_start(quoted, found[1:])}


def divergence(passage: str, text: str) -> Divergence | None:
    """Where ``passage`` stops matching ``text``, or None when it is verbatim."""
    quote, source = comparable(passage), comparable(text)
    if quote in source:
        return None
    # Every start of a contained prefix is contained too, so the longest one can be found by bisection.
    low, high = 0, len(quote)  # quote[:low] is in source, quote[:high] is not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if quote[:middle] in source else (low, middle)
    if low == 0:
        return Divergence("", quote, "")
    ends = [m.start() + low for m in re.finditer(re.escape(quote[:low]), source)]
    end = max(ends, key=lambda at: max(_edit_scores(quote[low:], source[at:]).values()))
    return Divergence(quote[:low], quote[low:], source[end:])


class UnitKind(StrEnum):
    """A kind of numbered unit; a unit ends where a unit of its own depth or a shallower one begins."""

    PART = "part"  # 一、总体要求
    ITEM = "item"  # （一）科学研判人才发展趋势及供需状况。…

    @property
    def rank(self) -> int:
        """Depth in the document: parts hold items."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        """Chinese name for messages."""
        return _LABELS[self]


_RANKS = {UnitKind.PART: 1, UnitKind.ITEM: 2}
_LABELS = {UnitKind.PART: "部分", UnitKind.ITEM: "条目"}


@dataclass(frozen=True, slots=True)
class SourceUnit:
    """One numbered unit of the text.

    ``number`` as printed (``二``, ``（十一）``); ``ref`` the canonical reference (``二``, ``五（十一）``);
    ``heading`` the part's title or the item's first sentence without its 。; ``text`` the unit's lines, an
    item's paragraphs or a part's heading with everything under it; ``line`` 1-based in the file.
    """

    kind: UnitKind
    number: str
    ref: str
    heading: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A parsed official text: its numbered units in document order, and the whole text."""

    units: tuple[SourceUnit, ...]
    text: str

    def unit(self, ref: str) -> SourceUnit | None:
        """The unit a reference names, in any form people write it (see ``normalise_ref``), or None."""
        canonical = normalise_ref(ref)
        return next((u for u in self.units if u.ref == canonical), None) if canonical else None

    def of_kind(self, kind: UnitKind) -> tuple[SourceUnit, ...]:
        """The units of one kind, in document order."""
        return tuple(u for u in self.units if u.kind is kind)

    def containing(self, passage: str) -> tuple[SourceUnit, ...]:
        """The innermost units that hold ``passage`` verbatim: items if any does, else parts."""
        found = [u for u in self.units if is_verbatim(passage, u.text)]
        deepest = max((u.kind.rank for u in found), default=0)
        return tuple(u for u in found if u.kind.rank == deepest)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The official text a catalog is checked against: where it was read from, and its units or why it failed."""

    path: str
    document: SourceDocument | None = None
    error: str | None = None


_NUMERAL = f"[{_DIGITS}十]+"
# A part's title is a heading, never a sentence: a line with a 。 is body text that happens to start with 一、.
_PART_RE = re.compile(rf"^(?P<number>{_NUMERAL})、(?P<title>[^。]+)$")
_ITEM_RE = re.compile(rf"^[（(](?P<number>{_NUMERAL})[)）](?P<rest>.*)$")
_NOTE_RE = re.compile(r"^[（(][^（）()]*[)）]$")
_REF_RE = re.compile(rf"^(?:(?P<part>{_NUMERAL})、?)?(?:（(?P<item>{_NUMERAL})）)?$")


@dataclass(frozen=True, slots=True)
class _Mark:
    """Where a unit (or a note, kind None) begins."""

    index: int  # 0-based line
    kind: UnitKind | None
    number: str = ""
    heading: str = ""


def _mark(index: int, line: str) -> _Mark | None:
    part = _PART_RE.match(line)
    if part and numeral_value(part["number"]):
        return _Mark(index, UnitKind.PART, part["number"], part["title"].strip())
    item = _ITEM_RE.match(line)
    if item and numeral_value(item["number"]):
        return _Mark(index, UnitKind.ITEM, f"（{item['number']}）", item["rest"].split("。", 1)[0].strip())
    return _Mark(index, None) if _NOTE_RE.match(line) else None


def _end(marks: list[_Mark], position: int, rank: int, line_count: int) -> int:
    later = (m.index for m in marks[position + 1 :] if m.kind is None or m.kind.rank <= rank)
    return next(later, line_count)


def parse_source(text: str) -> SourceDocument:
    """Parse an official text into its numbered units."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    marks = [m for index, line in enumerate(lines) if (m := _mark(index, line.strip()))]
    units, part = [], ""
    for position, mark in enumerate(marks):
        if mark.kind is None:
            continue
        if mark.kind is UnitKind.PART:
            part = mark.number
        body = "\n".join(lines[mark.index : _end(marks, position, mark.kind.rank, len(lines))]).strip()
        ref = mark.number if mark.kind is UnitKind.PART else part + mark.number
        units.append(SourceUnit(mark.kind, mark.number, ref, mark.heading, body, mark.index + 1))
    return SourceDocument(tuple(units), text)


def normalise_ref(ref: str) -> str | None:
    """The canonical form of a reference (``五（十一）``, ``二``), or None when it is not one.

    Accepts what people write: ``五、（十一）``, half-width ``五(十一)``, stray spaces. A bare item number
    ``（十一）`` stays bare; it names a unit only in a text whose items sit under no part.
    """
    text = comparable(ref).replace("(", "（").replace(")", "）")
    match = _REF_RE.match(text)
    if not match or not (match["part"] or match["item"]):
        return None
    if any(n is not None and numeral_value(n) is None for n in (match["part"], match["item"])):
        return None
    return (match["part"] or "") + (f"（{match['item']}）" if match["item"] else "")
