"""What offices write reaches the administrator's terminal inert: escape sequences, CR, newlines and direction
overrides in notes, names, evidence, owners and --by are shown as marks in every listing, in error lines and in
--json, never obeyed; Chinese is printed as typed."""

import json

import pytest

from codes import SHANXI

ITEM = "supply.2.a"
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
TITLE = "\x1b]0;已被接管\x07"  # retitles the window
RLO_URL = "https://jy.sxu.edu.cn/\u202efdp.exe"
HOSTILE = {"--note": f"{CLEAR}备注\r伪造", "--owner": f"{TITLE}王老师", "--department": "招生\u2066就业处\u2069",
           "--by": "张老师\x1b[8m隐藏\x1b[0m"}
RAW = ("\x1b", "\x07", "\r", "\u202e", "\u2066", "\x9b")


def assert_inert(text: str) -> None:
    assert not any(char in text for char in RAW), repr(text)


@pytest.fixture
def hostile(run_db):
    options = [part for pair in HOSTILE.items() for part in pair]
    result = run_db("record", "set", SHANXI, ITEM, "--status", "推进中", "--evidence", RLO_URL, *options)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.output)
    assert "\\x1b[2J\\x1b[H备注\\x0d伪造" in result.stdout
    return run_db


@pytest.mark.parametrize("command", [("record", "show", SHANXI, ITEM), ("record", "show", SHANXI),
                                     ("record", "history", SHANXI, ITEM), ("diff", SHANXI, "--since", "2000-01-01"),
                                     ("todo", SHANXI), ("status", SHANXI)])
def test_listings_show_hostile_text_as_marks(hostile, command):
    result = hostile(*command)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.output)


def test_record_show_names_every_mark_so_the_administrator_sees_something_is_there(hostile):
    out = hostile("record", "show", SHANXI, ITEM).stdout
    assert "https://jy.sxu.edu.cn/⟨U+202E⟩fdp.exe" in out
    assert "\\x1b]0;已被接管\\x07王老师" in out
    assert "招生⟨U+2066⟩就业处⟨U+2069⟩" in out


def strings(data):
    """Every text value in a JSON document."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict | list):
        for value in data.values() if isinstance(data, dict) else data:
            yield from strings(value)


@pytest.mark.parametrize("command", [("record", "show", SHANXI, ITEM, "--json"),
                                     ("record", "history", SHANXI, ITEM, "--json")])
def test_json_keeps_the_exact_text_and_escapes_what_a_terminal_would_obey(hostile, command):
    result = hostile(*command)
    assert_inert(result.stdout)
    values = set(strings(json.loads(result.stdout)))
    assert RLO_URL in values and HOSTILE["--note"] in values  # nothing lost


def test_an_institution_name_and_an_error_line_are_inert_too(run_db):
    added = run_db("institution", "add", "9999999999", "--name", f"{TITLE}假大学\u202e", "--province", "山西省")
    assert added.exit_code == 0, added.stderr
    assert_inert(added.output)
    assert "\\x1b]0;已被接管\\x07假大学⟨U+202E⟩" in added.stdout
    refused = run_db("record", "show", f"{CLEAR}1234")
    assert refused.exit_code != 0
    assert_inert(refused.output)
    assert "\\x1b[2J" in refused.stderr


# typer.echo itself may print only what holds no office text: the version, a JSON document (escaped by json_text),
# the usage line and fixed words.
DIRECT_ECHO = {"__init__.py": 1, "_boundary.py": 4, "_output.py": 3}


def test_the_cli_prints_through_the_one_function_that_makes_text_inert():
    from pathlib import Path

    import jobpolicy.cli

    folder = Path(jobpolicy.cli.__file__).parent
    found = {path.name: path.read_text(encoding="utf-8").count("typer.echo(") for path in folder.glob("*.py")}
    assert {name: count for name, count in found.items() if count} == DIRECT_ECHO
