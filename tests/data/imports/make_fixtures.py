"""Regenerate the checklist import fixtures: ``.venv/bin/python tests/data/imports/make_fixtures.py``.

Each fixture starts from a real export of 山西大学 (4114010108) from a fresh database (every row at revision 0),
made on 2025-09-15, and is then filled in or damaged the way an office's Excel or WPS would; every one names its
填报人 (王老师) except bad_no_author.xlsx. The database holds the bundled catalog, except for
good_monthly_period.csv: a monthly item's period needs a catalog that has one (tests/data/catalogs/good_monthly).
Regenerate them whenever a catalog or the sheet format changes. Files too large to keep in the repository (over the
size or row limits) are made by the tests themselves.

format1_office.xlsx and format1_statuses.csv are not made here: they are good_office.xlsx and good_statuses.csv as
sheet format 1 made them (before the header block and the 审核 columns), kept so that files offices filled in
before format 2 stay importable. Being of gse-2025@2025.2, they go stale with it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import time_machine

HERE = Path(__file__).parent
MONTHLY = HERE.parent / "catalogs" / "good_monthly" / "monthly.yaml"  # a one-off, a yearly and a monthly item
SHANXI = "4114010108"
EXPORTED_AT = datetime(2025, 9, 15, 2, tzinfo=UTC)  # 10:00 in Beijing

sys.path.insert(0, str(HERE.parents[2] / "src"))

from jobpolicy.domain.checklist_sheet import AUTHOR, COLUMNS, HEADER_ROW  # noqa: E402

COLUMN = {c.key: i for i, c in enumerate(COLUMNS, start=1)}  # 1-based, as openpyxl counts
HEADER = HEADER_ROW - 1  # the header's index in a CSV's list of rows


def export_base(folder: Path, catalog: Path | None = None) -> tuple[Path, Path]:
    """A fresh database's export of 山西大学 as XLSX and CSV: of the bundled catalog, or of ``catalog`` alone."""
    from jobpolicy.services.checklist_exchange import export_checklists
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution
    from jobpolicy.services.policies import load_policy_version
    from jobpolicy.storage.db import make_engine

    name = "base" if catalog is None else catalog.stem
    engine = make_engine(f"sqlite:///{folder / f'{name}.db'}")
    with time_machine.travel(EXPORTED_AT, tick=False):
        init_database(engine, load_bundled=catalog is None)
        if catalog is not None:
            load_policy_version(engine, catalog, actor="make_fixtures")
        add_institution(engine, SHANXI)
        export_checklists(engine, [SHANXI], folder / f"{name}.xlsx")
        export_checklists(engine, [SHANXI], folder / f"{name}.csv")
    engine.dispose()
    return folder / f"{name}.xlsx", folder / f"{name}.csv"


# ---------------------------------------------------------------- XLSX, edited with openpyxl as an office would

def edit_xlsx(base: Path, name: str, change: Callable, *, author: str | None = "王老师") -> Path:
    """Open the export, name the 填报人, let ``change(sheet, rows)`` fill it in (rows: item id -> row number), save
    as ``name``."""
    book = openpyxl.load_workbook(base)
    sheet = book["清单"]
    assert sheet.cell(2, 1).value == AUTHOR
    sheet.cell(2, 2).value = author
    change(sheet, {sheet.cell(r, 1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)})
    with time_machine.travel(EXPORTED_AT, tick=False):
        book.save(HERE / name)
    return HERE / name


def put(sheet, row: int, **cells) -> None:
    """Fill fillable cells by column key."""
    for key, value in cells.items():
        sheet.cell(row, COLUMN[key]).value = value


