"""Text into a spreadsheet cell and back: cut with a mark, control characters escaped, rewritten digits known."""

from __future__ import annotations

import pytest

from jobpolicy.domain.cell_text import (
    CELL_LIMIT,
    cut_problem,
    fit_cell,
    is_cut,
    unedited,
    xlsx_escape,
    xlsx_unescape,
)


def test_text_that_fits_a_cell_is_left_whole():
    assert fit_cell("短备注") == "短备注"
    assert fit_cell("长" * CELL_LIMIT) == "长" * CELL_LIMIT
    assert not is_cut("长" * CELL_LIMIT)


def test_a_longer_text_is_cut_with_a_mark_saying_how_much_is_left_out():
    text = "长" * 40_000
    cell = fit_cell(text)
    assert len(cell) <= CELL_LIMIT and is_cut(cell)
    assert cell.endswith("字未导出：单元格最多 32767 字。导入时此格视为未改动；修改请用 jobpolicy record set〕")
    assert f"以下 {40_000 - cell.index('……')} 字未导出" in cell


def test_characters_beyond_the_basic_plane_count_twice_as_excel_counts_them():
    cell = fit_cell("😀" * 20_000)  # 40,000 UTF-16 units
    assert len(cell.encode("utf-16-le")) // 2 <= CELL_LIMIT and is_cut(cell)


def test_a_cut_cell_is_unchanged_only_while_its_beginning_is_the_stored_text():
    text = "一二三" * 15_000
    cell = fit_cell(text)
    assert cut_problem(cell, text) is None
    assert cut_problem("改" + cell, text).startswith("是导出时截断的长文本")
    assert cut_problem(cell, text + "后来又加的") is not None  # the record changed since: not the same text
    assert cut_problem(cell, None) is not None


@pytest.mark.parametrize("text", ["a\x0bb", "\x00\x01\x1f", "tab\tline\nreturn\r", "字面的 _x000B_", "_x005F_", "普通"])
def test_escaping_for_xlsx_is_undone_exactly(text):
    escaped = xlsx_escape(text)
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in escaped)
    assert xlsx_unescape(escaped) == text


def test_excel_escapes_of_control_characters_are_read():
    assert xlsx_unescape("第一行_x000D_\n第二行") == "第一行\r\n第二行"
    assert xlsx_unescape("_x4E2D_") == "_x4E2D_"  # not a control character: left as written


@pytest.mark.parametrize(("cell", "stored"), [
    ("123", "00123"),
    ("8613800000000", "+8613800000000"),
    ("8.6138E+12", "+8613800000000"),
    ("123456789012346000", "123456789012345678"),
    ("1.23457E+17", "123456789012345678"),
    ("1.5", "1.50"),
    ("字面的 \x0b", "字面的 _x000B_"),  # LibreOffice writes a literal escape back unescaped
])
def test_what_a_spreadsheet_made_of_stored_text_is_unedited(cell, stored):
    assert unedited(cell, stored)


@pytest.mark.parametrize(("cell", "stored"), [
    ("124", "00123"),
    ("8.6139E+12", "+8613800000000"),
    ("123", "一二三"),
    ("123", None),
    ("00123", "123"),  # digits added: someone typed them
])
def test_anything_else_is_an_edit(cell, stored):
    assert not unedited(cell, stored)
