"""Where a school stands in the upward workflow (its 报送): the one rule over the review states of its records.

A record's review state is 草稿, 已报送, 已审核 or 已退回 (``domain.status.Review``); a school's 报送 state reads all
of its records of the policy, in this order (``services/submission_sql.py`` says the same in SQL, and a property
test keeps them equal):

1. 有退回: at least one record is 已退回 (returned, and not sent again since: an edit makes it a draft, a new
   submission makes it 已报送).
2. 已报送待审: otherwise, at least one record is 已报送 (sent, not yet accepted).
3. 已审核: otherwise, at least one record is 已审核: everything the school sent has been accepted.
4. 未报送: nothing sent at all (every record a draft, or no record).

Drafts beside sent records do not change the state: what a school has not sent yet is not the province's to judge.
They are counted (``ReviewCounts.draft``) so a page can say how many wait to be sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jobpolicy.domain.status import Review


class Submission(StrEnum):
    """A school's 报送 state; the order of the members is the order a province reads them, worst first."""

    NOT_SUBMITTED = "not_submitted"
    RETURNED = "returned"
    PENDING = "pending"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        """Chinese label."""
        return SUBMISSION_LABELS[self]

    @property
    def reported(self) -> bool:
        """Whether the school has sent anything (every state but 未报送)."""
        return self is not Submission.NOT_SUBMITTED


SUBMISSION_LABELS = {
    Submission.NOT_SUBMITTED: "未报送",
    Submission.RETURNED: "有退回",
    Submission.PENDING: "已报送待审",
    Submission.ACCEPTED: "已审核",
}


@dataclass(frozen=True)
class ReviewCounts:
    """How many of a school's records are in each review state."""

    draft: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0

    @property
    def state(self) -> Submission:
        """The school's 报送 state (the module docstring gives the rule)."""
        return submission_state(submitted=self.submitted, accepted=self.accepted, returned=self.returned)


def submission_state(*, submitted: int, accepted: int, returned: int) -> Submission:
    """The 报送 state of a school with that many records 已报送, 已审核 and 已退回 (drafts do not matter)."""
    if returned:
        return Submission.RETURNED
    if submitted:
        return Submission.PENDING
    if accepted:
        return Submission.ACCEPTED
    return Submission.NOT_SUBMITTED


def review_counts(reviews: Iterable[str]) -> ReviewCounts:
    """Count review states (codes such as ``submitted``); an unknown or missing one counts as a draft."""
    found = Counter(reviews)
    known = {Review.SUBMITTED, Review.ACCEPTED, Review.RETURNED}
    return ReviewCounts(draft=sum(n for review, n in found.items() if review not in known),
                        submitted=found[Review.SUBMITTED], accepted=found[Review.ACCEPTED],
                        returned=found[Review.RETURNED])
