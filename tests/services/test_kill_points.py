"""SIGKILL at 12 random points of a large import, of a ``policy load`` that moves records, and of a summary report.

Each round starts from a copy of one database built once (SQLite's backup API: a fraction of a second), forks a child
that runs the real service once, and kills it at a random moment of a run's length (measured on a trial copy first).
Each time the database passes ``PRAGMA integrity_check`` and holds all of the batch or none of it, and no half-written
page, zip or temporary is left. Forked, not spawned: the child starts at once with everything imported, so a round
costs about one run. PostgreSQL's all-or-nothing under SIGKILL is tests/storage/test_crash.py's (*both back ends*).

Twelve points a run, not more: each operation is one transaction (the report, one rename a file), so every moment
before its commit takes the same path; the moments are drawn afresh each run (the seed is named on a failure), so
runs together cover the whole length, and twenty a run cost two thirds more for the same paths.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from codes import SHANXI
from jobpolicy import safe_files
from jobpolicy.domain.checklist_sheet import COLUMNS
from jobpolicy.reference import bundled_policy_dir
from jobpolicy.services.catalog import get_policy
from jobpolicy.services.checklist_exchange import export_checklists, import_checklists
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.reports import summary_report
from jobpolicy.storage.db import make_engine, sqlite_path

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX"),
              pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

POINTS = 12
TABLES = ("policy_version", "catalog_item", "institution", "record", "event", "evidence", "import_batch")
COLUMN = {c.key: i for i, c in enumerate(COLUMNS)}
IMPORTED_NOTE = "整批导入"


def copy_database(source: Path, target: Path) -> str:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{target}"


class KillPoints:
    """Random moments to kill an operation at, spread over its length (and a fifth past it, so that some runs end
    by themselves). The length is learned again from each run that ended before its kill: a machine whose load
    changes makes a forked run faster or slower than the run first measured, and points past its end prove nothing.
    """

    def __init__(self, length: float, seed: int):
        self.length, self.chance = length, random.Random(seed)

    def next(self) -> float:
        return self.chance.uniform(0.0, self.length * 1.2)

    def ended(self, took: float) -> None:
        self.length = took


def fork_and_kill(run: Callable[[], None], points: KillPoints) -> bool:
    """Run ``run()`` in a forked child and SIGKILL it at the next of ``points``; whether it was killed before it
    ended (when it ended first, ``points`` learns how long it took)."""
    after = points.next()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            run()
            code = 0
        finally:
            os._exit(code)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.WEXITSTATUS(status) == 0, "the child failed by itself"
            points.ended(time.monotonic() - started)
            return False
        if time.monotonic() - started >= after:
            break
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 0, "the child failed by itself"
    return os.WIFSIGNALED(status)


def table_rows(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            return {t: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in TABLES}
    finally:
        engine.dispose()


def counts(rows: dict[str, list[tuple]]) -> dict[str, int]:
    return {table: len(found) for table, found in rows.items()}


def no_temporaries(folder: Path) -> None:
    assert [p for p in folder.rglob("*") if safe_files.is_leftover(p)] == []


def kill_at_random_points(base: Path, tmp_path: Path, operation: Callable[[str], None]) -> list[bool]:
    """Kill ``operation(url)`` at POINTS random moments, each on a fresh copy of ``base``: every copy is sound and
    holds the whole operation or exactly what it held before. Returns which rounds were killed mid-way."""
    seed = random.randrange(1 << 30)
    before = table_rows(copy_database(base, tmp_path / "before.db"))
    trial = copy_database(base, tmp_path / "trial.db")
    started = time.monotonic()
    operation(trial)
    length = time.monotonic() - started
    after = counts(table_rows(trial))
    assert after != counts(before), "the operation changed nothing, so killing it proves nothing"
    killed, points = [], KillPoints(length, seed)
    for point in range(POINTS):
        url = copy_database(base, tmp_path / f"round{point}.db")
        killed.append(fork_and_kill(lambda url=url: operation(url), points))
        found = table_rows(url)  # integrity_check first
        assert found == before or counts(found) == after, f"a part of the batch was kept (round {point}, seed {seed})"
    no_temporaries(tmp_path)
    assert sum(killed) >= POINTS // 2, f"too few kills landed before the end (seed {seed})"
    return killed


def base_of(engine) -> Path:
    path = sqlite_path(engine)
    engine.dispose()
    return path


def filled_checklist(engine, folder: Path) -> Path:
    """山西大学's checklist as a CSV, every row set in progress with a note: one import touching every item."""
    path = export_checklists(engine, [SHANXI], folder / "山西大学.csv", fmt="csv").files[0].path
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    filled = 0
    for row in rows:
        if row and row[0].count(".") == 2 and len(row) > COLUMN["note"]:
            row[COLUMN["status"]], row[COLUMN["note"]] = "推进中", IMPORTED_NOTE
            filled += 1
    assert filled > 50
    rows[1][1] = "王老师"  # 填报人
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    return path


def test_an_import_killed_at_12_random_points_is_all_or_nothing(engine, tmp_path):
    sheet = filled_checklist(engine, tmp_path)

    def run(url: str) -> None:
        result = import_checklists(make_engine(url), [sheet], importer="李老师")
        assert result.files[0].written

    kill_at_random_points(base_of(engine), tmp_path, run)


def test_a_policy_load_killed_at_12_random_points_is_all_or_nothing(engine_2025_1, tmp_path):
    older = get_policy("gse-2025", "2025.1")
    for item in older.institution_items(level="本科", province="山西省")[::4]:  # records the new version moves
        set_record(engine_2025_1, SHANXI, item.id, RawChange(status="in_progress", note="随新版本迁移"), actor="张")
    newer = bundled_policy_dir() / "gse-2025-2025.2.yaml"

    def run(url: str) -> None:
        assert load_policy_version(make_engine(url), newer, actor="管理员").loaded

    kill_at_random_points(base_of(engine_2025_1), tmp_path, run)


def assert_report_whole(out: Path, archive: Path) -> None:
    pages = [p for p in out.rglob("*.html") if not safe_files.is_leftover(p)]
    assert len(pages) > 50  # three schools, the summary, every measure and item
    for page in pages:
        assert page.read_bytes().endswith(b"</html>\n"), f"{page} is cut short"
    json.loads((out / ".jobpolicy-report.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.testzip() is None
        assert len(zipped.namelist()) == len(pages) + 1  # and 说明.txt


def test_a_report_killed_at_12_random_points_leaves_only_whole_files(engine, db_url, tmp_path):
    seed = random.randrange(1 << 30)
    out, archive = tmp_path / "reports", tmp_path / "报告.zip"
    started = time.monotonic()
    summary_report(engine, out_dir=out, archive=archive)
    points = KillPoints(time.monotonic() - started, seed)
    engine.dispose()
    killed = []
    for _ in range(POINTS):
        run = lambda: summary_report(make_engine(db_url), out_dir=out, archive=archive)  # noqa: E731
        killed.append(fork_and_kill(run, points))
        assert_report_whole(out, archive)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    assert sum(killed) >= POINTS // 2, f"too few kills landed before the end (seed {seed})"
    summary_report(engine, out_dir=out, archive=archive)  # the next run is not blocked, and tidies up
    assert_report_whole(out, archive)
    no_temporaries(tmp_path)
