"""Drafting a catalog from a policy document: read it, parse its numbering, write the skeleton and its text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jobpolicy.domain.catalog_draft import CatalogDraft, draft_catalog
from jobpolicy.domain.source_text import parse_source
from jobpolicy.errors import InvalidInput
from jobpolicy.render.report_files import write_file
from jobpolicy.services.policy_documents import read_policy_document

SOURCES = "sources"  # the folder beside a catalog that holds its text, as in policies/sources
NUMBERING_HINT = ("起草按原文的编号：部分写作“一、”或“第一章”，条目写作“（一）”，条写作“第一条”，"
                  "小项写作“1.”或“（1）”，各在一段的开头；检查是否选错了文件")
WORD_NUMBERING_HINT = ("文档用了 Word 的自动编号，编号不在文字里：在 Word 或 WPS 中另存为“纯文本”"
                       "（编号随文字保存）后，对 .txt 文件起草")


@dataclass(frozen=True)
class DraftResult:
    """What ``draft_policy`` wrote."""

    catalog: Path
    source: Path
    source_written: bool  # False: the same text was already there, and is used as it is
    read_as: str  # UTF-8, GB18030 or Word
    draft: CatalogDraft


def draft_policy(path: Path, *, out: Path | None = None, overwrite: bool = False) -> DraftResult:
    """Draft a catalog skeleton from a policy document, and keep its text beside it for the quote check.

    The catalog goes to ``out`` (default: the document's name with ``.yaml``), the text as UTF-8 to
    ``sources/<catalog name>.txt`` beside it, named by the catalog's ``policy.source_text.file``. Each is written
    under a temporary name and then moved into place; an existing file is never replaced unless ``overwrite``
    (a text file already holding the same text is used as it is).

    Args:
        path: a plain-text (UTF-8 or GB18030) or Word (.docx) policy document.
        out: where to write the catalog.
        overwrite: replace the catalog and text files if they exist.

    Returns:
        Where the files went and what the draft holds.

    Raises:
        InvalidInput: the document cannot be read (see ``read_policy_document``), has no numbered measures, or a
            file to write exists.
        ReportError: a file cannot be written.
    """
    document = read_policy_document(path)
    parsed = parse_source(document.text)
    if not parsed.measure_units():
        raise InvalidInput(f"政策文件 {path} 中找不到编号的条目（（一）…）、条（第一条…）或小项（1. …）",
                           hint=WORD_NUMBERING_HINT if document.word_numbering else NUMBERING_HINT)
    catalog = out if out is not None else path.with_suffix(".yaml")
    if catalog.is_dir():
        example = catalog / path.with_suffix(".yaml").name
        raise InvalidInput(f"--out 给出的 {catalog} 是文件夹", hint=f"写出清单文件名，如 {example}")
    relative = f"{SOURCES}/{catalog.stem}.txt"
    source = catalog.parent / relative
    data = document.text.encode("utf-8")
    fresh = not _holds(source, data)
    for target in (catalog, source) if fresh else (catalog,):
        if target.exists() and not overwrite:
            raise InvalidInput(f"文件 {target} 已存在，没有覆盖",
                               hint="用 --out 换一个清单文件名，或确认要覆盖时加 --overwrite")
    draft = draft_catalog(parsed, source_file=relative, origin=path.name)
    if fresh:
        write_file(source, data, option="--out")
    write_file(catalog, draft.text.encode("utf-8"), option="--out")
    return DraftResult(catalog, source, fresh, document.read_as, draft)


def _holds(path: Path, data: bytes) -> bool:
    """Whether a file exists with exactly these bytes (the text drafted from before, or the document itself)."""
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
