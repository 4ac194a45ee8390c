"""The national benchmark still runs end to end at a small scale, and its table is complete (timings are not
asserted: they belong to the machine)."""

import json

from benchmarks.national import main


def test_the_national_benchmark_prints_a_complete_table(tmp_path, capsys):
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
