"""Checks of a catalog against its policy's official text: the file itself, quotes, refs, headings, coverage.

They run with the other catalog checks (``catalog_checks.run_checks``) and do nothing unless the document
carries a source (``CatalogDoc.source``). Excerpts of text are shown in 「」 rather than “”, because the
excerpts themselves often hold quotation marks, and a wrong quotation mark is a common mistake to point at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jobpolicy.domain.catalog import BasisKind
from jobpolicy.domain.catalog_doc import CatalogDoc, Node
from jobpolicy.domain.catalog_yaml import LineList, LineMap
from jobpolicy.domain.source_text import (
    Divergence,
    SourceDocument,
    SourceUnit,
    UnitKind,
    comparable,
    divergence,
    normalise_ref,
)
from jobpolicy.errors import Problem

CONTEXT = 10  # characters of text shown on either side of a difference
MEANINGFUL = 4  # characters a passage must share with another unit before that unit is named as the one meant


@dataclass(frozen=True, slots=True)
class _Quote:
    """One quoted passage, where it stands in the catalog, and the ref of the unit it must be in."""

    passage: str
    line: int
    ident: str | None
    where: str
    ref: str | None


@dataclass(frozen=True, slots=True)
class _Ref:
    """One reference the catalog writes, with the passages quoted under it (to say where they really are)."""

    ref: str
    line: int
    ident: str | None
    where: str
    passages: tuple[str, ...] = ()


def _document(doc: CatalogDoc) -> SourceDocument | None:
    """The parsed text to check against; None when there is none, or it is unusable (check_source_file says why)."""
    source = doc.source
    document = source.document if source is not None else None
    return document if document is not None and document.units else None


def _source_text_spec(doc: CatalogDoc) -> LineMap | None:
    spec = doc.policy.get("source_text") if doc.policy is not None else None
    return spec if isinstance(spec, LineMap) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _clip(text: str) -> str:
    return text[:CONTEXT] + ("…" if len(text) > CONTEXT else "")


def _tail(text: str) -> str:
    return ("…" if len(text) > CONTEXT else "") + text[-CONTEXT:]


# --- the file ---------------------------------------------------------------------------------------------------


def check_source_file(doc: CatalogDoc) -> list[Problem]:
    """The official text can be read as UTF-8 and has numbered units."""
    if doc.source is None:
        return []
    spec = _source_text_spec(doc)
    line = spec.line_of("file") if spec is not None else None
    if doc.source.error:
        return [doc.problem(line, None, doc.source.error)]
    if doc.source.document is not None and not doc.source.document.units:
        return [doc.problem(line, None, f"原文文件 {doc.source.path} 中找不到编号的部分（一、…）、条目（（一）…）"
                                        "或条（第一条…）；请检查是否选错了文件")]
    return []


# --- quotes -----------------------------------------------------------------------------------------------------


def _passages(basis: LineMap, ident: str | None, where: str, ref: str | None) -> Iterator[_Quote]:
    value = basis.get("quote")
    if isinstance(value, str):
        yield _Quote(value, basis.line_of("quote"), ident, f"{where}.quote", ref)
    elif isinstance(value, LineList):
        for index, passage in enumerate(value):
            if isinstance(passage, str):
                yield _Quote(passage, value.line_of(index), ident, f"{where}.quote 第 {index + 1} 段", ref)


def _measure_ref(node: Node | None) -> str | None:
    basis = node.data.get("basis") if node is not None else None
    return _text(basis.get("ref")) if isinstance(basis, LineMap) else None


def _opinion_bases(doc: CatalogDoc) -> Iterator[tuple[Node, LineMap, str]]:
    """Item and indicator bases that quote the policy itself; the others cite notices or practice."""
    for node, basis, where in doc.item_bases():
        if basis.get("kind") == BasisKind.OPINION.value:
            yield node, basis, where


def _quotes(doc: CatalogDoc) -> Iterator[_Quote]:
    for node in doc.measures():
        basis = node.data.get("basis")
        if isinstance(basis, LineMap):
            yield from _passages(basis, node.id, "basis", _measure_ref(node))
    for node, basis, where in _opinion_bases(doc):
        ref = _text(basis.get("ref")) or _measure_ref(node.parent)
        yield from _passages(basis, node.id, where, ref)


def check_quotes(doc: CatalogDoc) -> list[Problem]:
    """Every quoted passage is the text's own wording, in the unit its ref names (anywhere, if the ref names none)."""
    source = _document(doc)
    if source is None:
        return []
    problems = []
    for quote in _quotes(doc):
        message = _quote_problem(source, quote)
        if message:
            problems.append(doc.problem(quote.line, quote.ident, message))
    return problems


