"""Which kind of file a policy document is, and its text when it is plain text (UTF-8 or GB18030).

Offices get policies as Word files, as UTF-8 text (with or without the BOM Windows Notepad writes) or as text saved
in the Chinese Windows code page (GBK, which GB18030 contains), and fill in checklists saved as CSV in either.
Anything else is refused by the caller with what to do instead, never guessed at: a wrong guess would put garbled
characters into every quote or cell.
"""

from __future__ import annotations

import codecs
from enum import StrEnum


class FileKind(StrEnum):
    """What a file holds, judged by its first bytes rather than its name."""

    TEXT = "text"
    DOCX = "docx"  # a zip package: Office Open XML (or another zip, which reading it as Word finds out)
    DOC = "doc"  # an OLE compound file: Word 97–2003 .doc, also old .xls/.ppt
    PDF = "pdf"
    UTF16 = "utf16"  # Notepad's "Unicode"


_MAGIC = (
    (b"PK\x03\x04", FileKind.DOCX),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", FileKind.DOC),
    (b"%PDF", FileKind.PDF),
    (codecs.BOM_UTF16_LE, FileKind.UTF16),
    (codecs.BOM_UTF16_BE, FileKind.UTF16),
)

# Control characters that plain text has: tab, line feed, form feed, carriage return. Any other is a binary file.
_TEXT_CONTROLS = frozenset("\t\n\f\r")


def file_kind(data: bytes) -> FileKind:
    """The kind of a file from its first bytes; TEXT when it starts like no known binary format."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), FileKind.TEXT)


def is_plain_text(text: str) -> bool:
    """Whether decoded text holds no control character but tab, line and page breaks: otherwise it is binary."""
    return not any((ord(c) < 32 or 0x7F <= ord(c) < 0xA0) and c not in _TEXT_CONTROLS for c in text)


def decode_text(data: bytes) -> tuple[str, str] | None:
    """The text of a plain-text file and the codec that read it (``utf-8-sig``, ``utf-8`` or ``gb18030``); None
    when neither UTF-8 nor GB18030 reads it.

    A BOM says UTF-8 (Notepad and Excel's "CSV UTF-8" write one). Without one, strict UTF-8 is tried first: text
    that decodes as UTF-8 is almost never meant as GB18030, while GBK text (what Chinese Windows writes by
    default) almost never decodes as UTF-8. Only then strict GB18030, a superset of GBK and GB2312. Whether the
    text is text at all (no NUL) is the caller's to judge, with ``is_plain_text`` or its own rule.
    """
    encodings = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None
