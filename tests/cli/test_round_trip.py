"""The spreadsheet round trip leaves what nobody edited exactly as it was, through LibreOffice as an office saves it:
a note longer than a cell holds, a leading apostrophe, digits a spreadsheet would rewrite, a control character."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from codes import SHANXI
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from jobpolicy.services.recording import RawChange, set_record
from libreoffice import save_in_libreoffice

LONG = "就业指导中心已按要求完成。" * 3_000  # 39,000 characters: more than Excel's 32,767 a cell
VALUES = {  # item -> the fields set on it, as an office or a province once typed them
    "supply.2.a": {"note": LONG},
    "supply.2.b": {"note": "'=1+1"},
    "supply.2.c": {"note": "第一段\x0b第二段（从 Word 粘贴的换行）\x01"},
    "supply.3.b": {"owner": "+8613800000000"},
    "supply.3.c": {"department": "00123"},
    "supply.3.d": {"note": "123456789012345678"},
    "guidance.4.a": {"note": "=1+1"},
    "guidance.4.b": {"note": "字面的 _x000B_ 不是转义"},
}
FIELDS = ("note", "owner", "department")
LETTER = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}


@pytest.fixture
def filled(engine, db_url):
    for item, fields in VALUES.items():
        set_record(engine, SHANXI, item, RawChange(**fields), actor="张老师")
    return engine


def stored(run_db) -> dict[str, dict[str, object]]:
    lines = json.loads(run_db("record", "show", SHANXI, "--json").stdout)["lines"]
    return {line["item"]: {f: line.get(f) for f in FIELDS} for line in lines if line["item"] in VALUES}


def import_unchanged(run_db, path: Path) -> None:
    before = stored(run_db)
    result = run_db("checklist", "import", path, "--author", "王老师", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = json.loads(result.stdout)["files"][0]["rows"]
    assert [(row["item"], row["changes"]) for row in rows if row["changes"]] == []
    assert stored(run_db) == before
    assert {item: {k: before[item][k] for k in fields} for item, fields in VALUES.items()} == VALUES


def soffice_csv(soffice: str, path: Path) -> Path:
    """Open a CSV in LibreOffice (UTF-8, comma) and save it as CSV again, as an office does."""
    options = "Text - txt - csv (StarCalc):44,34,76,1"
    out = path.parent / "libreoffice"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(path.parent / 'lo').as_uri()}",
                    f"--infilter={options}", "--convert-to", f"csv:{options}", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    return out / path.name


def test_a_workbook_saved_by_libreoffice_changes_nothing_nobody_edited(run_db, filled, tmp_path, soffice):
    path = tmp_path / "山西大学.xlsx"
    assert run_db("checklist", "export", SHANXI, "--out", path).exit_code == 0  # the control character included
    saved = save_in_libreoffice(soffice, path)
    sheet = openpyxl.load_workbook(saved)["清单"]
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    long_cell = sheet[f"{LETTER['note']}{rows['supply.2.a']}"].value
    assert len(long_cell) <= 32_767 and "字未导出" in long_cell  # cut with a mark, not silently
    import_unchanged(run_db, saved)


def test_a_csv_saved_by_libreoffice_changes_nothing_nobody_edited(run_db, filled, tmp_path, soffice):
    path = tmp_path / "山西大学.csv"
    assert run_db("checklist", "export", SHANXI, "--out", path).exit_code == 0
    text = path.read_text(encoding="utf-8-sig")
    assert "'+8613800000000" in text and "'00123" in text and "'123456789012345678" in text and "''=1+1" in text
    import_unchanged(run_db, soffice_csv(soffice, path))


def test_digits_a_spreadsheet_rewrote_are_recognised_as_unchanged(run_db, filled, tmp_path, soffice):
    # a CSV written before the guard (or an office that pasted the values back): LibreOffice makes numbers of them
    path = tmp_path / "山西大学.csv"
    assert run_db("checklist", "export", SHANXI, "--out", path).exit_code == 0
    unguarded = re.sub(r"'(\+8613800000000|00123|123456789012345678)", r"\1", path.read_text(encoding="utf-8-sig"))
    path.write_text(unguarded, encoding="utf-8-sig")
    saved = soffice_csv(soffice, path)
    assert ",8613800000000," in saved.read_text(encoding="utf-8") and ",123," in saved.read_text(encoding="utf-8")
    import_unchanged(run_db, saved)


def test_a_cut_note_edited_in_the_sheet_is_refused_on_its_row(run_db, filled, tmp_path):
    path = tmp_path / "山西大学.xlsx"
    run_db("checklist", "export", SHANXI, "--out", path)
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    cell = sheet[f"{LETTER['note']}{rows['supply.2.a']}"]
    cell.value = "改过的开头" + cell.value
    book.save(path)
    result = run_db("checklist", "import", path, "--author", "王老师")
    assert result.exit_code == 3
    assert (f"第 {rows['supply.2.a']} 行 {LETTER['note']} 列 备注是导出时截断的长文本（单元格最多 32767 字），"
            "截断后又被改动，无法导入") in result.stdout
    assert stored(run_db)["supply.2.a"]["note"] == LONG


@pytest.mark.parametrize("typed, shown, outcome", [
    ("46000", "2025-12-09", "2025-12-09"),  # an Excel serial number, read as the date it is
    ("2025", "1905-07-17", "像是在日期格中输入了数字 2025"),  # a year typed into a date cell: refused, not 1905
])
def test_a_number_typed_into_the_due_date_is_read_as_its_date_or_refused(run_db, engine, tmp_path, soffice,
                                                                        typed, shown, outcome):
    path = tmp_path / "山西大学.xlsx"
    run_db("checklist", "export", SHANXI, "--out", path)
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    rows = {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    sheet[f"{LETTER['due']}{rows['supply.2.a']}"].value = int(typed)  # what typing the digits stores; the
    book.save(path)  # exported column's date format makes a spreadsheet show it as a date
    saved = save_in_libreoffice(soffice, path)
    assert openpyxl.load_workbook(saved)["清单"][f"{LETTER['due']}{rows['supply.2.a']}"].value.date().isoformat() \
        == shown
    result = run_db("checklist", "import", saved, "--author", "王老师", "--json")
    if outcome[0].isdigit():
        assert result.exit_code == 0, result.stdout
        changes = [row["changes"] for row in json.loads(result.stdout)["files"][0]["rows"] if row["changes"]]
        assert changes == [[{"field": "due", "old": None, "new": outcome}]]
    else:
        assert result.exit_code == 3
        assert outcome in result.stdout