def office(sheet, rows) -> None:
    put(sheet, rows["support.16.a"], status="已完成", value=480, owner="王老师", department="人事处",
        evidence="https://jy.sxu.edu.cn/staff\nhttps://jy.sxu.edu.cn/staff-2025")
    put(sheet, rows["guidance.4.a"], status="done", progress=1, due=datetime(2025, 6, 30), value=38,
        note="-已纳入2025版培养方案")  # a note starting with '-', which the export must neutralise next time
    sheet.cell(rows["guidance.4.a"], COLUMN["progress"]).number_format = "0%"  # typed as 100%
    put(sheet, rows["guidance.4.b"], status="推进中", progress=60, due="2025年12月31日", department="学生工作部")
    put(sheet, rows["guidance.4.c"], status="推进中", due="2025/11/30", owner="李老师")
    put(sheet, rows["support.15.c"], status="不适用", na_reason="经费由省级统筹，学校不单列")


def formula_cached(sheet, rows) -> None:
    put(sheet, rows["support.16.a"], status="已完成", value="=400+80")


def formula_uncached(sheet, rows) -> None:
    column = openpyxl.utils.get_column_letter(COLUMN["value"])
    put(sheet, rows["support.16.a"], status="已完成", value=f"=SUM({column}6:{column}7)")


def date_serial(sheet, rows) -> None:
    put(sheet, rows["guidance.4.b"], status="推进中", due=45838)  # 2025-06-30 typed as a number, General format
    sheet.cell(rows["guidance.4.b"], COLUMN["due"]).number_format = "General"
    put(sheet, rows["guidance.4.c"], due=datetime(2025, 7, 15))


def merged(sheet, rows) -> None:
    top = rows["guidance.4.a"]
    put(sheet, top, department="学生工作部")
    for row in (top, top + 1, top + 2):
        put(sheet, row, status="推进中")
    column = openpyxl.utils.get_column_letter(COLUMN["department"])
    sheet.merge_cells(f"{column}{top}:{column}{top + 2}")


def merged_across(sheet, rows) -> None:
    row = rows["support.16.a"]
    put(sheet, row, status="已完成", value=480)
    value, note = (openpyxl.utils.get_column_letter(COLUMN[k]) for k in ("value", "note"))
    sheet.merge_cells(f"{value}{row}:{note}{row}")


def extra_column(sheet, rows) -> None:
    sheet.protection.sheet = False  # an office unprotects the sheet (no password) to add a column
    at = COLUMN["due"]
    sheet.insert_cols(at)
    sheet.cell(HEADER_ROW, at).value = "办公室电话"
    sheet.cell(rows["support.16.a"], at).value = "0351-7010000"
    shifted = {key: (i + 1 if i >= at else i) for key, i in COLUMN.items()}
    sheet.cell(rows["support.16.a"], shifted["status"]).value = "推进中"
    sheet.cell(rows["support.16.a"], shifted["value"]).value = 520
    sheet.cell(rows["support.16.a"], shifted["note"]).value = "新增两名专职人员"


def deleted_row(sheet, rows) -> None:
    sheet.protection.sheet = False
    put(sheet, rows["support.16.a"], status="推进中", value=520)
    sheet.delete_rows(rows["guidance.4.a"])


def no_meta_sheet(sheet, rows) -> None:
    book = sheet.parent
    book.security.lockStructure = False
    del book["_jobpolicy"]
    put(sheet, rows["support.16.a"], status="已完成")


def meta_value(key: str, value: str, *, table_code: str | None = None) -> Callable:
    def change(sheet, rows) -> None:
        meta = sheet.parent["_jobpolicy"]
        for line in meta.iter_rows():
            if line[0].value == key:
                line[1].value = value
            if table_code and line[0].value and re.fullmatch(r"[a-z]+\.\d+\.[a-z]", str(line[0].value)):
                line[2].value = table_code
        put(sheet, rows["support.16.a"], status="已完成")
    return change


