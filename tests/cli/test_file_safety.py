"""Every --out (and --zip, --xlsx, --ics, db backup): a link planted in the chosen folder, or as the file itself, is
refused in one line and never followed; --ics never replaces a file that is not its own calendar."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codes import SHANXI

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links need POSIX rights (Windows: admin)")


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder outside every chosen folder, with a file someone cares about."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.xlsx").write_bytes(b"a filled workbook")
    return folder


def untouched(outside: Path) -> bool:
    return sorted(p.name for p in outside.iterdir()) == ["precious.xlsx"] and \
        (outside / "precious.xlsx").read_bytes() == b"a filled workbook"


def refused_as_link(result, link: Path) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0].startswith(f"错误: {link} 是一个链接（指向 ")
    assert result.stderr.splitlines()[1].startswith("提示: 删除该链接，或换一个 ")
    assert len(result.stderr.splitlines()) == 2


def plant_file(link: Path, outside: Path) -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "precious.xlsx")
    return link


def plant_folder(link: Path, outside: Path) -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside, target_is_directory=True)
    return link


def test_report_institution_refuses_a_linked_pages_folder(run_db, tmp_path, outside):
    link = plant_folder(tmp_path / "reports" / "institutions", outside)
    refused_as_link(run_db("report", "institution", SHANXI, "--out", tmp_path / "reports"), link)
    assert untouched(outside)


def test_report_summary_refuses_a_linked_state_file(run_db, tmp_path, outside):
    link = plant_file(tmp_path / "reports" / ".jobpolicy-report.json", outside)
    refused_as_link(run_db("report", "summary", "--out", tmp_path / "reports"), link)
    assert untouched(outside)
    assert not (tmp_path / "reports" / "index.html").exists()


@pytest.mark.parametrize("page", ["index.html", "measures"])
def test_report_summary_refuses_a_linked_page_or_folder(run_db, tmp_path, outside, page):
    planted = plant_file if page.endswith(".html") else plant_folder
    link = planted(tmp_path / "reports" / page, outside)
    refused_as_link(run_db("report", "summary", "--out", tmp_path / "reports"), link)
    assert untouched(outside)


@pytest.mark.parametrize("option, name", [("--zip", "报告.zip"), ("--xlsx", "汇总.xlsx")])
def test_report_summary_refuses_a_linked_zip_or_workbook(run_db, tmp_path, outside, option, name):
    link = plant_file(tmp_path / name, outside)
    refused_as_link(run_db("report", "summary", "--out", tmp_path / "reports", option, link), link)
    assert untouched(outside)


def test_checklist_export_refuses_a_linked_file(run_db, tmp_path, outside):
    link = plant_file(tmp_path / "清单.xlsx", outside)
    refused_as_link(run_db("checklist", "export", SHANXI, "--out", link), link)
    assert untouched(outside)


def test_checklist_export_refuses_a_link_in_its_folder_before_writing_any_file(run_db, tmp_path, outside):
    folder = tmp_path / "清单"
    link = plant_file(folder / f"{SHANXI}-山西大学.csv", outside)
    refused_as_link(run_db("checklist", "export", SHANXI, "4114010112", "--out", folder, "--format", "csv"), link)
    assert untouched(outside)
    assert sorted(p.name for p in folder.iterdir()) == [link.name]


def test_export_json_refuses_a_linked_file(run_db, tmp_path, outside):
    link = plant_file(tmp_path / "全部.json", outside)
    refused_as_link(run_db("export", "--format", "json", "--out", link), link)
    assert untouched(outside)


def test_export_csv_refuses_a_link_planted_in_its_previous_folder(run_db, tmp_path, outside):
    folder = tmp_path / "导出"
    assert run_db("export", "--format", "csv", "--out", folder).exit_code == 0
    (folder / "records.csv").unlink()
    link = plant_file(folder / "records.csv", outside)
    refused_as_link(run_db("export", "--format", "csv", "--out", folder), link)
    assert untouched(outside)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL is backed up with pg_dump
def test_db_backup_refuses_a_dangling_link(run_db, tmp_path, outside):
    link = tmp_path / "备份.db"
    link.symlink_to(outside / "new.db")
    refused_as_link(run_db("db", "backup", link), link)
    assert untouched(outside)


def test_deadlines_ics_refuses_a_link(run_db, tmp_path, outside):
    link = plant_file(tmp_path / "时限.ics", outside)
    refused_as_link(run_db("deadlines", "--ics", link), link)
    assert untouched(outside)


def test_deadlines_ics_never_replaces_a_file_that_is_not_its_calendar_unless_forced(run_db, tmp_path):
    workbook = tmp_path / "时限.ics"
    workbook.write_bytes(b"PK\x03\x04 a filled workbook saved under the wrong name")
    result = run_db("deadlines", "--ics", workbook)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [f"错误: {workbook} 已存在，且不是 jobpolicy 写的日历文件，不会覆盖",
                                          "提示: 换一个文件名；确要覆盖时加 --force"]
    assert workbook.read_bytes().startswith(b"PK")

    assert run_db("deadlines", "--ics", workbook, "--force").exit_code == 0
    assert workbook.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert run_db("deadlines", "--ics", workbook).exit_code == 0  # its own calendar: replaced without asking


def test_a_killed_exports_temporaries_never_block_its_folder(run_db, tmp_path):
    import subprocess
    import sys

    from jobpolicy import safe_files

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = tmp_path / "导出"
    folder.mkdir()
    leftover = folder / f"{safe_files.TEMP_PREFIX}records.csv.{dead.pid}.k2j4h1x0{safe_files.TEMP_SUFFIX}"
    leftover.write_text("half an export")  # all a first export killed mid-write left behind
    result = run_db("export", "--format", "csv", "--out", folder)
    assert result.exit_code == 0, result.stderr
    assert not leftover.exists() and (folder / "records.csv").exists()
