"""The bad-input corpus (``tests/data/bad/cases.toml``): every case a user can type or a file can carry ends in
its documented exit code and exactly one 错误 line naming what was wrong, never 内部错误 or a traceback, and
leaves the database exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tomllib
from datetime import date
from pathlib import Path

import pytest

from codes import SHANXI, TAIYUAN_TECH

DATA = Path(__file__).parents[1] / "data"
BAD = DATA / "bad"
CASES = tomllib.loads((BAD / "cases.toml").read_text(encoding="utf-8"))["case"]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A database with the bundled policy and two 山西 schools, made once and copied for each case."""
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution
    from jobpolicy.storage.db import make_engine

    path = tmp_path_factory.mktemp("bad") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    for code in (SHANXI, TAIYUAN_TECH):
        add_institution(engine, code, start=date(2025, 1, 1))
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """The database files of the corpus (``make_files.database_files``): never committed, made here."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_files", BAD / "make_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("made")
    module.database_files(folder)
    return folder


def rows_digest(path: Path) -> str:
    """A hash of every row of every table, in a fixed order."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                       "ORDER BY name")]
        for table in tables:
            for row in sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"')):
                digest.update(f"{table}{row}".encode())
    connection.close()
    return digest.hexdigest()


def test_the_corpus_holds_at_least_a_hundred_distinct_cases():
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 100 and len(set(ids)) == len(ids)
    kinds = {case["id"].split("-")[0] for case in CASES}
    assert kinds >= {"arg", "date", "number", "code", "catalog", "csv", "sheet", "zip", "db"}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_a_bad_input_ends_in_one_clear_line_and_changes_nothing(run, template, made, tmp_path, case):
    database = tmp_path / "jobpolicy.db"
    shutil.copy(template, database)
    places = {"bad": BAD / "files", "made": made, "imports": DATA / "imports", "catalogs": DATA / "catalogs",
              "tmp": tmp_path, "out": tmp_path / "out"}
    named = case.get("db")
    if named and "{made}" in named:  # a bad database file: a copy, compared byte for byte
        source = Path(named.format(**places))
        database = tmp_path / source.name
        shutil.copy(source, database)
    target = str(database) if not named or "{made}" in named else named
    before = database.read_bytes() if named else rows_digest(database)

    result = run("--db", target, *(part.format(**places) for part in case["argv"]))

    errors = [line for line in result.stderr.splitlines() if line.startswith("错误")]
    hints = [line for line in result.stderr.splitlines() if line.startswith("提示")]
    assert result.exit_code == case["exit"], result.output
    assert len(errors) == 1 and len(hints) <= 1, result.stderr
    assert case["message"] in errors[0], errors[0]
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert (database.read_bytes() if named else rows_digest(database)) == before
    assert not (tmp_path / "out").exists()
