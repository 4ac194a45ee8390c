"""Telling a policy document's kind from its bytes, and decoding plain text as UTF-8 or GB18030."""

import codecs

import pytest

from jobpolicy.domain.plain_text import FileKind, decode_text, file_kind, is_plain_text

TEXT = "一、加强指导\n（一）开设课程。各高校开设就业指导课。\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"PK\x03\x04rest", FileKind.DOCX), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", FileKind.DOC),
     (b"%PDF-1.7", FileKind.PDF), (codecs.BOM_UTF16_LE + "一".encode("utf-16-le"), FileKind.UTF16),
     (codecs.BOM_UTF16_BE + "一".encode("utf-16-be"), FileKind.UTF16), (TEXT.encode("utf-8"), FileKind.TEXT),
     (b"", FileKind.TEXT)],
)
def test_the_kind_of_a_file_is_told_by_its_first_bytes(data, kind):
    assert file_kind(data) is kind


@pytest.mark.parametrize(
    ("data", "codec"),
    [(TEXT.encode("utf-8"), "utf-8"), (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
     (TEXT.encode("gb18030"), "gb18030"), (TEXT.encode("gbk"), "gb18030"), ("就业 𠀀".encode("gb18030"), "gb18030")],
)
def test_utf8_with_or_without_bom_and_gb18030_are_read(data, codec):
    decoded = decode_text(data)
    assert decoded is not None and decoded[1] == codec
    assert decoded[0] in (TEXT, "就业 𠀀")


def test_the_bom_is_no_part_of_the_text():
    assert decode_text(codecs.BOM_UTF8 + "一、总体要求".encode()) == ("一、总体要求", "utf-8-sig")


def test_bytes_neither_encoding_reads_are_refused():
    assert decode_text(b"\x80\xff\xfe\x80") is None
    assert decode_text(codecs.BOM_UTF8 + b"\xff\xfe") is None  # a BOM says UTF-8: no second guess


@pytest.mark.parametrize(("text", "plain"), [(TEXT, True), ("一\t二\r\n\f", True), ("a\x00b", False),
                                             ("a\x1bb", False), ("a\x85b", False)])
def test_control_characters_other_than_breaks_and_tabs_make_a_file_binary(text, plain):
    assert is_plain_text(text) is plain
