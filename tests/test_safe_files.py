"""safe_files: a file is replaced whole or not at all, never through a link, and a killed write never blocks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from jobpolicy import safe_files
from jobpolicy.errors import UnsafePath

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links need POSIX rights (Windows: admin)")


def test_a_failure_mid_write_leaves_the_previous_file_as_it_was(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("the good page")
    with pytest.raises(OSError), safe_files.replacing(target) as handle:
        handle.write(b"<html>half a pa")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "the good page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]  # no temporary left either


def test_a_finished_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("old")
    safe_files.write_text(target, "新的页面")
    assert target.read_text(encoding="utf-8") == "新的页面"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_several_files_go_in_together_or_not_at_all(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a")
    with pytest.raises(RuntimeError), safe_files.replacing_all([first, second], text=True) as (one, two):
        one.write("new a")
        raise RuntimeError("killed halfway")
    assert first.read_text() == "old a" and not second.exists()


def test_a_link_planted_as_the_target_is_refused_and_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("someone else's file")
    target = tmp_path / "out" / "calendar.ics"
    target.parent.mkdir()
    target.symlink_to(outside)
    with pytest.raises(UnsafePath) as error:
        safe_files.write_text(target, "BEGIN:VCALENDAR")
    assert error.value.message == f"{target} 是一个链接（指向 {outside}），为安全起见不会经由它写入"
    assert error.value.hint == "删除该链接，或换一个 --out"
    assert outside.read_text() == "someone else's file"


def test_a_dangling_link_is_refused_too(tmp_path):
    target = tmp_path / "backup.db"
    target.symlink_to(tmp_path / "elsewhere" / "x.db")
    with pytest.raises(UnsafePath):
        safe_files.write_bytes(target, b"data")
    assert not (tmp_path / "elsewhere").exists()


def test_a_linked_folder_inside_the_chosen_folder_is_refused(tmp_path):
    chosen, outside = tmp_path / "reports", tmp_path / "outside"
    chosen.mkdir()
    outside.mkdir()
    (chosen / "institutions").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath) as error:
        safe_files.write_text(chosen / "institutions" / "x.html", "page", within=chosen)
    assert error.value.message.startswith(f"{chosen / 'institutions'} 是一个链接")
    with pytest.raises(UnsafePath):
        safe_files.make_folder(chosen / "institutions" / "deeper", within=chosen)
    assert list(outside.iterdir()) == []


def test_the_chosen_folder_itself_may_be_a_link_the_user_made(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    chosen = tmp_path / "reports"
    chosen.symlink_to(real, target_is_directory=True)
    safe_files.write_text(chosen / "index.html", "page", within=chosen)
    assert (real / "index.html").read_text() == "page"


def test_files_are_removed_only_inside_the_folder_and_never_through_a_link(tmp_path):
    chosen, outside = tmp_path / "reports", tmp_path / "outside"
    (chosen / "items").mkdir(parents=True)
    outside.mkdir()
    for name in ("a.html", "items/b.html"):
        (chosen / name).write_text("page")
    (outside / "x.html").write_text("theirs")
    (chosen / "linked.html").symlink_to(outside / "x.html")
    (chosen / "institutions").symlink_to(outside, target_is_directory=True)
    (chosen / "measures").mkdir()
    names = ["a.html", "items/b.html", "linked.html", "institutions/x.html", "../outside/x.html",
             str(outside / "x.html"), "measures", "missing.html", ""]
    assert safe_files.remove_files(chosen, names) == 2
    # items/ went with its last file; measures/ was never emptied by a removal
    assert sorted(p.name for p in chosen.rglob("*")) == ["institutions", "linked.html", "measures"]
    assert (outside / "x.html").read_text() == "theirs"


def test_a_temporary_name_taken_by_a_link_is_never_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    planted = tmp_path / f"{safe_files.TEMP_PREFIX}x.html.{os.getpid()}.fixed{safe_files.TEMP_SUFFIX}"
    planted.symlink_to(outside)
    names = iter(["fixed", "other"])
    monkeypatch.setattr("tempfile._RandomNameSequence.__next__", lambda self: next(names))
    safe_files.write_text(tmp_path / "x.html", "page")
    assert outside.read_text() == "keep" and (tmp_path / "x.html").read_text() == "page"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_leftovers_of_a_killed_writer_are_recognised_and_cleaned_on_the_next_write(tmp_path):
    dead = tmp_path / f"{safe_files.TEMP_PREFIX}records.csv.{_dead_pid()}.abcd1234{safe_files.TEMP_SUFFIX}"
    alive = tmp_path / f"{safe_files.TEMP_PREFIX}records.csv.{os.getppid()}.abcd1234{safe_files.TEMP_SUFFIX}"
    for leftover in (dead, alive):
        leftover.write_text("half")
        assert safe_files.is_leftover(leftover)
    assert not safe_files.is_leftover(tmp_path / "records.csv")
    assert not safe_files.is_leftover(tmp_path / ".jobpolicy-report.json")
    safe_files.write_text(tmp_path / "records.csv", "whole")
    assert not dead.exists()
    assert alive.exists()  # another process, still running, may be writing it


def test_a_written_file_gets_the_rights_a_new_file_gets_and_a_private_one_stays_private(tmp_path):
    mask = os.umask(0o022)
    try:
        safe_files.write_text(tmp_path / "index.html", "page")
        staged = safe_files.Staged(tmp_path / "backup.db", private=True)
        staged.commit()
    finally:
        os.umask(mask)
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644  # readable by a web server, as before
    assert (tmp_path / "backup.db").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("tag", "link"), [(0xA0000003, True), (0xA000000C, True), (0x9000601A, False), (0, False)])
def test_windows_junctions_and_symlinks_are_links_but_onedrive_placeholders_are_not(tmp_path, monkeypatch, tag, link):
    class WindowsStat:
        st_mode = 0o100644
        st_reparse_tag = tag  # 0x9000601A: IO_REPARSE_TAG_CLOUD_6, a OneDrive file not yet downloaded

    monkeypatch.setattr(safe_files.os, "lstat", lambda path: WindowsStat())
    assert safe_files.is_link(tmp_path / "报告") is link
