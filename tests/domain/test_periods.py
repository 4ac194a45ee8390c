"""Recurring obligations: occurrences, period labels and descriptions (dateutil RRULEs)."""

from datetime import date

import pytest

from jobpolicy.domain.catalog import Cadence
from jobpolicy.domain.periods import describe, next_due, occurrences, period_label, previous_due

YEAR_END = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1))
AFTER_JULY = Cadence("FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1", date(2025, 7, 1))


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
