"""The bounds of ``domain/limits.py``: dates, day counts, numbers, and recurrence rules that cannot run away."""

import time
from datetime import date

import pytest

from jobpolicy.domain.catalog import Cadence
from jobpolicy.domain.catalog_checks import rrule_problem
from jobpolicy.domain.limits import MAX_OCCURRENCES, number_problem, require_date, require_days
from jobpolicy.domain.periods import bounds_problem, next_due, occurrences, parse_period, period_due
from jobpolicy.errors import CatalogError, InvalidInput


@pytest.mark.parametrize(("day", "ok"), [
    (date(1899, 12, 31), False), (date(1900, 1, 1), True), (date(2200, 12, 31), True), (date(2201, 1, 1), False),
    (date.min, False), (date.max, False),
])
def test_one_date_range(day, ok):
    if ok:
        assert require_date(day, "日期") == day
    else:
        with pytest.raises(InvalidInput, match="超出可用范围") as caught:
            require_date(day, "日期")
        assert caught.value.hint == "日期应在 1900-01-01 至 2200-12-31 之间"


@pytest.mark.parametrize(("days", "message"), [(-1, "不能为负数"), (36_501, "太大"), (10**20, "太大")])
def test_day_counts_beyond_a_century_or_negative_are_refused(days, message):
    with pytest.raises(InvalidInput, match=message):
        require_days(days, "--within")
    assert require_days(36_500, "--within") == 36_500


@pytest.mark.parametrize(("value", "ok"), [
    (0.0, True), (-1e12, True), (1e12, True), (1.0000001e12, False), (1e308, False),
    (float("nan"), False), (float("inf"), False), (float("-inf"), False),
])
def test_numbers_are_finite_and_of_sane_size(value, ok):
    assert (number_problem(value) is None) is ok


@pytest.mark.parametrize(("rule", "message"), [
    ("FREQ=SECONDLY", "FREQ 只能是 YEARLY、MONTHLY、WEEKLY、DAILY"),
    ("FREQ=MINUTELY", "FREQ 只能是"),
    ("FREQ=HOURLY", "FREQ 只能是"),
    ("FREQ=YEARLY;INTERVAL=0", "INTERVAL 应为 1 到 12 之间的整数"),
    ("FREQ=MONTHLY;INTERVAL=13", "INTERVAL 应为 1 到 12"),
    ("FREQ=YEARLY;INTERVAL=-1", "INTERVAL 应为 1 到 12"),
    ("FREQ=YEARLY;COUNT=0", "COUNT 应为 1 到 1000"),
    ("FREQ=YEARLY;COUNT=999999999999", "COUNT 应为 1 到 1000"),
    ("FREQ=YEARLY;UNTIL=99991231", "UNTIL 应为 1900 至 2200 年间的日期"),
    ("FREQ=YEARLY;UNTIL=00001231", "UNTIL 应为 1900 至 2200"),
    ("FREQ=YEARLY;BYHOUR=1,2,3", "不能用 BYHOUR"),
    ("FREQ=YEARLY;BYEASTER=0", "不能用 BYEASTER"),
])
def test_rules_that_could_run_away_are_refused(rule, message):
    assert message in bounds_problem(rule)
    assert message in rrule_problem(rule, date(2025, 1, 1))


@pytest.mark.parametrize("rule", [
    "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "RRULE:FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1",
    "FREQ=WEEKLY;BYDAY=FR", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=YEARLY;INTERVAL=12;COUNT=1000;WKST=MO", "FREQ=MONTHLY;UNTIL=22001231T000000",
])
def test_rules_a_policy_uses_are_within_bounds(rule):
    assert bounds_problem(rule) is None and rrule_problem(rule, date(2025, 1, 1)) is None


def test_a_weekly_rule_that_never_matches_is_found_in_seconds_not_hours():
    started = time.monotonic()
    assert "不会产生任何日期" in rrule_problem("FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30", date(2025, 1, 1))
    assert time.monotonic() - started < 20  # dateutil searches to 9999: about 3 s; SECONDLY would take days


def test_expansion_stops_at_the_latest_date_and_the_cap():
    daily = Cadence("FREQ=DAILY", date(1900, 1, 1))
    dues = occurrences(daily, date(1900, 1, 1), date(9999, 12, 31))
    assert len(dues) <= MAX_OCCURRENCES and dues[-1] == date(2200, 12, 31)


def test_a_stored_rule_beyond_bounds_is_refused_not_expanded():
    with pytest.raises(CatalogError, match="FREQ 只能是"):
        next_due(Cadence("FREQ=SECONDLY", date(2025, 1, 1)), date(2025, 1, 1))


@pytest.mark.parametrize("period", ["9999", "0001", "1899", "2201", "9" * 20])
def test_a_period_beyond_the_date_range_has_no_due_date(period):
    assert period_due(Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(1900, 1, 1)), period) is None


@pytest.mark.parametrize("rule", ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=-1",
                                  "FREQ=WEEKLY;BYDAY=MO"])
@pytest.mark.parametrize("text", ["9999-12", "9999年下半年", "9999Q4", "9999-W52", "0001年", "9999-12-31"])
def test_a_period_spelt_in_a_year_beyond_the_range_names_no_period(rule, text):
    assert parse_period(Cadence(rule, date(2025, 1, 1)), text) is None
