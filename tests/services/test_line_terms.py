"""The rates' per-line terms (``services.line_terms``) add back up into a ``Completion``: 当期逾期 and 逾期完成 share
one sum and part again, and a group without lines counts nothing. That status and the summary's tables, which both
sum these terms, agree is held in ``test_summary_tallies``."""

from jobpolicy.domain.scoring import Completion
from jobpolicy.services.line_terms import LATE, TERMS, completion, split_overdue


def test_overdue_and_late_share_one_sum_and_part_again():
    assert split_overdue(3 + 2 * LATE) == (3, 2)  # three lines overdue, two done late
    assert split_overdue(LATE - 1) == (LATE - 1, 0)  # as many overdue lines as one sum can hold stay overdue


def test_the_sums_make_a_completion():
    found = completion([4, 3, 2, 1, 2.5, 1.5, 1 + LATE])

    assert found == Completion(applicable=4, reported=3, done=2, not_applicable=1, weight=2.5, done_weight=1.5,
                               overdue_current=1, done_late=1)


def test_a_group_without_lines_counts_nothing():
    assert completion([None] * len(TERMS)) == Completion()
