"""A school's 报送 state: the one rule over the review states of its records."""

import pytest

from jobpolicy.domain.submission import ReviewCounts, Submission, review_counts, submission_state


@pytest.mark.parametrize(
    ("reviews", "expected"),
    [
        ([], Submission.NOT_SUBMITTED),  # no record at all
        (["draft", "draft"], Submission.NOT_SUBMITTED),  # written, never sent
        (["draft", "submitted"], Submission.PENDING),  # something sent, nothing judged
        (["accepted", "submitted"], Submission.PENDING),  # not all of it accepted yet
        (["accepted", "accepted"], Submission.ACCEPTED),  # everything sent is accepted
        (["accepted", "draft"], Submission.ACCEPTED),  # a draft beside it is not the province's to judge
        (["returned", "accepted"], Submission.RETURNED),  # one returned item not sent again
        (["returned", "submitted", "draft"], Submission.RETURNED),  # returned outranks pending
    ],
)
def test_the_rule(reviews, expected):
    assert review_counts(reviews).state is expected


def test_the_counts_behind_the_state():
    counts = review_counts(["draft", "submitted", "submitted", "accepted", "returned", "draft"])
    assert counts == ReviewCounts(draft=2, submitted=2, accepted=1, returned=1)


def test_drafts_never_change_the_state():
    for sent in ({"submitted": 1}, {"accepted": 3}, {"returned": 1}, {}):
        base = {"submitted": 0, "accepted": 0, "returned": 0, **sent}
        assert ReviewCounts(draft=0, **base).state is ReviewCounts(draft=40, **base).state


def test_labels_in_the_order_a_province_reads_them():
    assert [s.label for s in Submission] == ["未报送", "有退回", "已报送待审", "已审核"]
    assert [s.reported for s in Submission] == [False, True, True, True]
    assert submission_state(submitted=0, accepted=0, returned=0) is Submission.NOT_SUBMITTED
