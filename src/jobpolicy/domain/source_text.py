"""A policy's official text as numbered units (parts, items, articles, sub-items), and the rule quotes are compared by.

Parsing is by line. A part is a line of its own, ``二、优化培养供给体系`` or ``第二章　就业指导``; an item is a
paragraph that starts with a numeral in full-width parentheses, ``（十一）健全困难帮扶机制。…``; an article starts with
``第十一条``. Below them, ``（一）`` inside an article is a clause, and ``1.`` and ``（1）`` are sub-items. Items may be
numbered continuously across parts or restart in each part: either way an item's ref carries its part
(``五（十一）``), so refs stay unique; articles are numbered through the whole document and go by their number
(``第十一条``); a deeper unit's ref is its parent's followed by its own number (``二（一）1.``, ``第五条（二）``).
A unit runs to the next unit of its own depth or a shallower one (an item ends at the next item or part, a part
at the next part), or to a line wholly in parentheses such as ``（新华社北京4月8日电）`` or ``（此件公开发布）``, or to
a closing signature and date (``某省教育厅`` over ``2025年3月1日`` as the last lines): such a note belongs to no unit.
Lines before the first unit (source, title, date, preamble) belong to none either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from jobpolicy.domain.document_dates import date_of_line

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

    PART = "part"  # 一、总体要求 or 第一章　总则
    ITEM = "item"  # （一）科学研判人才发展趋势及供需状况。…
    ARTICLE = "article"  # 第一条　为了……，制定本办法。
    CLAUSE = "clause"  # （一）… inside an article
    SUBITEM = "subitem"  # 1. …
    POINT = "point"  # （1）…

    @property
    def rank(self) -> int:
        """Depth in the document: parts hold items or articles, which hold clauses and sub-items."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        """Chinese name for messages."""
        return _LABELS[self]


_RANKS = {UnitKind.PART: 1, UnitKind.ITEM: 2, UnitKind.ARTICLE: 2, UnitKind.CLAUSE: 3, UnitKind.SUBITEM: 4,
          UnitKind.POINT: 5}
_LABELS = {UnitKind.PART: "部分", UnitKind.ITEM: "条目", UnitKind.ARTICLE: "条", UnitKind.CLAUSE: "项",
           UnitKind.SUBITEM: "小项", UnitKind.POINT: "小项"}


@dataclass(frozen=True, slots=True)
class SourceUnit:
    """One numbered unit of the text.

    ``number`` as printed (``二``, ``（十一）``, ``第五条``, ``1.``); ``ref`` the canonical reference (``二``,
    ``五（十一）``, ``第五条``, ``二（一）1.``); ``heading`` the part's title or the unit's first sentence without
    its 。; ``text`` the unit's lines, an item's paragraphs or a part's heading with everything under it;
    ``line`` 1-based in the file; ``parent`` the ref of the unit it sits in (empty for none).
    """

    kind: UnitKind
    number: str
    ref: str
    heading: str
    text: str
    line: int
    parent: str = ""

    @property
    def last_line(self) -> int:
        """The last line of the unit's text, 1-based in the file."""
        return self.line + self.text.count("\n")

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The unit's non-empty lines, stripped, the first without its number: its wording, verbatim."""
        lines = [line.strip() for line in self.text.split("\n") if line.strip()]
        if lines:
            lines[0] = _NUMBER_RE.sub("", lines[0], count=1).strip()
        return tuple(line for line in lines if line)  # a number on a line of its own leaves nothing


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

    def measure_units(self) -> tuple[SourceUnit, ...]:
        """The units a measure stands for: items and articles, and sub-items that sit in no item or article."""
        kinds = {u.ref: u.kind for u in self.units}
        return tuple(u for u in self.units
                     if u.kind is not UnitKind.PART and kinds.get(u.parent, UnitKind.PART) is UnitKind.PART)

    def containing(self, passage: str) -> tuple[SourceUnit, ...]:
        """The innermost parts or measure units that hold ``passage`` verbatim: measure units if any does."""
        found = [u for u in (*self.of_kind(UnitKind.PART), *self.measure_units()) if is_verbatim(passage, u.text)]
        deepest = max((u.kind.rank for u in found), default=0)
        return tuple(u for u in found if u.kind.rank == deepest)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The official text a catalog is checked against: where it was read from, and its units or why it failed."""

    path: str
    document: SourceDocument | None = None
    error: str | None = None


_NUMERAL = f"[{_DIGITS}十]+"
_ARABIC = r"[0-9０-９]{1,3}"
# A part's title is a heading, never a sentence: a line with a 。 is body text that happens to start with 一、.
_PART_RE = re.compile(rf"^(?P<number>{_NUMERAL})、(?P<title>[^。]+)$")
_CHAPTER_RE = re.compile(rf"^第(?P<number>{_NUMERAL})章\s*(?P<title>[^。\s][^。]*)$")
_ITEM_RE = re.compile(rf"^[（(](?P<number>{_NUMERAL})[)）](?P<rest>.*)$")
# 第三条规定的… is a sentence about an article, not the article itself.
_ARTICLE_RE = re.compile(rf"^第(?P<number>{_NUMERAL})条(?![规所的中和至、，及或])\s*(?P<rest>.*)$")
_SUBITEM_RE = re.compile(rf"^(?P<number>{_ARABIC})[.．、](?![0-9０-９])\s*(?P<rest>\S.*)$")  # not 1.5倍
_POINT_RE = re.compile(rf"^[（(](?P<number>{_ARABIC})[)）]\s*(?P<rest>\S.*)$")
_NOTE_RE = re.compile(r"^[（(][^（）()]*[)）]$")
_NUMBER_RE = re.compile(  # the number a unit's first line starts with, whatever its kind
    rf"^(?:{_NUMERAL}、|第{_NUMERAL}[章条]|[（(](?:{_NUMERAL}|{_ARABIC})[)）]|{_ARABIC}[.．、])"
)
_REF_RE = re.compile(
    rf"^(?:(?P<part>{_NUMERAL}|第{_NUMERAL}章)、?)?(?:（(?P<item>{_NUMERAL})）|(?P<article>第{_NUMERAL}条))?"
    rf"(?:（(?P<clause>{_NUMERAL})）)?(?:(?P<sub>[0-9]{{1,3}})\.)?(?:（(?P<point>[0-9]{{1,3}})）)?$"
)


@dataclass(frozen=True, slots=True)
class _Mark:
    """Where a unit (or a note, kind None) begins."""

    index: int  # 0-based line
    kind: UnitKind | None
    number: str = ""
    heading: str = ""


def _first_sentence(text: str) -> str:
    return text.split("。", 1)[0].strip()


def _mark(index: int, line: str) -> _Mark | None:
    if (part := _PART_RE.match(line)) and numeral_value(part["number"]):
        return _Mark(index, UnitKind.PART, part["number"], part["title"].strip())
    if (chapter := _CHAPTER_RE.match(line)) and numeral_value(chapter["number"]):
        return _Mark(index, UnitKind.PART, f"第{chapter['number']}章", chapter["title"].strip())
    if (item := _ITEM_RE.match(line)) and numeral_value(item["number"]):
        return _Mark(index, UnitKind.ITEM, f"（{item['number']}）", _first_sentence(item["rest"]))
    if (article := _ARTICLE_RE.match(line)) and numeral_value(article["number"]):
        return _Mark(index, UnitKind.ARTICLE, f"第{article['number']}条", _first_sentence(article["rest"]))
    if sub := _SUBITEM_RE.match(line):
        return _Mark(index, UnitKind.SUBITEM, f"{int(sub['number'])}.", _first_sentence(sub["rest"]))
    if point := _POINT_RE.match(line):
        return _Mark(index, UnitKind.POINT, f"（{int(point['number'])}）", _first_sentence(point["rest"]))
    return _Mark(index, None) if _NOTE_RE.match(line) else None


def _in_context(marks: list[_Mark]) -> list[_Mark]:
    """The marks with （一） inside an article read as a clause of it, not as an item."""
    resolved, in_article = [], False
    for mark in marks:
        if mark.kind in (UnitKind.PART, UnitKind.ARTICLE):
            in_article = mark.kind is UnitKind.ARTICLE
        if mark.kind is UnitKind.ITEM and in_article:
            mark = _Mark(mark.index, UnitKind.CLAUSE, mark.number, mark.heading)
        resolved.append(mark)
    return resolved


_SIGNATURE_LINES = 3  # issuing bodies signed above a closing date, one a line
_SIGNATURE_CHARS = 30


def _closing(lines: list[str]) -> int:
    """Where a closing signature and date begin (``某省教育厅`` / ``2025年3月1日`` as the last lines), or the end.

    Without this the last measure would run on over them: they are no wording of it.
    """
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if not filled or date_of_line(lines[filled[-1]]) is None:
        return len(lines)
    start = filled[-1]
    for index in reversed(filled[:-1][-_SIGNATURE_LINES:]):
        text = lines[index].strip()
        if len(text) > _SIGNATURE_CHARS or any(c in text for c in "。；，：;,:") or _mark(index, text) is not None:
            break
        start = index
    return start


def _end(marks: list[_Mark], position: int, rank: int, line_count: int) -> int:
    later = (m.index for m in marks[position + 1 :] if m.kind is None or m.kind.rank <= rank)
    return next(later, line_count)


def _ref(kind: UnitKind, number: str, parent: SourceUnit | None) -> str:
    if kind in (UnitKind.PART, UnitKind.ARTICLE) or parent is None:
        return number  # articles are numbered through the whole document
    return parent.ref + number


def parse_source(text: str) -> SourceDocument:
    """Parse an official text into its numbered units."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    closing = _closing(lines)
    marks = [m for index, line in enumerate(lines[:closing]) if (m := _mark(index, line.strip()))]
    marks = _in_context(marks + ([_Mark(closing, None)] if closing < len(lines) else []))
    units: list[SourceUnit] = []
    open_units: list[SourceUnit] = []  # the units the next one may sit in, shallowest first
    for position, mark in enumerate(marks):
        if mark.kind is None:
            continue  # a note ends the units before it (see _end) but not the part an item's ref names
        while open_units and open_units[-1].kind.rank >= mark.kind.rank:
            open_units.pop()
        parent = open_units[-1] if open_units else None
        body = "\n".join(lines[mark.index : _end(marks, position, mark.kind.rank, len(lines))]).strip()
        unit = SourceUnit(mark.kind, mark.number, _ref(mark.kind, mark.number, parent), mark.heading, body,
                          mark.index + 1, parent.ref if parent else "")
        if not unit.heading and unit.kind is not UnitKind.PART and unit.paragraphs:
            unit = replace(unit, heading=_first_sentence(unit.paragraphs[0]))  # the number stood on a line alone
        units.append(unit)
        open_units.append(unit)
    return SourceDocument(tuple(units), text)


def normalise_ref(ref: str) -> str | None:
    """The canonical form of a reference (``五（十一）``, ``二``, ``第五条``, ``二（一）1.``), or None when it is
    not one.

    Accepts what people write: ``五、（十一）``, half-width ``五(十一)``, stray spaces. A bare item number
    ``（十一）`` stays bare; it names a unit only in a text whose items sit under no part. An article goes by its
    number alone, so ``第二章第五条`` is ``第五条``.
    """
    text = comparable(ref).replace("(", "（").replace(")", "）").replace("．", ".")
    match = _REF_RE.match(text)
    if not match or not any(match.groupdict().values()):
        return None
    for key in ("part", "item", "clause", "article"):
        value = (match[key] or "").removeprefix("第").removesuffix("章").removesuffix("条")
        if match[key] and numeral_value(value) is None:
            return None
    if match["article"]:
        head = match["article"]
    else:
        head = (match["part"] or "") + (f"（{match['item']}）" if match["item"] else "")
    tail = (f"（{match['clause']}）" if match["clause"] else "") + (f"{int(match['sub'])}." if match["sub"] else "")
    return head + tail + (f"（{int(match['point'])}）" if match["point"] else "")
