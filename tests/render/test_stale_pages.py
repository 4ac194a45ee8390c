"""A report written again into the same folder removes the pages of the earlier run it no longer links, and
nothing else: not the user's own files, not a single school's page, nothing through a link (*both back ends*)."""

import json
import os
import shutil
import zipfile
from datetime import date

import pytest

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.errors import ReportError
from jobpolicy.services import reports
from jobpolicy.services.report_state import STATE_FILE
from jobpolicy.services.reports import institution_report, summary_report
from jobpolicy.services.scope import resolve_scope

AS_OF = date(2025, 6, 30)
SHANXI_ALL = resolve_scope(province="山西")
UNDERGRADUATE = resolve_scope(province="山西", level="本科")
DROPPED = f"institutions/{CHANGZHI_VOCATIONAL}.html"  # 专科: out of the 本科 scope


@pytest.fixture(scope="module")
def scenario(module_scenario):
    """Built once per back end: every test here writes reports into a folder of its own and changes no record."""
    return module_scenario


@pytest.fixture(scope="module")
def all_shanxi(scenario, tmp_path_factory):
    """A summary of all 山西 written once per back end, for ``summarised`` to copy."""
    out = tmp_path_factory.mktemp("all_shanxi")
    summary_report(scenario, out_dir=out, scope=SHANXI_ALL, as_of=AS_OF)
    return out


@pytest.fixture
def summarised(all_shanxi, tmp_path) -> None:
    """The test's folder (``tmp_path``) as a summary of all 山西 left it: a byte-for-byte copy of ``all_shanxi``
    (its state file names files relative to the folder), for the test to change and report into again."""
    shutil.copytree(all_shanxi, tmp_path, symlinks=True, dirs_exist_ok=True)


def files_in(folder):
    return {str(p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def state_of(folder):
    return json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))


def test_a_narrower_summary_removes_the_school_that_left_its_scope(scenario, summarised, tmp_path):
    assert (tmp_path / DROPPED).is_file()
    summary_report(scenario, out_dir=tmp_path, scope=UNDERGRADUATE, as_of=AS_OF)
    assert not (tmp_path / DROPPED).exists()
    assert (tmp_path / f"institutions/{SHANXI}.html").is_file()
    assert (tmp_path / f"institutions/{TAIYUAN_TECH}.html").is_file()
    assert DROPPED not in state_of(tmp_path)["files"]["summary"]


