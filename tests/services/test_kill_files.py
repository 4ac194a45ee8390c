"""SIGKILL while writing a page or exporting checklists, at random moments: every file in place is whole (the previous
one or the new one), and the next run cleans the killed run's temporaries instead of tripping on them. A whole report
killed at 20 points: test_kill_points.py."""

from __future__ import annotations

import os
import random
from pathlib import Path

import openpyxl
import pytest

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy import safe_files
from jobpolicy.services.checklist_exchange import export_checklists
from jobpolicy.services.sheet_files import read_sheet_file
from killing import kill_a_moment_later, killed_when_done
from services.file_workers import checklists_until_killed, page_write_stalled

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")]

KILLS = 6
CODES = [SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL]


def placed(folder: Path) -> list[Path]:
    """The files in place (not a temporary) under ``folder``."""
    return [p for p in folder.rglob("*") if p.is_file() and not safe_files.is_leftover(p)]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if safe_files.is_leftover(p)]


def test_a_page_killed_between_writing_and_renaming_leaves_the_previous_page(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.html").write_text("<html>上次的页面</html>\n", encoding="utf-8")
    with killed_when_done(page_write_stalled, str(out)):
        pass  # killed between writing the new page and renaming it into place
    assert (out / "index.html").read_text(encoding="utf-8") == "<html>上次的页面</html>\n"
    [leftover] = leftovers(out)
    assert leftover.stat().st_size > 1_000_000  # the new page was all there, under its temporary name
    safe_files.write_text(out / "index.html", "<html>下一次</html>\n")
    assert leftovers(out) == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_checklist_export_killed_mid_write_leaves_only_whole_files(engine, db_url, tmp_path, fmt):
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    out = tmp_path / "清单"
    for _ in range(KILLS):
        # killed a moment after a first whole run: somewhere in the next
        kill_a_moment_later(checklists_until_killed, (db_url, CODES, str(out), fmt), chance.uniform(0.0, 0.8),
                            timeout=120, seed=seed)
        files = placed(out)
        assert len(files) == len(CODES), f"seed {seed}"
        for path in files:
            if fmt == "xlsx":
                openpyxl.load_workbook(path, read_only=True).close()
            assert read_sheet_file(path).raw.rows, f"{path} is cut short (seed {seed})"
    export_checklists(engine, CODES, out, fmt=fmt)  # not blocked by the killed run's temporaries
    assert leftovers(out) == [], f"seed {seed}"
    assert len(placed(out)) == len(CODES)
