"""Reading a policy document an office was sent: plain text (UTF-8 or GB18030) or Word (.docx), as its text.

The kind is judged by the file's first bytes, not its name, so a .docx renamed .txt is still read as Word and a
.doc renamed .docx is refused as what it is. Nothing is guessed: a file that is neither is refused with one line
saying what to save it as.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jobpolicy.domain.catalog_files import read_limited_bytes
from jobpolicy.domain.plain_text import FileKind, decode_text, file_kind, is_plain_text
from jobpolicy.errors import InvalidInput

SAVE_AS = "在 Word 或 WPS 中打开，另存为 .docx，或另存为“纯文本（UTF-8）”后再试"
_REFUSED = {
    FileKind.DOC: "是旧版 Word 文档（.doc）或设置了打开密码，无法读取",
    FileKind.PDF: "是 PDF 文件，无法可靠地取出文字",
    FileKind.UTF16: "是 UTF-16 编码（记事本的“Unicode”）的文本",
}
_STYLE_DEPTH = 20  # Word's own styles are based on a few others at most
_CODEC_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030"}


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """The text of a policy document, how it was read, and whether Word numbered its paragraphs itself."""

    path: Path
    text: str
    read_as: str  # UTF-8, GB18030 or Word
    word_numbering: bool = False  # paragraphs numbered by Word's automatic lists: those numbers are not in the text


def read_policy_document(path: Path) -> PolicyDocument:
    """Read a policy document as text.

    Raises:
        InvalidInput: the file is missing, empty, too large, binary, a .doc or PDF, a damaged .docx, or text in
            another encoding than UTF-8 or GB18030.
    """
    data, why = read_limited_bytes(path)
    if data is None:
        raise InvalidInput(f"政策文件 {path} {why}", hint="检查文件路径")
    kind = file_kind(data)
    if kind in _REFUSED:
        raise InvalidInput(f"政策文件 {path} {_REFUSED[kind]}", hint=SAVE_AS)
    document = _read_docx(path, data) if kind is FileKind.DOCX else _read_text(path, data)
    if not document.text.strip():
        raise InvalidInput(f"政策文件 {path} 是空的，没有文字", hint="检查是否选错了文件")
    return document


def _read_text(path: Path, data: bytes) -> PolicyDocument:
    decoded = decode_text(data)
    if decoded is not None and not is_plain_text(decoded[0]):
        raise InvalidInput(f"政策文件 {path} 不是文本文件（含有控制字符，可能是其他程序的文件）", hint=SAVE_AS)
    if decoded is None:
        raise InvalidInput(f"政策文件 {path} 既不是 UTF-8 也不是 GB18030（GBK）编码的文本", hint=SAVE_AS)
    return PolicyDocument(path, decoded[0], _CODEC_NAMES[decoded[1]])


def _read_docx(path: Path, data: bytes) -> PolicyDocument:
    """The paragraphs of a .docx in order, one a line; tables, headers and footers are left out."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        word = Document(io.BytesIO(data))
        paragraphs = list(word.paragraphs)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, LxmlError, EOFError):
        raise InvalidInput(f"政策文件 {path} 不是完好的 Word 文档（.docx），无法读取", hint=SAVE_AS) from None
    numbered = any(map(_word_numbered, paragraphs))
    return PolicyDocument(path, "\n".join(p.text for p in paragraphs) + "\n", "Word", numbered)


def _word_numbered(paragraph) -> bool:
    """Whether Word numbers the paragraph itself (a list, directly or by its style): the number is not its text."""
    elements = [paragraph._p]
    style = paragraph.style
    while style is not None and len(elements) < _STYLE_DEPTH:  # a damaged file may chain styles in a circle
        elements.append(style.element)
        style = style.base_style
    return any(e.pPr is not None and e.pPr.numPr is not None for e in elements)
