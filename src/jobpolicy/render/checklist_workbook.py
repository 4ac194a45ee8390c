"""The checklist workbook an office fills in (XLSX): sheet 清单 for people, hidden sheet _jobpolicy for the import.

Read-only columns are locked and the sheet is protected without a password: it keeps offices from editing the
catalog's wording by accident, not from anything on purpose (the import checks everything again). Fillable cells
are unlocked and tinted, so are 填报人 and 联系电话 in the header block. 状态 has a drop-down of the Chinese labels;
进度 only takes whole numbers 0–100; 确认报送 offers 是. Rows the province returned are tinted red, and the sheet
keeps the catalog's order (the one ``jobpolicy todo`` follows): the autofilter on 审核状态 shows them alone.
达标情况 is a formula, so the office sees the verdict change as it types a value; the import never reads it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from jobpolicy.domain.catalog_text import MET, MISSED
from jobpolicy.domain.cell_text import xlsx_escape
from jobpolicy.domain.checklist_cells import column_letter
from jobpolicy.domain.checklist_sheet import (
    COLUMNS,
    CONFIRM_OPTIONS,
    HEADER_ROW,
    META_SHEET,
    SHEET,
    STATUS_OPTIONS,
    SheetMeta,
    SheetRow,
    block_rows,
    meta_sheet_rows,
)
from jobpolicy.domain.values import neutralise
from jobpolicy.render.xlsx_cells import put

DATE_FORMAT = "yyyy-mm-dd"
READ_ONLY_FILL = "E7E6E6"  # grey header: the catalog's columns
FILLABLE_FILL = "FFF2CC"  # light yellow: what the office fills in
RETURNED_FILL = "F8CBAD"  # light red: a row the province returned
RETURNED_FONT = "9C0006"
LETTERS = {c.key: column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
FIRST = HEADER_ROW + 1
MET_COLUMN = [c.key for c in COLUMNS].index("met") + 1
COMPARE = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "==": "="}  # catalog comparators as Excel writes them


def workbook_bytes(meta: SheetMeta, rows: Sequence[SheetRow], *, title: str) -> bytes:
    """The XLSX file of one institution's checklist, as bytes (the caller writes it where it belongs)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    styles = _styles(book)
    _block(sheet, rows, title, styles)
    _header(sheet)
    for number, row in enumerate(rows, start=FIRST):
        _row(sheet, number, row, styles)
    _validations(sheet, len(rows))
    _layout(sheet, len(rows), title)
    _meta_sheet(book, meta, rows)
    # Structure protection keeps the hidden sheet hidden and 清单 named as the import expects (no password).
    book.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _block(sheet, rows: Sequence[SheetRow], title: str, styles: dict) -> None:
    """Rows 1–4: the title, 填报人 and 联系电话 (label, then a fillable cell two columns wide), and 说明."""
    from openpyxl.styles import Font

    put(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    author, phone, note = block_rows(rows)
    for number, (label, _) in enumerate((author, phone), start=2):
        put(sheet.cell(row=number, column=1), label)
        sheet.cell(row=number, column=1).font = Font(bold=True)
        for column in (2, 3):
            sheet.cell(row=number, column=column).style = styles[(True, False, False)]
        sheet.merge_cells(start_row=number, start_column=2, end_row=number, end_column=3)
    put(sheet.cell(row=4, column=1), note[0])
    if any(row.returned for row in rows):
        sheet.cell(row=4, column=1).font = Font(bold=True, color=RETURNED_FONT)


def _header(sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=FILLABLE_FILL if column.fillable else READ_ONLY_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[LETTERS[column.key]].width = column.width


def _styles(book) -> dict[tuple[bool, bool, bool], str]:
    """Named cell styles, (fillable, date, returned) -> name: one style per cell kind, not four style objects per
    cell, which is what makes writing a workbook fast. A returned row keeps its fillable cells yellow."""
    from itertools import product

    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection

    names = {}
    for fillable, dated, returned in product((False, True), repeat=3):
        name = f"jobpolicy-{'fill' if fillable else 'read'}{'-date' if dated else ''}{'-returned' if returned else ''}"
        style = NamedStyle(name=name)
        style.alignment = Alignment(wrap_text=True, vertical="top")
        style.protection = Protection(locked=not fillable)
        if fillable:
            style.fill = PatternFill("solid", fgColor=FILLABLE_FILL)
        elif returned:
            style.fill = PatternFill("solid", fgColor=RETURNED_FILL)
            style.font = Font(color=RETURNED_FONT)
        if dated:
            style.number_format = DATE_FORMAT
        book.add_named_style(style)
        names[(fillable, dated, returned)] = style.name
    return names


def _row(sheet, number: int, row: SheetRow, styles: dict[tuple[bool, bool, bool], str]) -> None:
    for index, (column, value) in enumerate(zip(COLUMNS, row.cells, strict=True), start=1):
        cell = sheet.cell(row=number, column=index)
        cell.style = styles[(column.fillable, column.key in ("due", "deadline"), row.returned)]
        put(cell, value)
    if row.indicator is not None:
        sheet.cell(row=number, column=MET_COLUMN).value = _verdict_formula(row, number)


def _verdict_formula(row: SheetRow, number: int) -> str:
    """达标情况 as the office types a value: the catalog's comparator and target, written as an Excel formula
    (the same rule as ``Indicator.is_met``); blank until there is a number.

    A value typed as ``98%`` is stored as 0.98 in a percent-formatted cell; the import reads it as 98
    (``sheet_files``), and so does the formula: CELL("format") starts with P for a percent format in Excel, WPS and
    LibreOffice alike.
    """
    cell = f"{LETTERS['value']}{number}"
    value = f'IF(LEFT(CELL("format",{cell}),1)="P",{cell}*100,{cell})'
    test = f"{value}{COMPARE[row.indicator.comparator]}{row.indicator.target:g}"
    return f'=IF(ISNUMBER({cell}),IF({test},"{MET}","{MISSED}"),"")'


def _validations(sheet, count: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if count == 0:
        return
    last = HEADER_ROW + count
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_OPTIONS) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态无效", error="请从下拉列表中选择："
                            + "、".join(STATUS_OPTIONS), showInputMessage=True, promptTitle="状态",
                            prompt="从下拉列表中选择")
    progress = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                              showErrorMessage=True, errorTitle="进度无效", error="进度是 0 到 100 的整数（百分比）")
    due = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                         showErrorMessage=True, errorStyle="warning", errorTitle="完成时限",
                         error="请填写日期，如 2025-06-30 或 2025/6/30")
    value = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300",
                           allow_blank=True, showErrorMessage=True, errorStyle="warning", errorTitle="指标值",
                           error="指标值只填数字，如 480 或 98.5")
    confirm = DataValidation(type="list", formula1='"' + ",".join(CONFIRM_OPTIONS) + '"', allow_blank=True,
                             showErrorMessage=True, errorTitle="确认报送", error="要报送填“是”，否则留空",
                             showInputMessage=True, promptTitle="确认报送", prompt="内容未改但要报送时填“是”")
    for rule, key in ((status, "status"), (progress, "progress"), (due, "due"), (value, "value"),
                      (confirm, "confirm")):
        rule.add(f"{LETTERS[key]}{FIRST}:{LETTERS[key]}{last}")
        sheet.add_data_validation(rule)


def _layout(sheet, count: int, title: str) -> None:
    last_column = LETTERS[COLUMNS[-1].key]
    sheet.freeze_panes = f"C{FIRST}"  # header block and row, and 编号 and 期次 while scrolling right
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + count}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = neutralise(title).replace("&", "&&")
    protection = sheet.protection
    protection.sheet = True  # no password: a guard against slips, and the import re-checks everything anyway
    protection.autoFilter = False  # False means "allowed": offices may filter by 体系 or 状态
    protection.formatColumns = False
    protection.formatRows = False


def _meta_sheet(book, meta: SheetMeta, rows: Sequence[SheetRow]) -> None:
    sheet = book.create_sheet(META_SHEET)
    for values in meta_sheet_rows(meta, rows):
        sheet.append([xlsx_escape(neutralise(v)) if isinstance(v, str) else v for v in values])
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
