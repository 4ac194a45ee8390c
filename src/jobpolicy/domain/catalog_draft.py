"""A catalog skeleton drafted from a policy's numbered text, as YAML in the catalog format.

What the text says is filled in and marked ``verified: true``: each part becomes a section with its number and
title, each measure unit (an item, an article, or a sub-item in no item) a measure with its number, its official
heading (first sentence without the 。) and its paragraphs as ``basis.quote`` with their ``ref``. What only a person
can decide (who acts, what is checked, what proves it, targets, deadlines, the policy's id) is a placeholder
(``catalog_todo``), so ``policy validate`` lists the work left, line by line, and ``policy load`` refuses the file
until it is done. A measure's sub-items (1. 2., （1）, an article's （一）) each propose an item, with their words as
its basis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from jobpolicy.domain.catalog_todo import TODO, placeholder
from jobpolicy.domain.draft_meta import DraftMeta, read_meta
from jobpolicy.domain.source_text import SourceDocument, SourceUnit, UnitKind, numeral_value

ACTOR_TODO = placeholder("执行主体：university（高校）、province（省级教育部门）、local（地方政府）"
                         "或 ministry（国家有关部门）")
ITEM_TODO = placeholder("检查项：写成可以核查的一句话")
EVIDENCE_TODO = placeholder("佐证材料：什么能证明已完成（高校检查项必填）")
INDICATOR_TODO = placeholder("指标：有量化目标时写 name、unit、target、comparator，没有则删去此行")
CADENCE_TODO = placeholder("时限：写一次性的 due（YYYY-MM-DD）或周期 cadence（rrule、start），没有则删去此行")
POLICY_ID_TODO = placeholder("政策编号：小写字母、数字和连字符，如 sx-2025-plan")
SECTION_TODO = placeholder("体系标题：原文没有分部分，写一个概括这些条文的标题")
ISSUER_TODO = placeholder("发文机关")
ISSUED_TODO = placeholder("成文日期，写作 YYYY-MM-DD")
TITLE_TODO = placeholder("政策全称")
SOURCE_TODO = placeholder("出处：发布机关、发布日期和网址")
NO_PART = "main"  # id of the section holding measures that sit in no part

HEADER = f"""\
# 由 jobpolicy policy draft 根据 {{origin}} 起草的政策清单草稿。
# 体系、举措的编号、标题和引文（basis.quote）取自原文，与原文逐字核对（verified: true），不要改动；
# 体系和举措的 id 可以在第一次加载前改为有意义的英文单词（如 supply、supply.1）。
# 标有{TODO}的地方要由人决定：执行主体、检查项、佐证材料、指标和目标值、时限或周期，以及政策编号等。
# 原文的小项（1. 2.、（1）、条下的（一））各起草为一个检查项，其原文作为依据；没有小项的举措先放一个检查项。
# 没填完之前，jobpolicy policy validate 会逐处报告“待完成”和行号，jobpolicy policy load 拒绝加载。
"""


@dataclass(frozen=True, slots=True)
class CatalogDraft:
    """A drafted catalog: its YAML text, and what it holds."""

    text: str
    sections: int
    measures: int
    items: int
    notes: int
    placeholders: int


def _scalar(value: str) -> str:
    """A string as one YAML scalar, quoted only where YAML needs it."""
    return yaml.safe_dump(value, allow_unicode=True, width=1_000_000).removesuffix("\n...\n").removesuffix("\n")


def _quote_lines(paragraphs: tuple[str, ...], indent: str) -> list[str]:
    if len(paragraphs) == 1:
        return [f"{indent}quote: {_scalar(paragraphs[0])}"]
    return [f"{indent}quote:", *(f"{indent}  - {_scalar(p)}" for p in paragraphs)]


def _letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: item ids under a measure."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _part_of(document: SourceDocument, unit: SourceUnit) -> SourceUnit | None:
    """The part a unit sits in, however deep."""
    while unit.parent:
        parent = document.unit(unit.parent)
        if parent is None:
            return None
        if parent.kind is UnitKind.PART:
            return parent
        unit = parent
    return None


def _section_id(part: SourceUnit | None) -> str:
    if part is None:
        return NO_PART
    value = numeral_value(part.number.removeprefix("第").removesuffix("章"))
    return f"chapter{value}" if part.number.startswith("第") else f"part{value}"


def _item_lines(measure_id: str, children: list[SourceUnit]) -> Iterator[str]:
    pad = " " * 10
    proposals = [(child.heading.rstrip("；;，,：:"), child.paragraphs) for child in children] or [(None, ())]
    for index, (heading, paragraphs) in enumerate(proposals):
        yield f"{pad}- id: {measure_id}.{_letters(index)}"
        yield f"{pad}  actor: {_scalar(ACTOR_TODO)}"
        title = placeholder(f"检查项（原文：{heading}）：写成可以核查的一句话") if heading else ITEM_TODO
        yield f"{pad}  title: {_scalar(title)}"
        yield f"{pad}  evidence:"
        yield f"{pad}    - {_scalar(EVIDENCE_TODO)}"
        if paragraphs:
            yield f"{pad}  basis:"
            yield f"{pad}    kind: opinion"
            yield from _quote_lines(paragraphs, f"{pad}    ")
        yield f"{pad}  indicator: {_scalar(INDICATOR_TODO)}"
        yield f"{pad}  cadence: {_scalar(CADENCE_TODO)}"


def _children(document: SourceDocument, unit: SourceUnit) -> list[SourceUnit]:
    """The units directly inside a measure unit: its clauses or sub-items, each proposing an item."""
    return [u for u in document.units if u.parent == unit.ref]


def _measure_lines(document: SourceDocument, unit: SourceUnit, measure_id: str) -> Iterator[str]:
    pad = " " * 6
    yield f"{pad}- id: {measure_id}"
    yield f"{pad}  number: {_scalar(unit.number)}"
    yield f"{pad}  title: {_scalar(unit.heading)}"
    yield f"{pad}  verified: true"
    yield f"{pad}  basis:"
    yield from _quote_lines(unit.paragraphs, f"{pad}    ")
    yield f"{pad}    ref: {_scalar(unit.ref)}"
    yield f"{pad}  items:"
    yield from _item_lines(measure_id, _children(document, unit))


Sections = dict[str, tuple[SourceUnit | None, list[SourceUnit]]]


def _sections(document: SourceDocument) -> Sections:
    """Section id -> (its part, its measure units), in document order."""
    sections: Sections = {}
    for unit in document.measure_units():
        part = _part_of(document, unit)
        sections.setdefault(_section_id(part), (part, []))[1].append(unit)
    return sections


def _section_lines(document: SourceDocument, sections: Sections) -> Iterator[str]:
    ordinal = 0
    for section_id, (part, units) in sections.items():
        yield f"  - id: {section_id}"
        if part is not None:
            yield f"    number: {_scalar(part.number)}"
            yield f"    title: {_scalar(part.heading)}"
            yield "    verified: true"
        else:
            yield f"    title: {_scalar(SECTION_TODO)}"
        yield "    measures:"
        for unit in units:
            ordinal += 1
            yield from _measure_lines(document, unit, f"{section_id}.{ordinal}")


def _policy_lines(meta: DraftMeta, empty_parts: list[SourceUnit], source_file: str, origin: str) -> Iterator[str]:
    yield "policy:"
    yield f"  id: {_scalar(POLICY_ID_TODO)}"
    yield '  version: "1"'
    yield f"  title: {_scalar(meta.title or TITLE_TODO)}"
    yield f"  issuer: {_scalar(meta.issuer or ISSUER_TODO)}"
    yield f"  issued: {meta.issued.isoformat() if meta.issued else _scalar(ISSUED_TODO)}"
    yield f"  source: {_scalar(meta.source or SOURCE_TODO)}"
    yield "  source_text:"
    yield f"    file: {_scalar(source_file)}"
    if empty_parts:
        yield "    out_of_scope:"
        for part in empty_parts:
            yield f"      - ref: {_scalar(part.ref)}"
            yield f"        reason: {_scalar(f'{part.heading}：没有编号的条目，原文抄录在 notes 中')}"
    yield "  notes: |"
    yield f"    由 jobpolicy policy draft 根据 {origin} 起草。原文中没有编号的段落不是举措，抄录如下备查："
    yield from (f"    【{where}】{paragraph}" for where, paragraph in meta.notes)


def draft_catalog(document: SourceDocument, *, source_file: str, origin: str) -> CatalogDraft:
    """Draft a catalog from a parsed policy text.

    Args:
        document: the text, with at least one measure unit (``SourceDocument.measure_units``).
        source_file: where the catalog will find the text, relative to the catalog file.
        origin: the name of the document drafted from, for the header comment and the notes.

    Returns:
        The YAML text and its counts.
    """
    meta = read_meta(document)
    sections = _sections(document)
    covered = {part.ref for part, _ in sections.values() if part is not None}
    empty_parts = [u for u in document.of_kind(UnitKind.PART) if u.ref not in covered]
    lines = [*HEADER.format(origin=origin).splitlines(), "format: 1",
             *_policy_lines(meta, empty_parts, source_file, origin), "sections:", *_section_lines(document, sections)]
    measures = document.measure_units()
    items = sum(max(1, len(_children(document, m))) for m in measures)
    todo = sum(TODO in line for line in lines if not line.startswith("#"))
    return CatalogDraft("\n".join(lines) + "\n", len(sections), len(measures), items, len(meta.notes), todo)