def test_pages_of_measures_items_and_evidence_no_longer_written_are_removed(scenario, summarised, tmp_path):
    """As after a catalog without those items: the earlier run wrote and listed them, this one does not."""
    state = state_of(tmp_path)
    gone = ["measures/old.9.html", "items/old.9.a.html", "coverage/旧方案.html", "evidence/0123456789abcdef/名单.pdf"]
    for name in gone:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("上一次的页面", encoding="utf-8")
    state["files"]["summary"] += gone
    (tmp_path / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    summary_report(scenario, out_dir=tmp_path, scope=SHANXI_ALL, as_of=AS_OF)
    assert not [name for name in gone if (tmp_path / name).exists()]
    assert not (tmp_path / "evidence").exists()  # the folders they alone filled go with them
    assert (tmp_path / "measures/support.16.html").is_file()  # still written, so kept


def test_the_users_own_files_survive(scenario, summarised, tmp_path):
    mine = {"说明（本处）.docx": b"PK", "institutions/批注.txt": b"note", "measures/旧稿.html": b"<html>"}
    for name, data in mine.items():
        (tmp_path / name).write_bytes(data)
    summary_report(scenario, out_dir=tmp_path, scope=UNDERGRADUATE, as_of=AS_OF)
    assert {name: (tmp_path / name).read_bytes() for name in mine} == mine


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_a_link_planted_where_a_stale_page_was_is_not_followed(scenario, tmp_path):
    out, outside = tmp_path / "r", tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.html").write_text("别人的文件", encoding="utf-8")
    summary_report(scenario, out_dir=out, scope=SHANXI_ALL, as_of=AS_OF)
    (out / DROPPED).unlink()
    (out / DROPPED).symlink_to(outside / "page.html")
    state = state_of(out)  # and a listed name that leads out of the folder, as a tampered state file might hold
    state["files"]["summary"] += ["../elsewhere/page.html", str(outside / "page.html")]
    (out / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    summary_report(scenario, out_dir=out, scope=UNDERGRADUATE, as_of=AS_OF)
    assert (out / DROPPED).is_symlink()  # left alone: not ours to remove
    assert (outside / "page.html").read_text(encoding="utf-8") == "别人的文件"


def test_the_zip_holds_only_the_current_pages(scenario, tmp_path):
    out, archive = tmp_path / "r", tmp_path / "汇总.zip"
    summary_report(scenario, out_dir=out, scope=SHANXI_ALL, as_of=AS_OF, archive=archive)
    summary_report(scenario, out_dir=out, scope=UNDERGRADUATE, as_of=AS_OF, archive=archive)
    with zipfile.ZipFile(archive) as zipped:
        zipped_pages = {name.removeprefix("汇总/") for name in zipped.namelist()} - {"说明.txt"}
    assert zipped_pages == files_in(out) - {STATE_FILE, ".gitignore"}
    assert DROPPED not in zipped_pages


def test_an_older_state_file_without_the_list_removes_nothing_and_gains_it(scenario, summarised, tmp_path):
    state = state_of(tmp_path)
    del state["files"]  # as the version before the list wrote it
    (tmp_path / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    summary_report(scenario, out_dir=tmp_path, scope=UNDERGRADUATE, as_of=AS_OF)
    assert (tmp_path / DROPPED).is_file()  # unknown whether the tool wrote it: kept
    assert f"institutions/{SHANXI}.html" in state_of(tmp_path)["files"]["summary"]
    summary_report(scenario, out_dir=tmp_path, scope=resolve_scope(province="山西", level="专科"),
                   as_of=AS_OF)
    assert not (tmp_path / f"institutions/{SHANXI}.html").exists()  # listed now, so removed when dropped


def test_a_school_report_into_the_summarys_folder_removes_none_of_its_pages(scenario, summarised, tmp_path):
    before = files_in(tmp_path)
    institution_report(scenario, SHANXI, out_dir=tmp_path, as_of=AS_OF)
    assert files_in(tmp_path) == before
    # and the school's own page, written last by report institution, outlives a summary that drops it
    institution_report(scenario, CHANGZHI_VOCATIONAL, out_dir=tmp_path, as_of=AS_OF)
    summary_report(scenario, out_dir=tmp_path, scope=UNDERGRADUATE, as_of=AS_OF)
    assert (tmp_path / DROPPED).is_file()


def test_a_run_that_fails_midway_leaves_the_previous_reports_pages(scenario, summarised, tmp_path, monkeypatch):
    before = state_of(tmp_path)["files"]

    def failing(common, index):
        raise ReportError("写到一半失败")
        yield

    monkeypatch.setattr(reports, "measure_and_item_pages", failing)
    with pytest.raises(ReportError):
        summary_report(scenario, out_dir=tmp_path, scope=UNDERGRADUATE, as_of=AS_OF)
    assert (tmp_path / DROPPED).is_file()
    assert state_of(tmp_path)["files"] == before


@pytest.mark.parametrize("spoilt", [["index.html"], {"summary": "index.html"}, {"summary": [1, 2]}])
def test_a_list_spoilt_by_hand_removes_nothing(scenario, summarised, tmp_path, spoilt):
    state = state_of(tmp_path)
    state["files"] = spoilt
    (tmp_path / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    summary_report(scenario, out_dir=tmp_path, scope=UNDERGRADUATE, as_of=AS_OF)
    assert (tmp_path / DROPPED).is_file()
    assert DROPPED not in state_of(tmp_path)["files"]["summary"]
