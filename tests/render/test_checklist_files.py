"""The checklist files as written: the workbook's protection, drop-down, layout and hidden sheet; the CSV's bytes;
and formula injection neutralised in both."""

import codecs
import csv
import io
from datetime import date

import openpyxl
import pytest

from jobpolicy.domain.catalog import Actor, Indicator, Item
from jobpolicy.domain.checklist_sheet import COLUMNS, SheetMeta, parse_meta_sheet, sheet_row
from jobpolicy.render.checklist_csv import csv_bytes
from jobpolicy.render.checklist_workbook import workbook_bytes

META = SheetMeta("gse-2025", "2025.1", "4114010108", "山西大学", "2025-09-15T02:00:00+00:00")
EVIL = '=HYPERLINK("http://evil","x")'
ITEM = Item("support.16.a", Actor.UNIVERSITY, "-按1:500配备专职人员", evidence=("人员名单",))
LETTER = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}


def rows():
    recorded = {"status": "in_progress", "progress": 50, "department": "@人事处", "owner": "+王老师",
                "due": date(2025, 6, 30), "value": 620.0, "note": EVIL, "review": "returned",
                "review_reason": "-缺少名单"}
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
    assert [c.value for c in sheet[5]] == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "C6" and sheet.auto_filter.ref == "A5:U7"
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.column_dimensions["G"].width == 40
    assert all(cell.alignment.wrap_text for cell in sheet[6])
    assert sheet["N6"].value.date() == date(2025, 6, 30) and sheet["N6"].number_format == "yyyy-mm-dd"
    assert (sheet["C6"].value, sheet["D6"].value) == ("已退回", "'-缺少名单")
    assert (sheet["J6"].value, sheet["K6"].value, sheet["Q6"].value) == ("推进中", 50, 620)
    assert all(cell.value is None for cell in sheet[7][9:])  # nothing recorded: fillable cells are blank


def test_the_header_block_asks_for_author_and_phone_once_and_names_the_returned_rows(book):
    sheet = book["清单"]
    assert sheet["A1"].value == "'=山西大学 & 清单" and sheet["A1"].font.b
    assert (sheet["A2"].value, sheet["A3"].value) == ("填报人", "联系电话")
    assert {str(r) for r in sheet.merged_cells.ranges} == {"B2:C2", "B3:C3"}
    assert not sheet["B2"].protection.locked and not sheet["B3"].protection.locked
    assert sheet["A4"].value.endswith("省厅退回 1 项（审核状态为“已退回”，第 6 行），请按审核意见修改。")


def test_returned_rows_stand_out_and_fillable_cells_stay_yellow(book):
    sheet = book["清单"]
    assert sheet["C6"].fill.fgColor.rgb.endswith("F8CBAD") and sheet["A6"].fill.fgColor.rgb.endswith("F8CBAD")
    assert sheet["J6"].fill.fgColor.rgb.endswith("FFF2CC")
    assert sheet["C7"].fill.fill_type is None


def test_read_only_columns_are_locked_and_fillable_ones_are_not(book):
    sheet = book["清单"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.protection.autoFilter is False  # filtering stays allowed on the protected sheet
    for column in COLUMNS:
        assert sheet[f"{LETTER[column.key]}6"].protection.locked is (not column.fillable), column.header
    assert book.security.lockStructure


def test_status_and_confirm_have_drop_downs(book):
    rules = {str(rule.sqref): rule for rule in book["清单"].data_validations.dataValidation}
    assert rules["J6:J7"].type == "list" and rules["J6:J7"].formula1 == '"未启动,推进中,已完成,不适用"'
    assert rules["K6:K7"].type == "whole" and (rules["K6:K7"].formula1, rules["K6:K7"].formula2) == ("0", "100")
    assert rules["U6:U7"].type == "list" and rules["U6:U7"].formula1 == '"是"'


@pytest.mark.parametrize(("comparator", "sign"), [("<=", "<="), (">=", ">="), ("==", "=")])
def test_the_verdict_is_a_formula_of_the_indicator_so_it_follows_what_the_office_types(comparator, sign):
    item = Item("support.16.a", Actor.UNIVERSITY, "配备专职人员", indicator=Indicator("配比", "人", 500, comparator))
    row = sheet_row(item=item, section="七", measure="（十六）", period="once", deadline=None,
                    institution_code=META.institution_code, revision=0, recorded={"status": "done", "value": 620.0})
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes(META, [row], title="t")))["清单"]
    # a value in a percent-formatted cell (98% stored as 0.98) is read as 98, as the import reads it
    value = 'IF(LEFT(CELL("format",Q6),1)="P",Q6*100,Q6)'
    assert sheet["R6"].value == f'=IF(ISNUMBER(Q6),IF({value}{sign}500,"达标","未达标"),"")'
    assert sheet["R6"].protection.locked
    assert dict(zip(lines_of(csv_bytes(META, [row]))[4], lines_of(csv_bytes(META, [row]))[5], strict=False))[
        "达标情况"] == ("未达标" if comparator != ">=" else "达标")


def lines_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_hidden_sheet_carries_metadata_and_each_rows_revision(book):
    hidden = book["_jobpolicy"]
    assert hidden.sheet_state == "hidden" and hidden.protection.sheet
    meta, revisions = parse_meta_sheet([list(r) for r in hidden.iter_rows(values_only=True)])
    assert meta == META and revisions == {("support.16.a", "once"): 4, ("support.15.c", "once"): 0}


def test_no_exported_cell_can_become_a_formula(book):
    sheet = book["清单"]
    assert sheet["T6"].value == "'" + EVIL and sheet["T6"].data_type == "s"
    assert (sheet["G6"].value, sheet["L6"].value, sheet["M6"].value) == ("'-按1:500配备专职人员", "'@人事处", "'+王老师")
    assert sheet["O6"].value == "'\t=cmd|' /C calc'!A0"
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert not str(cell.value or "").startswith(("=", "+", "-", "@", "\t", "\r")), cell.coordinate
    assert book["清单"].oddHeader.center.text == "'=山西大学 && 清单"


def test_csv_is_utf8_with_bom_crlf_metadata_first_and_revision_last():
    data = csv_bytes(META, rows())
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data
    lines = lines_of(data)
    assert lines[0][:3] == ["# jobpolicy-checklist", "format=2", "policy_id=gse-2025"]
    assert [line[0] for line in lines[1:3]] == ["填报人", "联系电话"] and lines[3][0].startswith("填写说明")
    assert lines[4] == [*(c.header for c in COLUMNS), "学校标识码", "版本"]
    staffing = dict(zip(lines[4], lines[5], strict=True))
    assert (staffing["期次"], staffing["状态"], staffing["完成时限"], staffing["指标值"]) == ("", "推进中", "2025-06-30", "620")
    assert (staffing["学校标识码"], staffing["版本"]) == ("4114010108", "4")
    assert staffing["备注"] == "'" + EVIL and staffing["检查项"] == "'-按1:500配备专职人员"
    assert (staffing["审核状态"], staffing["审核意见"], staffing["确认报送"]) == ("已退回", "'-缺少名单", "")
    for line in lines:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