def _quote_problem(source: SourceDocument, quote: _Quote) -> str | None:
    if not comparable(quote.passage):
        return None  # an empty quote is a structure problem, reported there
    unit = source.unit(quote.ref) if quote.ref else None
    difference = divergence(quote.passage, unit.text if unit else source.text)
    if difference is None:
        return None
    head = f"{quote.where}「{_clip(comparable(quote.passage))}」"
    if unit is None:  # check_refs reports the ref; still say whether the words are the text's
        return f"{head}不是原文的原话：{_describe(difference, source)}"
    elsewhere = source.containing(quote.passage)
    if elsewhere:
        return f"{head}不在原文 {unit.ref} 中，而在 {'、'.join(u.ref for u in elsewhere)} 中；请改正 ref"
    anywhere = divergence(quote.passage, source.text)
    if anywhere is not None and len(anywhere.matched) > max(len(difference.matched), MEANINGFUL - 1):
        # It matches further in another unit: that is the passage the author meant, so show the difference there.
        return f"{head}不是原文 {unit.ref} 的原话，也不是原文其他地方的原话：{_describe(anywhere, source)}"
    return f"{head}不是原文 {unit.ref} 的原话：{_describe(difference, None)}"


def _describe(difference: Divergence, source: SourceDocument | None) -> str:
    """Say where a passage stops matching and how; ``source`` given: also in which unit it matched so far."""
    if not difference.matched:
        return f"从第一个字「{difference.quoted[0]}」起就对不上"
    place = ""
    if source is not None:
        units = source.containing(difference.matched + difference.found[:CONTEXT])
        place = f" {units[0].ref} " if len(units) == 1 else ""
    said = f"与原文{place}一致到「{_tail(difference.matched)}」为止，其后引文为「{_clip(difference.quoted)}」，"
    if not difference.found:
        return said + "原文到此结束"
    return said + f"原文为「{_clip(difference.found)}」（{_edit_note(difference)}）"


def _edit_note(difference: Divergence) -> str:
    quoted, found = difference.quoted[0], difference.found[0]
    if difference.edit == "extra":
        return f"引文多了「{quoted}」"
    if difference.edit == "missing":
        return f"引文少了「{found}」"
    return f"第一个不同的字：引文「{quoted}」U+{ord(quoted):04X}，原文「{found}」U+{ord(found):04X}"


# --- refs -------------------------------------------------------------------------------------------------------


def _quoted(basis: LineMap) -> tuple[str, ...]:
    value = basis.get("quote")
    values = [value] if isinstance(value, str) else list(value) if isinstance(value, LineList) else []
    return tuple(v for v in values if isinstance(v, str) and comparable(v))


def _out_of_scope(doc: CatalogDoc) -> Iterator[LineMap]:
    spec = _source_text_spec(doc)
    entries = spec.get("out_of_scope") if spec is not None else None
    if isinstance(entries, LineList):
        yield from (e for e in entries if isinstance(e, LineMap) and _text(e.get("ref")))


def _refs(doc: CatalogDoc) -> Iterator[_Ref]:
    for node in doc.measures():
        basis = node.data.get("basis")
        if isinstance(basis, LineMap) and _text(basis.get("ref")):
            yield _Ref(basis["ref"], basis.line_of("ref"), node.id, "basis.ref", _quoted(basis))
    for node, basis, where in _opinion_bases(doc):
        if _text(basis.get("ref")):
            yield _Ref(basis["ref"], basis.line_of("ref"), node.id, f"{where}.ref", _quoted(basis))
    for entry in _out_of_scope(doc):
        yield _Ref(entry["ref"], entry.line_of("ref"), None, "out_of_scope 的 ref")


def check_refs(doc: CatalogDoc) -> list[Problem]:
    """Every ref (of a measure, of an opinion basis, of an out_of_scope entry) names a unit of the text."""
    source = _document(doc)
    if source is None:
        return []
    return [doc.problem(ref.line, ref.ident, _ref_message(source, ref))
            for ref in _refs(doc) if source.unit(ref.ref) is None]


def _ref_message(source: SourceDocument, ref: _Ref) -> str:
    canonical = normalise_ref(ref.ref)
    if canonical is None:
        examples = "，".join(f"{u.kind.label}写作 {u.ref}" for u in _first_of_each_kind(source))
        message = f"{ref.where}「{ref.ref}」不是原文的编号（{examples}）"
    else:
        message = f"{ref.where}「{ref.ref}」在原文中不存在"
        guesses = [u.ref for u in source.measure_units() if u.number == canonical]
        if guesses:
            return f"{message}；是否指 {'、'.join(guesses)}？"
    found = sorted({u.ref for p in ref.passages for u in source.containing(p)}, key=_document_order(source))
    return f"{message}；引文在 {'、'.join(found)} 中" if found else message


def _first_of_each_kind(source: SourceDocument) -> list[SourceUnit]:
    firsts = {}
    for unit in source.units:
        firsts.setdefault(unit.kind, unit)
    return sorted(firsts.values(), key=lambda u: u.kind.rank)


