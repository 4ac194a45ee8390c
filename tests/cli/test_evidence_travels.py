"""Issue 12's “done when”, end to end through the commands: an office records an item with a PDF and a photo,
exports its workbook, returns it as a zip with two more files; the province imports it; the school's report folder,
copied alone elsewhere, opens each file from the item's line; a byte altered in the store is reported by the check;
a zip with a file over the limit, a path like ``../x``, or a disallowed type is refused with one line, nothing
stored. On both back ends."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from bs4 import BeautifulSoup

from codes import SHANXI
from evidence_samples import DOCX, JPG, PDF, PNG, write
from jobpolicy.domain.checklist_sheet import COLUMNS, HEADER_ROW
from storage.test_evidence_store import damage

ITEM = "support.16.a"
EVIDENCE_COLUMN = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "evidence")
FILES = {"人员名单.pdf": PDF, "座谈会照片.jpg": JPG}
MORE = {"会议纪要.docx": DOCX, "材料/就业台账.png": PNG}


def returned_workbook(path: Path, more: list[str]) -> None:
    """The office fills in its name and names two more files in the item's 佐证材料 cell, one per line."""
    book = openpyxl.load_workbook(path)
    sheet = book["清单"]
    sheet["B2"], sheet["B3"] = "王老师", "0351-7010000"
    row = next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == ITEM)
    cell = sheet.cell(row, EVIDENCE_COLUMN)
    cell.value = "\n".join([*(cell.value or "").splitlines(), *more])
    book.save(path)


def zipped(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder.parent).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def evidence_rows(run_db) -> int:
    return json.loads(run_db("db", "info", "--json").stdout)["counts"]["evidence"]


@pytest.fixture
def office(run_db, tmp_path):
    """The office's record (a PDF and a photo), and its workbook returned as a folder with two more files."""
    given = [write(tmp_path / "本机", name, data) for name, data in FILES.items()]
    result = run_db("record", "set", SHANXI, ITEM, "--status", "已完成", *(a for p in given for a in ("--evidence", p)),
                    "--by", "王老师")
    assert result.exit_code == 0, result.stderr
    folder = tmp_path / "山西大学报送"
    exported = run_db("checklist", "export", SHANXI, "--out", folder / "山西大学.xlsx")
    assert exported.exit_code == 0, exported.stderr
    returned_workbook(folder / "山西大学.xlsx", list(MORE))
    for name, data in MORE.items():
        write(folder, name, data)
    return folder


def test_evidence_travels_from_the_office_into_the_report(run_db, engine, office, tmp_path):
    imported = run_db("checklist", "import", zipped(office, tmp_path / "山西大学报送.zip"), "--by", "省厅李处长")
    assert imported.exit_code == 0, imported.stdout + imported.stderr

    shown = run_db("record", "show", SHANXI, ITEM).stdout
    assert all(f"佐证：{Path(name).name}（" in shown for name in [*FILES, *MORE])
    report = run_db("report", "institution", SHANXI, "--out", tmp_path / "报告")
    assert report.exit_code == 0, report.stderr

    elsewhere = tmp_path / "另一台电脑" / "报告"
    shutil.copytree(tmp_path / "报告", elsewhere)
    shutil.rmtree(tmp_path / "报告")
    page = elsewhere / "institutions" / f"{SHANXI}.html"
    links = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[download]")
    assert sorted(a["download"] for a in links) == sorted(Path(n).name for n in [*FILES, *MORE])
    for link in links:
        copy = (page.parent / unquote(link["href"])).resolve()
        assert copy.is_relative_to(elsewhere) and copy.is_file()
        wanted = {**FILES, **MORE}[next(n for n in [*FILES, *MORE] if Path(n).name == link["download"])]
        assert hashlib.sha256(copy.read_bytes()).digest() == hashlib.sha256(wanted).digest()

    summary = run_db("report", "summary", "--out", tmp_path / "汇总")
    assert summary.exit_code == 0, summary.stderr
    item_page = tmp_path / "汇总" / "items" / f"{ITEM}.html"
    first = BeautifulSoup(item_page.read_text(encoding="utf-8"), "html.parser").select_one("a[download]")
    assert first["download"] == "人员名单.pdf"
    assert (item_page.parent / unquote(first["href"])).read_bytes() == PDF

    damage(engine, hashlib.sha256(DOCX).hexdigest())
    check = run_db("db", "check")
    assert check.exit_code == 1 and "：会议纪要.docx（sha256 " in check.stdout


@pytest.mark.parametrize(("extra", "message"), [
    ({"山西大学报送/扫描件.pdf": PDF + b"0" * 300_000}, "包中的“山西大学报送/扫描件.pdf”有 293 KB，超过每个文件 195 KB"),
    ({"../x.pdf": PDF}, "包中的“../x.pdf”的路径指向包外（含 ..），整个包未导入"),
    ({"山西大学报送/安装.exe": b"MZ\x90\x00"}, "包中的“山西大学报送/安装.exe”的类型（.exe）不接受"),
    ({"山西大学报送/更多.zip": b"PK\x05\x06" + b"\x00" * 18}, "是压缩包：包中不能再套压缩包"),
])
def test_an_unsafe_zip_is_refused_with_one_line_and_nothing_stored(run_db, office, tmp_path, monkeypatch, extra,
                                                                   message):
    monkeypatch.setattr("jobpolicy.services.evidence_package.MAX_EVIDENCE_BYTES", 200_000)  # the workbook is ~20 KB
    before = evidence_rows(run_db)

    result = run_db("checklist", "import", zipped(office, tmp_path / "报送.zip", extra), "--by", "省厅李处长")

    assert result.exit_code == 3
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and errors[0].startswith("错误: 报送.zip：") and message in errors[0], result.stderr
    assert evidence_rows(run_db) == before
    assert json.loads(run_db("db", "check", "--json").stdout)["checked"] == len(FILES)


def test_a_cell_naming_a_file_the_package_lacks_is_a_row_error_naming_it(run_db, office, tmp_path):
    (office / "会议纪要.docx").unlink()
    before = evidence_rows(run_db)

    result = run_db("checklist", "import", office, "--by", "省厅李处长")

    assert result.exit_code == 3
    assert "佐证材料“会议纪要.docx”既不是 http(s) 链接，也不在清单所在的文件夹或压缩包中" in result.stdout
    assert evidence_rows(run_db) == before


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_package_whose_workbook_libreoffice_saved_imports_every_file(run_db, office, tmp_path, soffice):
    from libreoffice import save_in_libreoffice

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    shutil.copy(office / "山西大学.xlsx", scratch / "山西大学.xlsx")
    shutil.copy(save_in_libreoffice(soffice, scratch / "山西大学.xlsx"), office / "山西大学.xlsx")

    result = run_db("checklist", "import", zipped(office, tmp_path / "报送.zip"), "--by", "省厅李处长")

    assert result.exit_code == 0, result.stdout + result.stderr
    assert evidence_rows(run_db) == len(FILES) + len(MORE)
