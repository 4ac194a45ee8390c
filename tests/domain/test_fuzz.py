"""Property tests (hypothesis) for what users type and files carry: dates, recurrence rules, spreadsheet cells and
catalogs. Whatever comes in, the result is a value within ``domain/limits`` bounds or one of our errors, never
another exception, and no recurrence rule that validates can keep the tool busy. Example counts stay modest so the
suite stays fast; each property states its bound with hypothesis settings (a deadline generous enough for a busy CI
machine), never a timed assertion."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobpolicy.domain.catalog import Cadence
from jobpolicy.domain.catalog_checks import rrule_problem
from jobpolicy.domain.catalog_loader import parse_catalog
from jobpolicy.domain.checklist_cells import ParsedSheet, read_row
from jobpolicy.domain.checklist_sheet import LABELS
from jobpolicy.domain.limits import EARLIEST, LATEST, MAX_NUMBER, MAX_OCCURRENCES, in_range, require_date
from jobpolicy.domain.periods import bounds_problem, next_due, occurrences, previous_due
from jobpolicy.domain.values import date_problem, parse_user_date
from jobpolicy.errors import AppError, InvalidInput

FAST = settings(max_examples=60, deadline=timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
CATALOG = Path(__file__).parents[1] / "data" / "catalogs" / "good_minimal" / "demo.yaml"

# --- dates -------------------------------------------------------------------------------------------------------

DATE_ALPHABET = "0123456789０１２３４５６７８９-/.年月日号 　星期一二三四五六日天T:+〇"
date_like = st.one_of(
    st.text(alphabet=DATE_ALPHABET, max_size=24),
    st.text(max_size=24),
    st.builds(lambda y, m, d, sep: f"{y}{sep}{m}{sep}{d}", st.integers(-10, 99999), st.integers(-1, 14),
              st.integers(-1, 33), st.sampled_from(["-", "/", ".", ""])),
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
)


def accept_date(text: str) -> date:
    """What every date option does with what was typed (``cli._context.parse_date_option``)."""
    found = parse_user_date(text)
    if found is None:
        raise InvalidInput(f"日期“{text}”{date_problem(text)}")
    return require_date(found, "日期")


@FAST
@given(date_like)
def test_a_typed_date_is_a_date_within_bounds_or_our_error(text):
    try:
        found = accept_date(text)
    except InvalidInput as exc:
        assert exc.message
    else:
        assert EARLIEST <= found <= LATEST


@FAST
@given(st.dates(min_value=EARLIEST, max_value=LATEST))
def test_every_date_in_range_reads_back_from_its_iso_and_chinese_forms(day):
    full_width = day.isoformat().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for text in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y/%m/%d"), full_width):
        assert accept_date(text) == day


# --- recurrence rules --------------------------------------------------------------------------------------------

PARTS = {
    "FREQ": st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY", "", "X"]),
    "INTERVAL": st.integers(-1, 20).map(str),
    "COUNT": st.one_of(st.integers(-1, 2000).map(str), st.just("9" * 30)),
    "UNTIL": st.builds(lambda y: f"{y:04d}1231", st.integers(1, 9999)),
    "BYMONTH": st.integers(1, 12).map(str),
    "BYMONTHDAY": st.sampled_from(["1", "15", "28", "-1"]),  # days every month has: a rule always yields dates
    "BYDAY": st.sampled_from(["MO", "FR", "SU", "MO,WE,FR", "1MO", "-1FR"]),
    "BYSETPOS": st.sampled_from(["1", "-1"]),
    "BYHOUR": st.just("9"),
    "BYEASTER": st.just("0"),
}
rules = st.builds(lambda picked: ";".join(f"{k}={v}" for k, v in picked.items()),
                  st.fixed_dictionaries({"FREQ": PARTS["FREQ"]},
                                        optional={k: v for k, v in PARTS.items() if k != "FREQ"}))


@settings(max_examples=40, deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow])
@given(rules, st.dates(min_value=EARLIEST, max_value=date(2100, 1, 1)))
def test_a_rule_that_validates_expands_within_bounds_and_one_that_does_not_is_refused(rule, start):
    cadence = Cadence(rule, start)
    if rrule_problem(rule, start) is not None:
        if bounds_problem(rule) is not None:  # refused before dateutil is asked anything
            try:
                occurrences(cadence, EARLIEST, LATEST)
            except AppError:
                return
            raise AssertionError(f"{rule} was expanded although beyond bounds")
        return
    dues = occurrences(cadence, EARLIEST, LATEST)
    assert len(dues) <= MAX_OCCURRENCES
    assert all(start <= due <= LATEST for due in dues) and dues == sorted(dues)
    next_due(cadence, start)
    previous_due(cadence, LATEST)


# --- spreadsheet cells -------------------------------------------------------------------------------------------

cell = st.one_of(
    st.none(), st.booleans(), st.text(max_size=30), st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
    st.sampled_from(["已完成", "推进中", "不适用", "50", "50%", "1,000", "1e308", "nan", "9999-12-31", "26年2月30日",
                     "=1+1", "'=1+1", "#N/A", "#DIV/0!", "是", "否", "supply.2.a", "2025"]),
)


def sheet() -> ParsedSheet:
    letters = {key: chr(ord("A") + index) for index, key in enumerate(LABELS)}
    return ParsedSheet(None, "清单", [], letters, None, [])  # type: ignore[arg-type]  # meta unused by read_row


@FAST
@given(st.dictionaries(st.sampled_from(list(LABELS)), cell, max_size=len(LABELS)))
def test_a_row_of_any_cells_is_read_into_bounded_values_or_problems(cells):
    row = read_row(sheet(), 7, cells)
    values = row.values
    if "due" in values:
        assert in_range(values["due"])
    if "value" in values:
        assert math.isfinite(values["value"]) and abs(values["value"]) <= MAX_NUMBER
    if "progress" in values:
        assert isinstance(values["progress"], int) and 0 <= values["progress"] <= 100
    for problem in row.problems:
        assert problem.row == 7 and problem.message


# --- catalogs ----------------------------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), st.dates(),
                    st.datetimes(max_value=datetime(9999, 1, 1)))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.booleans()), inner,
                                                 max_size=4)), max_leaves=20)
KEYS = ["id", "version", "title", "sections", "measures", "items", "actor", "cadence", "rrule", "start", "due",
        "weight", "indicator", "target", "comparator", "unit", "replaces", "evidence", "applies_to", "basis", "policy"]


def _replace_one_value(text: str, key: str, value: object) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip().removesuffix("...").strip()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith(f"{key}:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f"{indent}{key}: {dumped}"
            break
    return "\n".join(lines) + "\n"


def _parses_or_refuses(text: str) -> None:
    try:
        policy, problems = parse_catalog(text, "清单.yaml")
    except AppError:
        return
    assert (policy is None) == bool(problems)
    assert all(problem.message for problem in problems)


@FAST
@given(documents)
def test_any_yaml_document_is_a_catalog_or_refused_with_problems(document):
    _parses_or_refuses(yaml.safe_dump(document, allow_unicode=True))


@FAST
@given(st.text(alphabet="abc:-[]{}&*!|>'\"#%@`\n\t 　：中文0123456789.,?", max_size=200))
def test_any_yaml_ish_text_is_a_catalog_or_refused_with_problems(text):
    _parses_or_refuses(text)


@FAST
@given(st.sampled_from(KEYS), documents)
def test_a_good_catalog_with_one_value_changed_is_a_catalog_or_refused_with_problems(key, value):
    _parses_or_refuses(_replace_one_value(CATALOG.read_text(encoding="utf-8"), key, value))