def _document_order(source: SourceDocument) -> Callable[[str], int]:
    order = {u.ref: index for index, u in enumerate(source.units)}
    return order.__getitem__


# --- headings ---------------------------------------------------------------------------------------------------


def check_headings(doc: CatalogDoc) -> list[Problem]:
    """A numbered section is a part of the text, with its title; a verified numbered measure is its ref's item,
    with the item's number and official heading (its first sentence)."""
    source = _document(doc)
    if source is None:
        return []
    problems = [p for node in doc.sections() for p in _section_heading(doc, source, node)]
    return problems + [p for node in doc.measures() for p in _measure_heading(doc, source, node)]


def _section_heading(doc: CatalogDoc, source: SourceDocument, node: Node) -> list[Problem]:
    number, title = _text(node.data.get("number")), _text(node.data.get("title"))
    if number is None:
        return []
    part = source.unit(number)
    if part is None or part.kind is not UnitKind.PART:
        return [doc.problem(node.data.line_of("number"), node.id, f"体系编号「{number}」在原文中没有对应的部分")]
    if title is not None and comparable(title) != comparable(part.heading):
        return [doc.problem(node.data.line_of("title"), node.id,
                            f"体系标题「{title}」与原文第{part.number}部分的标题「{part.heading}」不一致")]
    return []


def _measure_heading(doc: CatalogDoc, source: SourceDocument, node: Node) -> list[Problem]:
    number, title, ref = _text(node.data.get("number")), _text(node.data.get("title")), _measure_ref(node)
    unit = source.unit(ref) if ref else None
    if node.data.get("verified", True) is not True or number is None or unit is None:
        return []  # unverified numbering is allowed to be wrong; a ref that names nothing is check_refs' concern
    line = node.data.line_of("number")
    if unit not in source.measure_units():
        return [doc.problem(line, node.id, f"举措已核实并写了编号「{number}」，但 basis.ref「{ref}」指向的是"
                                           f"{unit.kind.label}而不是条目或条")]
    if normalise_ref(number) != unit.number:
        return [doc.problem(line, node.id, f"举措编号「{number}」与 basis.ref 所指条目 {unit.ref} 的编号"
                                           f"「{unit.number}」不一致")]
    if title is not None and comparable(title) != comparable(unit.heading):
        return [doc.problem(node.data.line_of("title"), node.id,
                            f"举措标题「{title}」与原文 {unit.ref} 的标题「{unit.heading}」不一致"
                            "（已核实的举措，标题须与原文一字不差）")]
    return []


# --- coverage ---------------------------------------------------------------------------------------------------


def _covered(doc: CatalogDoc, source: SourceDocument) -> dict[str, str]:
    """Unit ref -> what covers it: a section with the part's number, a measure whose basis.ref names the item
    (or article, or sub-item that sits in none)."""
    covered: dict[str, str] = {}
    for node in doc.sections():
        part = source.unit(_text(node.data.get("number")) or "")
        if part is not None and part.kind is UnitKind.PART:
            covered.setdefault(part.ref, f"体系 {node.id}")
    measure_units = source.measure_units()
    for node in doc.measures():
        item = source.unit(_measure_ref(node) or "")
        if item is not None and item in measure_units:
            covered.setdefault(item.ref, f"举措 {node.id}")
    return covered


def check_coverage(doc: CatalogDoc) -> list[Problem]:
    """Every part and item of the text is covered by the catalog or listed out of scope with a reason; not both."""
    source = _document(doc)
    if source is None:
        return []
    covered = _covered(doc, source)
    listed = {unit.ref: entry for entry in _out_of_scope(doc) if (unit := source.unit(entry["ref"]))}
    spec = _source_text_spec(doc)
    line = spec.line if spec is not None else None
    units = (*source.of_kind(UnitKind.PART), *source.measure_units())  # deeper units go with their measure
    problems = [doc.problem(line, None, _uncovered_message(unit))
                for unit in sorted(units, key=lambda u: u.line) if unit.ref not in covered and unit.ref not in listed]
    for ref, entry in listed.items():
        if ref in covered:
            problems.append(doc.problem(entry.line_of("ref"), None,
                                        f"原文 {ref} 已由{covered[ref]} 覆盖，不应再列入 out_of_scope"))
    return problems


def _uncovered_message(unit: SourceUnit) -> str:
    what = (f"没有体系以它为编号（number: {unit.number}）" if unit.kind is UnitKind.PART
            else "没有举措以它为 basis.ref")
    return (f"原文{unit.kind.label} {unit.ref}「{unit.heading}」（原文第 {unit.line} 行）{what}，"
            "也未列入 policy.source_text.out_of_scope（写明 ref 和不纳入的理由 reason）")


SOURCE_CHECKS: tuple[Callable[[CatalogDoc], list[Problem]], ...] = (
    check_source_file,
    check_quotes,
    check_refs,
    check_headings,
    check_coverage,
)
