"""The checklist files as written: the workbook's protection, drop-down, layout and hidden sheet; the CSV's bytes;
and formula injection neutralised in both."""

import codecs
import csv
import io
from datetime import date

import openpyxl
import pytest

from jobpolicy.domain.catalog import Actor, Item
from jobpolicy.domain.checklist_sheet import COLUMNS, SheetMeta, parse_meta_sheet, sheet_row
from jobpolicy.render.checklist_csv import csv_bytes
from jobpolicy.render.checklist_workbook import workbook_bytes

META = SheetMeta("gse-2025", "2025.1", "4114010108", "山西大学", "2025-09-15T02:00:00+00:00")
EVIL = '=HYPERLINK("http://evil","x")'
ITEM = Item("support.16.a", Actor.UNIVERSITY, "-按1:500配备专职人员", evidence=("人员名单",))
LETTER = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}


def rows():
    recorded = {"status": "in_progress", "progress": 50, "department": "@人事处", "owner": "+王老师",
                "due": date(2025, 6, 30), "value": 620.0, "note": EVIL}
    return [sheet_row(item=ITEM, section="巩固支持保障体系", measure="建强机构", period="once",
                      deadline=date(2025, 12, 31), institution_code=META.institution_code, revision=4,
                      recorded=recorded, evidence=("\t=cmd|' /C calc'!A0",)),
            sheet_row(item=Item("support.15.c", Actor.UNIVERSITY, "落实经费"), section="巩固支持保障体系",
                      measure="建强机构", period="once", deadline=None, institution_code=META.institution_code,
                      revision=0, recorded=None)]


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(META, rows(), title="=山西大学 & 清单")))


def test_sheet_layout(book):
    sheet = book["清单"]
    assert book.sheetnames == ["清单", "_jobpolicy"]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:P3"
    assert sheet.column_dimensions["E"].width == 40
    assert all(cell.alignment.wrap_text for cell in sheet[2])
    assert sheet["M2"].value.date() == date(2025, 6, 30) and sheet["M2"].number_format == "yyyy-mm-dd"
    assert (sheet["I2"].value, sheet["J2"].value, sheet["O2"].value) == ("推进中", 50, 620)
    assert all(cell.value is None for cell in sheet[3][8:])  # nothing recorded: fillable cells are blank


def test_read_only_columns_are_locked_and_fillable_ones_are_not(book):
    sheet = book["清单"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.protection.autoFilter is False  # filtering stays allowed on the protected sheet
    for column in COLUMNS:
        assert sheet[f"{LETTER[column.key]}2"].protection.locked is (not column.fillable), column.header
    assert book.security.lockStructure


def test_status_has_a_drop_down_of_chinese_labels(book):
    rules = {str(rule.sqref): rule for rule in book["清单"].data_validations.dataValidation}
    assert rules["I2:I3"].type == "list" and rules["I2:I3"].formula1 == '"未启动,推进中,已完成,不适用"'
    assert rules["J2:J3"].type == "whole" and (rules["J2:J3"].formula1, rules["J2:J3"].formula2) == ("0", "100")


def test_hidden_sheet_carries_metadata_and_each_rows_revision(book):
    hidden = book["_jobpolicy"]
    assert hidden.sheet_state == "hidden" and hidden.protection.sheet
    meta, revisions = parse_meta_sheet([list(r) for r in hidden.iter_rows(values_only=True)])
    assert meta == META and revisions == {("support.16.a", "once"): 4, ("support.15.c", "once"): 0}


def test_no_exported_cell_can_become_a_formula(book):
    sheet = book["清单"]
    assert sheet["P2"].value == "'" + EVIL and sheet["P2"].data_type == "s"
    assert (sheet["E2"].value, sheet["K2"].value, sheet["L2"].value) == ("'-按1:500配备专职人员", "'@人事处", "'+王老师")
    assert sheet["N2"].value == "'\t=cmd|' /C calc'!A0"
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not str(cell.value or "").startswith(("=", "+", "-", "@", "\t", "\r")), cell.coordinate
    assert book["清单"].oddHeader.center.text == "'=山西大学 && 清单"


def test_csv_is_utf8_with_bom_crlf_metadata_first_and_revision_last():
    data = csv_bytes(META, rows())
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert lines[0][:3] == ["# jobpolicy-checklist", "format=1", "policy_id=gse-2025"]
    assert lines[1] == [*(c.header for c in COLUMNS), "学校标识码", "版本"]
    staffing = dict(zip(lines[1], lines[2], strict=True))
    assert (staffing["期次"], staffing["状态"], staffing["完成时限"], staffing["指标值"]) == ("", "推进中", "2025-06-30", "620")
    assert (staffing["学校标识码"], staffing["版本"]) == ("4114010108", "4")
    assert staffing["备注"] == "'" + EVIL and staffing["检查项"] == "'-按1:500配备专职人员"
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
