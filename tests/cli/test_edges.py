"""Values at and beyond the edges of every date, period, day-count and number option: each refused in one line
(错误 + 提示, exit 3), never 内部错误 or a traceback, and the database exactly as it was. The bounds themselves
(``domain/limits.py``: dates 1900-01-01 to 2200-12-31, up to 36,500 days) are accepted.

The refusals share one database per back end (``module_engine``): each must leave it as it was, which each test
checks, so none sees another's traces; the accepted bounds write, and take a database of their own."""

import os

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from codes import SHANXI

ITEM = "evaluation.14.a"  # yearly, due 12-31
NEW_SCHOOL = "4111010001"  # in the MOE list, not yet added

DATE_COMMANDS = [
    ("status", "--as-of", "{d}"),
    ("status", SHANXI, "--as-of", "{d}"),
    ("deadlines", "--as-of", "{d}"),
    ("record", "show", SHANXI, "--as-of", "{d}"),
    ("record", "history", SHANXI, ITEM, "--as-of", "{d}"),
    ("report", "institution", SHANXI, "--as-of", "{d}", "--out", "{out}"),
    ("report", "institution", SHANXI, "--since", "{d}", "--out", "{out}"),
    ("report", "summary", "--as-of", "{d}", "--out", "{out}"),
    ("report", "summary", "--since", "{d}", "--out", "{out}"),
    ("diff", SHANXI, "--since", "{d}"),
    ("diff", SHANXI, "--since", "2025-01-01", "--until", "{d}"),
    ("institution", "set-start", SHANXI, "{d}"),
    ("institution", "add", NEW_SCHOOL, "--start", "{d}"),
    ("institution", "import", "--province", "山西省", "--start", "{d}"),
    ("db", "set-start", "{d}"),
    ("db", "init", "--start", "{d}"),
    ("record", "set", SHANXI, ITEM, "--status", "推进中", "--due", "{d}"),
]
# Year 1 and the rest: tests/domain/test_limits.py (the CLI reads 0001-01-01 as 2001-01-01, see values.py).
FAR_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"]

OTHER_CASES = [
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "9999"), "9999"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "0001"), "0001"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "9" * 20), "9" * 20),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "9999-12"), "9999-12"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "9999年下半年"), "9999年下半年"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "9999-W52"), "9999-W52"),
    (("checklist", "export", SHANXI, "--period", "9999", "--out", "{out}/清单.xlsx"), "9999"),
    (("checklist", "export", SHANXI, "--period", "9999Q4", "--out", "{out}/清单.xlsx"), "9999Q4"),
    (("checklist", "export", SHANXI, "--period", "0001", "--out", "{out}/清单.xlsx"), "0001"),
    (("deadlines", "--within", "9" * 20), "9" * 20),
    (("deadlines", "--within", "3000000"), "3000000"),
    (("deadlines", "--within", "36501"), "36501"),
    (("todo", SHANXI, "--within", "9" * 20), "9" * 20),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--value", "1_000"), "1_000"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--value", "nan"), "nan"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--value", "inf"), "inf"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--value", "1e308"), "1e308"),
    (("record", "set", SHANXI, ITEM, "--status", "推进中", "--progress", "1_0"), "1_0"),
]


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with Session(engine) as session:
        return {table.name: [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key))]
                for table in SQLModel.metadata.sorted_tables}


def assert_refused(result, shown: str) -> None:
    lines = result.stderr.splitlines()
    assert result.exit_code == 3, result.stderr
    assert len(lines) == 2 and lines[0].startswith("错误: ") and lines[1].startswith("提示: "), lines
    assert shown in lines[0] and "内部错误" not in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize("command", DATE_COMMANDS, ids=lambda c: " ".join(c[:2]) + " " + c[-2 if c[-1] == "{out}" else -1])
def test_a_date_out_of_range_is_refused_in_one_line(module_run_db, module_engine, tmp_path, command, day):
    before = snapshot(module_engine)
    result = module_run_db(*(part.format(d=day, out=tmp_path / "out") for part in command))
    assert_refused(result, day)
    assert "1900-01-01 至 2200-12-31" in result.stderr
    assert snapshot(module_engine) == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("command", "shown"), OTHER_CASES, ids=lambda c: " ".join(c) if isinstance(c, tuple) else "")
def test_a_period_day_count_or_number_beyond_bounds_is_refused_in_one_line(module_run_db, module_engine, tmp_path,
                                                                           command, shown):
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(module_engine)
    assert_refused(module_run_db(*(part.format(out=out) for part in command)), shown)
    assert snapshot(module_engine) == before
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", [
    ("status", "--as-of", "2200-12-31"),
    ("status", SHANXI, "--as-of", "1900-01-01"),
    ("deadlines", "--as-of", "2200-12-31", "--within", "36500"),
    ("record", "show", SHANXI, "--as-of", "2200-12-31"),
    ("report", "summary", "--as-of", "2200-12-31", "--out", "{out}"),
    ("report", "summary", "--since", "1900-01-01", "--out", "{out}"),
    ("report", "institution", SHANXI, "--since", "1900-01-01", "--as-of", "2200-12-31", "--out", "{out}"),
    ("record", "set", SHANXI, ITEM, "--status", "推进中", "--period", "2200", "--due", "2200-12-31",
     "--value", "1,000"),
])
def test_the_bounds_themselves_are_accepted(run_db, tmp_path, command):
    result = run_db(*(part.format(out=tmp_path / "out") for part in command))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
@pytest.mark.parametrize("verb", ["validate", "load"])
def test_a_catalog_that_is_no_regular_file_is_refused_without_waiting(module_run_db, module_engine, tmp_path, kind,
                                                                       verb):
    path = tmp_path / "清单.yaml"
    if kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)  # opening it to read would wait for a writer for ever
    else:
        path.mkdir()
    before = snapshot(module_engine)
    result = module_run_db("policy", verb, path)
    expected = "中没有 .yaml 清单文件" if (verb, kind) == ("validate", "folder") else "不是普通文件"  # a folder of catalogs
    assert result.exit_code == 3 and expected in result.stderr and "内部错误" not in result.stderr
    assert snapshot(module_engine) == before


def test_a_catalog_with_a_runaway_rule_is_refused_by_load_with_its_line(module_run_db, module_engine, catalogs,
                                                                         tmp_path):
    text = (catalogs / "good_minimal" / "demo.yaml").read_text(encoding="utf-8")
    path = tmp_path / "清单.yaml"
    path.write_text(text + "            cadence: {rrule: FREQ=SECONDLY, start: 2025-01-01}\n", encoding="utf-8")
    before = snapshot(module_engine)
    result = module_run_db("policy", "load", path)
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == (f"{path}:27 [guidance.1.a]: 周期规则“FREQ=SECONDLY”的频率 FREQ 只能是 "
                                             "YEARLY、MONTHLY、WEEKLY、DAILY")
    assert snapshot(module_engine) == before
