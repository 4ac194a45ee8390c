"""Recurring obligations: occurrences, period labels and descriptions (dateutil RRULEs)."""

from datetime import date

import pytest

from jobpolicy.domain.catalog import Cadence
from jobpolicy.domain.periods import (
    describe,
    next_due,
    occurrences,
    parse_period,
    period_due,
    period_forms,
    period_label,
    period_refusal,
    previous_due,
)

YEAR_END = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1))
AFTER_JULY = Cadence("FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1", date(2025, 7, 1))
QUARTERLY = Cadence("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1", date(2025, 1, 1))
FRIDAYS = Cadence("FREQ=WEEKLY;BYDAY=FR", date(2025, 1, 1))
DAILY = Cadence("FREQ=DAILY", date(2025, 1, 1))


def test_occurrences_are_inclusive_and_start_at_the_cadence_start():
    assert occurrences(YEAR_END, date(2020, 1, 1), date(2026, 12, 31)) == [date(2025, 12, 31), date(2026, 12, 31)]
    assert occurrences(YEAR_END, date(2026, 1, 1), date(2025, 1, 1)) == []


def test_monthly_last_day_handles_short_months():
    dates = occurrences(AFTER_JULY, date(2025, 1, 1), date(2025, 12, 31))
    assert dates == [date(2025, 7, 31), date(2025, 8, 31), date(2025, 9, 30), date(2025, 10, 31),
                     date(2025, 11, 30), date(2025, 12, 31)]
    assert next_due(AFTER_JULY, date(2026, 1, 15)) == date(2026, 7, 31)


@pytest.mark.parametrize(
    ("cadence", "due", "label"),
    [
        (YEAR_END, date(2025, 12, 31), "2025"),
        (AFTER_JULY, date(2025, 9, 30), "2025-09"),
        (Cadence("FREQ=WEEKLY;BYDAY=FR", date(2025, 1, 1)), date(2025, 9, 12), "2025-W37"),
        (Cadence("FREQ=WEEKLY;BYDAY=MO", date(2025, 1, 1)), date(2024, 12, 30), "2025-W01"),  # ISO week-year
        (Cadence("FREQ=DAILY", date(2025, 1, 1)), date(2025, 9, 1), "2025-09-01"),
    ],
)
def test_period_labels(cadence, due, label):
    assert period_label(cadence, due) == label


def test_next_and_previous_due():
    assert next_due(YEAR_END, date(2025, 12, 31)) == date(2025, 12, 31)
    assert previous_due(YEAR_END, date(2025, 12, 31)) is None
    assert previous_due(YEAR_END, date(2026, 1, 1)) == date(2025, 12, 31)


def test_descriptions_in_chinese():
    assert describe(YEAR_END) == "每年 12月31日前，自 2025-01-01 起"
    assert describe(AFTER_JULY) == "每月 最后一天前（7、8、9、10、11、12月），自 2025-07-01 起"


@pytest.mark.parametrize(
    ("cadence", "spellings", "label"),
    [
        (YEAR_END, ["2026", "2026年", "2026年度", "26年", "２０２６", " 2026 年 "], "2026"),
        (YEAR_END, ["2026-10", "2026年10月", "2026年第3季度", "2026年上半年", "2026/12/31"], "2026"),  # inside 2026
        (AFTER_JULY, ["2026-10", "2026-1０", "2026/10", "2026.10", "2026年10月", "2026年10月份", "26年10月",
                      "2026 年 10 月"], "2026-10"),
        (AFTER_JULY, ["2026-9", "2026-09-01", "2026/9/15", "26年9月1日", date(2026, 9, 1)], "2026-09"),
        (QUARTERLY, ["2026年第3季度", "2026年第三季度", "2026年三季度", "2026Q3", "2026-q3", "2026-09"], "2026-09"),
        (QUARTERLY, ["2026-W40"], "2026-09"),  # Sep 28 – Oct 4 holds one due date, Sep 30
        (FRIDAYS, ["2026-W40", "2026W40", "2026年第40周", "2026-10-01"], "2026-W40"),
        (DAILY, ["2026-10-01", "2026年10月1日", "26年10月1日"], "2026-10-01"),
    ],
)
def test_periods_in_the_spellings_offices_use(cadence, spellings, label):
    assert {parse_period(cadence, spelling) for spelling in spellings} == {label}


@pytest.mark.parametrize(
    ("cadence", "text", "reason"),
    [
        (YEAR_END, "2024", "该项没有这一期（每年 12月31日前，自 2025-01-01 起）"),
        (YEAR_END, "2026年13月", "该项按年填报，看不出是哪一期"),
        (YEAR_END, "once", "该项按年填报，看不出是哪一期"),
        (AFTER_JULY, "2026", "该项按月填报，这段时间内有 6 期，须写明是哪一期"),
        (AFTER_JULY, "2026年第3季度", "该项按月填报，这段时间内有 3 期，须写明是哪一期"),
        (AFTER_JULY, "2026-W40", "该项按月填报，这段时间内有 2 期，须写明是哪一期"),  # a week across two months
        (AFTER_JULY, "2026年3月", "该项没有这一期（每月 最后一天前（7、8、9、10、11、12月），自 2025-07-01 起）"),
        (AFTER_JULY, "10/2026", "该项按月填报，看不出是哪一期"),
        (QUARTERLY, "2026年10月", "该项没有这一期（每月 最后一天前（3、6、9、12月），自 2025-01-01 起）"),
    ],
)
def test_a_period_that_names_no_single_period_is_refused_with_the_reason(cadence, text, reason):
    assert parse_period(cadence, text) is None
    assert period_refusal(cadence, text, date(2026, 11, 15))[0] == reason


def test_refusals_show_the_forms_with_this_items_recent_periods():
    assert period_refusal(AFTER_JULY, "十月", date(2026, 11, 15))[1] \
        == "期次可写作 2026-11、2026/11 或 2026年11月（最近的期次：2026-10、2026-11）"
    assert period_refusal(YEAR_END, "明年", date(2026, 11, 15))[1] == "期次可写作 2026 或 2026年（最近的期次：2025、2026）"


@pytest.mark.parametrize(
    ("cadence", "label", "forms"),
    [
        (YEAR_END, "2026", "2026 或 2026年"),
        (AFTER_JULY, "2026-09", "2026-09、2026/9 或 2026年9月"),
        (FRIDAYS, "2026-W07", "2026-W07 或 2026年第7周"),
        (DAILY, "2026-09-01", "2026-09-01、2026/9/1 或 2026年9月1日"),
    ],
)
def test_every_form_a_hint_shows_is_read_back(cadence, label, forms):
    assert period_forms(cadence, label) == forms
    assert {parse_period(cadence, form) for form in forms.replace(" 或 ", "、").split("、")} == {label}


def test_due_dates_are_worked_out_once_per_cadence_and_day():
    """A report asks the same question for every school: the RRULE is expanded once, not once per school."""
    cadence = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1))
    period_due.cache_clear()
    assert [period_due(cadence, "2025") for _ in range(3)] == [date(2025, 12, 31)] * 3
    assert (period_due.cache_info().hits, period_due.cache_info().misses) == (2, 1)
