"""Completion: the three rates, the display rounding rule, addition, and which period of an item counts."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from jobpolicy.domain.catalog import Actor, Cadence, Item
from jobpolicy.domain.scoring import (
    Completion,
    CountedPeriod,
    StatusLine,
    count_text,
    counted_period,
    display_pct,
    percent,
    rate_with_counts,
    rounded_pct,
    status_lines,
)


def test_an_empty_completion_has_no_rates():
    empty = Completion()
    assert (empty.reported_pct, empty.done_pct, empty.met_pct) == (None, None, None)
    assert (empty.reported_pct_str, empty.done_pct_str, empty.met_pct_str) == ("—", "—", "—")


def test_three_rates_side_by_side():
    c = Completion(applicable=8, reported=6, done=3, not_applicable=2, weight=7.0, done_weight=3.5,
                   indicators_reported=4, indicators_met=3)
    assert (c.reported_pct, c.done_pct, c.met_pct) == (75.0, 50.0, 75.0)
    assert (c.reported_pct_str, c.done_pct_str, c.met_pct_str) == ("75.0%", "50.0%", "75.0%")


def test_each_rate_shows_what_it_is_out_of():
    c = Completion(applicable=29, reported=18, weight=30.0, done_weight=17.5, indicators_reported=0)
    assert (c.reported_shown, c.done_shown, c.met_shown) == ("62.1%（18/29）", "58.3%（17.5/30）", "—（0/0）")


@pytest.mark.parametrize(("number", "shown"), [(18.0, "18"), (17.5, "17.5"), (1234567.0, "1234567"),
                                               (18.000000001, "18"), (0.0, "0"), (2.25, "2.25")])
def test_counts_and_summed_weights_print_plainly(number, shown):
    assert count_text(number) == shown


def test_a_rate_with_counts_rounds_as_every_rate_does():
    assert rate_with_counts(999, 1000) == "99.9%（999/1000）"
    assert rate_with_counts(1, 3000) == "0.1%（1/3000）"


def test_not_applicable_leaves_the_done_denominator_but_still_counts_as_reported():
    # Two items of weight 1; one done, one 不适用: the weight left is 1, and it is all done.
    c = Completion(applicable=2, reported=2, done=1, not_applicable=1, weight=1.0, done_weight=1.0)
    assert (c.done_pct_str, c.reported_pct_str) == ("100.0%", "100.0%")
    everything_na = Completion(applicable=2, reported=2, not_applicable=2, weight=0.0)
    assert (everything_na.done_pct, everything_na.done_pct_str) == (None, "—")


def test_met_rate_is_over_reported_indicators_only():
    c = Completion(applicable=10, indicators_reported=2, indicators_met=1)
    assert c.met_pct_str == "50.0%"
    assert Completion(applicable=10).met_pct is None


@pytest.mark.parametrize(
    ("reported", "met", "reference", "basis"),
    [
        (0, 0, 0, "达标 0 / 已填指标 0 项"),
        (5, 3, 5, "达标 3 / 已填指标 5 项（均为参考指标）"),
        (5, 3, 0, "达标 3 / 已填指标 5 项（均为政策原文规定的指标）"),
        (5, 3, 2, "达标 3 / 已填指标 5 项（政策原文规定的 3 项，参考指标 2 项）"),
    ],
)
def test_met_rate_says_what_it_rests_on(reported, met, reference, basis):
    completion = Completion(indicators_reported=reported, indicators_met=met, indicators_reference=reference)
    assert completion.met_basis == basis


@pytest.mark.parametrize(
    ("pct", "shown"),
    [
        (None, "—"),
        (0.0, "0.0%"),
        (0.0001, "0.1%"),  # something done never shows as nothing
        (0.04, "0.1%"),
        (0.06, "0.1%"),
        (12.34, "12.3%"),
        (12.36, "12.4%"),
        (99.94, "99.9%"),
        (99.951, "99.9%"),  # would round to 100.0
        (99.9999, "99.9%"),
        (100.0, "100.0%"),
    ],
)
def test_display_rounding_never_shows_100_unless_complete_nor_0_unless_nothing(pct, shown):
    assert display_pct(pct) == shown


@pytest.mark.parametrize("whole", [1, 3, 7, 48, 999, 1000, 1999, 2001, 141_696])
def test_the_ends_are_exact_for_every_size(whole):
    assert display_pct(percent(whole, whole)) == "100.0%"
    assert display_pct(percent(0, whole)) == "0.0%"
    assert display_pct(percent(whole - 1, whole)) != "100.0%"
    assert display_pct(percent(1, whole)) != "0.0%"


def test_rounding_precision_is_a_parameter():
    assert rounded_pct(99.996, precision=2) == 99.99
    assert display_pct(66.666, precision=0) == "67%"


def test_percent_treats_a_float_sum_off_by_rounding_as_the_same_sum():
    parts = sum([0.1] * 10)  # 0.9999999999999999
    assert percent(parts, 1.0) == 100.0
    assert percent(0.5, 0.0) is None


def test_completions_add_up_field_by_field():
    a = Completion(applicable=3, reported=2, done=1, weight=3.0, done_weight=1.0, overdue_current=1,
                   overdue_cumulative=2, done_late=1)
    b = Completion(applicable=2, reported=2, done=2, not_applicable=0, weight=4.0, done_weight=4.0, stale=1,
                   indicators_reported=1, indicators_met=1)
    total = a + b
    assert total == Completion(applicable=5, reported=4, done=3, weight=7.0, done_weight=5.0,
                               indicators_reported=1, indicators_met=1, overdue_current=1, overdue_cumulative=2,
                               done_late=1, stale=1)
    assert sum([a, b]) == total  # sum() starts from 0
    assert sum([], Completion()) == Completion()
    assert Completion.total([a, b]) == total and Completion.total(iter([a, b, Completion()])) == total
    assert Completion.total([]) == Completion() and Completion.total([a]) == a
    # Pooled, not an average of rates: (1 + 4) / (3 + 4), not (33.3% + 100%) / 2.
    assert total.done_pct_str == "71.4%"


def test_adding_something_else_is_a_type_error():
    with pytest.raises(TypeError):
        Completion() + 1
    with pytest.raises(TypeError):
        1 + Completion()


def test_completion_is_frozen():
    with pytest.raises(FrozenInstanceError):
        Completion().done = 1


@pytest.mark.parametrize(
    ("done_weight", "threshold", "below"),
    [
        (80.0, 80, False),
        (79.9, 80, True),
        (79.96, 80, False),  # shown as 80.0%
        (99.96, 100, True),  # shown as 99.9%: a threshold of 100 needs everything done
        (100.0, 100, False),
        (0.0, 0, False),
    ],
)
def test_done_below_compares_the_displayed_rate(done_weight, threshold, below):
    assert Completion(applicable=1, weight=100.0, done_weight=done_weight).done_below(threshold) is below


def test_no_rate_is_below_any_threshold():
    assert Completion().done_below(0) is True


# --- which period counts --------------------------------------------------------------------------

YEAR_END = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1))
AFTER_JULY = Cadence("FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1", date(2025, 7, 1))


def item(cadence=None, due=None):
    return Item(id="x.1.a", actor=Actor.UNIVERSITY, title="t", cadence=cadence, due=due)


def test_one_off_items_count_once_with_their_catalog_due_date():
    assert counted_period(item(due=date(2025, 6, 30)), date(2025, 1, 1)) == CountedPeriod("once", date(2025, 6, 30),
                                                                                          None)
    assert counted_period(item(), date(2025, 1, 1)) == CountedPeriod("once", None, None)


@pytest.mark.parametrize(
    ("on", "period", "due", "window_start"),
    [
        (date(2024, 6, 1), "2025", date(2025, 12, 31), date(2025, 1, 1)),  # before the cadence starts: the first
        (date(2025, 6, 1), "2025", date(2025, 12, 31), date(2025, 1, 1)),  # none due yet: the first occurrence
        (date(2025, 12, 31), "2025", date(2025, 12, 31), date(2025, 1, 1)),  # due today counts today
        (date(2026, 1, 1), "2025", date(2025, 12, 31), date(2025, 1, 1)),  # last year's until this year's is due
        (date(2026, 12, 30), "2025", date(2025, 12, 31), date(2025, 1, 1)),
        (date(2026, 12, 31), "2026", date(2026, 12, 31), date(2026, 1, 1)),  # window opens the day after
    ],
)
def test_yearly_items_count_the_most_recent_occurrence_due(on, period, due, window_start):
    assert counted_period(item(YEAR_END), on) == CountedPeriod(period, due, window_start)


@pytest.mark.parametrize(
    ("on", "period", "window_start"),
    [
        (date(2025, 7, 15), "2025-07", date(2025, 7, 1)),
        (date(2025, 8, 31), "2025-08", date(2025, 8, 1)),
        (date(2025, 10, 1), "2025-09", date(2025, 9, 1)),
        (date(2026, 3, 15), "2025-12", date(2025, 12, 1)),  # no occurrence January to June
        (date(2026, 7, 31), "2026-07", date(2026, 1, 1)),  # its window opened after December's was due
    ],
)
def test_monthly_items_with_gaps(on, period, window_start):
    assert counted_period(item(AFTER_JULY), on).period == period
    assert counted_period(item(AFTER_JULY), on).window_start == window_start


def test_a_rule_without_any_occurrence_counts_nothing():
    ended = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31;UNTIL=20201231", date(2025, 1, 1))
    assert counted_period(item(ended), date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("on", "start", "period"),
    [
        (date(2026, 11, 29), date(2026, 11, 29), "2026"),  # added today: this year's report, not last year's
        (date(2026, 11, 29), date(2025, 12, 31), "2025"),  # started on last year's deadline: last year's counts
        (date(2026, 11, 29), date(2026, 1, 1), "2026"),  # none due since the start: the first one due after it
        (date(2027, 1, 5), date(2026, 11, 29), "2026"),  # then the most recent one due, as without a start
        (date(2026, 11, 29), date(2024, 1, 1), "2025"),  # a start before the cadence changes nothing
    ],
)
def test_the_counted_period_is_never_due_before_the_start(on, start, period):
    assert counted_period(item(YEAR_END), on, start).period == period


def test_status_lines_are_the_counted_period_and_every_occurrence_owed_since_the_start():
    monthly = item(AFTER_JULY)
    assert status_lines(monthly, date(2025, 11, 1), None) == (
        StatusLine("2025-10", date(2025, 10, 31), date(2025, 10, 1), True),
        StatusLine("2025-07", date(2025, 7, 31), None, False), StatusLine("2025-08", date(2025, 8, 31), None, False),
        StatusLine("2025-09", date(2025, 9, 30), None, False))
    assert [line.period for line in status_lines(monthly, date(2025, 11, 1), date(2025, 9, 1))] == [
        "2025-10", "2025-09"]
    assert status_lines(monthly, date(2025, 11, 1), date(2025, 11, 1)) == (
        StatusLine("2025-11", date(2025, 11, 30), date(2025, 11, 1), True),)  # nothing owed yet


def test_a_one_off_item_has_one_line_even_before_the_start():
    due = item(due=date(2025, 6, 30))
    assert status_lines(due, date(2026, 1, 1), date(2025, 9, 1)) == (StatusLine("once", date(2025, 6, 30), None, True),)
