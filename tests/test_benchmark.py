"""The national benchmark still runs end to end at a small scale, and its table is complete (timings are not
asserted: they belong to the machine).

The benchmark hands its service calls (bulk load, policy load, imports, report pages) to spawned interpreters, six
at this scale, each importing SQLAlchemy, SQLModel and the services again: here they are forked instead from one
interpreter that imported them once (about a third of the test's CPU time). Spawning is tested on its own, below.
"""

import json
import multiprocessing

from benchmarks import measure
from benchmarks.national import main


class Forked:
    """``multiprocessing`` as ``measure.in_child`` sees it: children forked from a server that imported the
    benchmark's work once, instead of interpreters spawned afresh (still a process each: patches die with it)."""

    @staticmethod
    def get_context(_method: str):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["benchmarks.national_work", "jobpolicy.services.reports"])
        return context


def test_the_national_benchmark_prints_a_complete_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("benchmarks.measure.multiprocessing", Forked)
    out = tmp_path / "national.json"
    main(["--institutions", "12", "--repeat", "1", "--json", str(out), "--work", str(tmp_path / "work")])
    table = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["operation"].split(" (")[0]: row for row in table["rows"]}
    assert {"bulk load", "policy load", "checklist export", "checklist import", "status --json", "deadlines",
            "deadlines --ics", "jobpolicy --help", "report institution", "report summary", "export --format json",
            'python -c "import typer"', 'python -c "import sqlmodel"'} <= set(rows)
    for row in table["rows"]:
        assert row["seconds"] > 0 and row["runs"] >= 1 and row["peak_mib"] > 0, row
        if row["target"] is not None:  # every target is a ratio: it needs its floor
            assert row["floor"] > 0 and row["ratio"] == row["seconds"] / row["floor"], row
    assert table["counts"]["institutions"] == 12 and table["counts"]["records"] > 0
    assert "report summary (summary page alone)" in capsys.readouterr().out


def test_a_service_call_runs_in_a_spawned_interpreter_that_reports_its_result_and_its_own_peak():
    seconds, peak, result = measure.in_child(sorted, [3, 1, 2])
    assert result == [1, 2, 3] and seconds >= 0 and 0 < peak < 2**30