def rewrite_member(path: Path, member: str | None = None, change: Callable[[bytes], bytes] = bytes, *,
                   extra: dict | None = None) -> None:
    """Rewrite one part of a saved XLSX (for what openpyxl cannot write: cached values, DTDs, macros)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == member else data)
        for name, data in (extra or {}).items():
            target.writestr(zipfile.ZipInfo(name, date_time=(2025, 9, 15, 10, 0, 0)), data)
    path.write_bytes(buffer.getvalue())


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
                  + b"</worksheet>")


def zip_bomb(path: Path, base: Path) -> None:
    """The export plus one member that unpacks to 60 MB of zeros (about 60 KB packed)."""
    path.write_bytes(base.read_bytes())
    info = zipfile.ZipInfo("xl/media/padding.bin", date_time=(2025, 9, 15, 10, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "a") as archive, archive.open(info, "w") as member:
        for _ in range(60):
            member.write(bytes(1024 * 1024))


# ---------------------------------------------------------------- CSV, edited as text

def read_csv(base: Path, *, author: str = "王老师") -> list[list[str]]:
    """The rows of a CSV export, its 填报人 filled in."""
    rows = list(csv.reader(io.StringIO(base.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[1][0] == AUTHOR
    rows[1][1] = author
    return rows


def write_csv(rows: list[list[str]], name: str, *, encoding: str = "utf-8-sig", pad: bool = False) -> Path:
    """Write rows; ``pad`` gives every row the same number of cells, as Excel does when it saves a CSV."""
    width = max(len(row) for row in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[*row, *[""] * (width - len(row))] if pad else row for row in rows])
    (HERE / name).write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return HERE / name


def csv_edit(rows: list[list[str]], item: str, **cells) -> None:
    header = rows[HEADER]
    row = next(r for r in rows[HEADER + 1:] if r[0] == item)
    for key, value in cells.items():
        row[header.index(next(c.header for c in COLUMNS if c.key == key) if key in COLUMN else key)] = value


def excel_china(rows: list[list[str]]) -> list[list[str]]:
    """What Excel in China does to a CSV it opens and saves: ISO dates become 2025/6/30, and so do monthly
    periods (2026-10 is read as 1 October 2026)."""
    def redate(cell: str) -> str:
        full = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", cell)
        if full:
            return f"{int(full[1])}/{int(full[2])}/{int(full[3])}"
        month = re.fullmatch(r"(\d{4})-(\d{2})", cell)
        return f"{int(month[1])}/{int(month[2])}/1" if month else cell
    return [*rows[:HEADER + 1], *([redate(c) for c in row] for row in rows[HEADER + 1:])]


def make_csv_fixtures(base: Path) -> None:
    rows = read_csv(base)
    csv_edit(rows, "support.16.a", status="已完成", value="480", owner="王老师")
    csv_edit(rows, "guidance.4.a", status="in_progress", progress="40")
    csv_edit(rows, "guidance.4.b", status="not_started")
    csv_edit(rows, "guidance.4.c", status="不适用", note="本校咨询由二级学院承担")
    write_csv(rows, "good_statuses.csv")

    rows = excel_china(read_csv(base))
    csv_edit(rows, "support.16.a", status="已完成", value="480", department="人事处", note="按1:500配备，已到位")
    csv_edit(rows, "guidance.4.b", status="推进中", due="2025/12/31", owner="张老师")
    csv_edit(rows, "recruitment.7.b", status="已完成", value="120")
    write_csv(rows, "good_gb18030.csv", encoding="gbk", pad=True)

    rows = read_csv(base)
    for item, due in (("guidance.4.a", "2025-06-30"), ("guidance.4.b", "2025/6/30"), ("guidance.4.c", "2025年6月30日"),
                      ("guidance.4.d", "45838")):
        csv_edit(rows, item, due=due)
    write_csv(rows, "good_dates.csv")

    rows = read_csv(base)
    csv_edit(rows, "support.16.a", status="完成了", progress="150", value="四百八")
    csv_edit(rows, "guidance.4.b", due="明天")
    csv_edit(rows, "guidance.4.a", status="已完成")  # a good row: still nothing of the file goes in
    write_csv(rows, "bad_status.csv")

    for name, item, change in (("bad_unknown_item.csv", "support.16.a", "nope.1.a"),
                               ("bad_inapplicable_item.csv", "support.16.a", "supply.1.a")):
        rows = read_csv(base)
        csv_edit(rows, "support.16.a", status="已完成")
        next(r for r in rows[HEADER + 1:] if r[0] == item)[0] = change
        write_csv(rows, name)

    rows = read_csv(base)
    csv_edit(rows, "support.15.c", status="不适用")
    write_csv(rows, "bad_not_applicable.csv")

    rows = read_csv(base)
    csv_edit(rows, "support.16.a", status="已完成")
    rows.append(list(next(r for r in rows[HEADER + 1:] if r[0] == "support.16.a")))
    write_csv(rows, "bad_duplicate_row.csv")

    rows = read_csv(base)
    csv_edit(rows, "support.16.a", evidence="javascript:alert(1)\n../secret.txt")
    write_csv(rows, "bad_evidence.csv")

    rows = read_csv(base)
    csv_edit(rows, "support.16.a", status="已完成")
    csv_edit(rows, "guidance.4.a", 学校标识码="4114010112")  # a row pasted from 太原理工大学's file
    write_csv(rows, "bad_other_institution.csv")

    rows = read_csv(base)[1:]
    write_csv(rows, "bad_not_exported.csv")

    data = (HERE / "good_statuses.csv").read_bytes().removeprefix(codecs.BOM_UTF8)
    (HERE / "bad_encoding.csv").write_bytes(data.replace("王老师".encode(), b"\xff\xfe\xff"))


def make_monthly_fixtures(base: Path) -> None:
    """From an export of good_monthly: Excel in China saved the monthly period 2025-08 as 2025/8/1."""
    rows = excel_china(read_csv(base))
    monthly = next(r for r in rows[HEADER + 1:] if r[0] == "assistance.1.a")
    assert monthly[1] == "2025/8/1", monthly[1]  # the period as Excel rewrote it
    csv_edit(rows, "assistance.1.a", status="已完成", value="99")
    write_csv(rows, "good_monthly_period.csv", encoding="gbk", pad=True)


def make_xlsx_fixtures(base: Path) -> None:
    edit_xlsx(base, "good_office.xlsx", office)
    rewrite_member(edit_xlsx(base, "good_formula_cached.xlsx", formula_cached), "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b"<f>400+80</f><v />", b"<f>400+80</f><v>480</v>"))
    edit_xlsx(base, "bad_formula_no_value.xlsx", formula_uncached)
    edit_xlsx(base, "good_date_serial.xlsx", date_serial)
    edit_xlsx(base, "good_merged.xlsx", merged)
    edit_xlsx(base, "bad_merged_across.xlsx", merged_across)
    edit_xlsx(base, "good_extra_column.xlsx", extra_column)
    edit_xlsx(base, "good_deleted_row.xlsx", deleted_row)
    edit_xlsx(base, "bad_no_meta_sheet.xlsx", no_meta_sheet)
    edit_xlsx(base, "bad_no_author.xlsx", office, author=None)
    edit_xlsx(base, "bad_other_version.xlsx", meta_value("policy_version", "2024.9"))
    edit_xlsx(base, "bad_unknown_institution.xlsx", meta_value("institution_code", "4111010001",
                                                               table_code="4111010001"))
    rewrite_member(edit_xlsx(base, "bad_xml_bomb.xlsx", office), "xl/worksheets/sheet1.xml",
                   lambda xml: BILLION_LAUGHS)
    zip_bomb(HERE / "bad_zip_bomb.xlsx", base)
    (HERE / "bad_macro.xlsm").write_bytes((HERE / "good_office.xlsx").read_bytes())
    (HERE / "bad_macro_inside.xlsx").write_bytes((HERE / "good_office.xlsx").read_bytes())
    rewrite_member(HERE / "bad_macro_inside.xlsx", extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})
    (HERE / "bad_old_format.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def main() -> None:
    for old in HERE.glob("good_*"):
        old.unlink()
    for old in HERE.glob("bad_*"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        xlsx, csv_file = export_base(Path(folder))
        make_xlsx_fixtures(xlsx)
        make_csv_fixtures(csv_file)
        make_monthly_fixtures(export_base(Path(folder), MONTHLY)[1])
    for path in sorted(HERE.glob("*_*.*")):
        if path.suffix != ".py":
            print(f"{path.stat().st_size:>8}  {path.name}")


if __name__ == "__main__":
    main()
