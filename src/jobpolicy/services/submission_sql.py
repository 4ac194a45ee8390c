"""Each school's 报送 state in SQL: ``domain.submission``'s rule as one grouped query, now or at any past moment.

``submission_sql`` is ``domain.submission.submission_state`` written as a ``CASE`` over the grouped counts; a
property test runs both over random review histories and dates (``tests/services/test_submission_agreement.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlmodel import Session

from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.status import Review
from jobpolicy.domain.submission import ReviewCounts, Submission
from jobpolicy.services.as_of import records_as_of
from jobpolicy.services.line_join import count
from jobpolicy.services.scope import codes_within
from jobpolicy.storage.models import Record


def submission_sql(*, submitted: ColumnElement, accepted: ColumnElement, returned: ColumnElement) -> ColumnElement:
    """The 报送 state of a group of records with these counts of 已报送, 已审核 and 已退回 (a ``Submission`` value)."""
    return case(
        (returned > 0, Submission.RETURNED.value),
        (submitted > 0, Submission.PENDING.value),
        (accepted > 0, Submission.ACCEPTED.value),
        else_=Submission.NOT_SUBMITTED.value,
    )


@dataclass(frozen=True)
class SchoolSubmission:
    """A school's records counted by review state, and its 报送 state as SQL judged it."""

    counts: ReviewCounts
    state: Submission


NONE = SchoolSubmission(ReviewCounts(), Submission.NOT_SUBMITTED)  # a school without any record


def review_column(until: datetime | None, scope: InstitutionScope,
                  code: str | None = None) -> tuple[ColumnElement, object | None]:
    """Each record's review state now (``record.review``), or at ``until`` (the as-of rebuild), with the as-of
    subquery to join on record id (None for now). A record without a review event by then is a draft."""
    if until is None:
        return Record.review, None
    past = records_as_of(until, fields=("review",),
                         schools=lambda column: codes_within(scope, column, code=code))
    return func.coalesce(past.c.review, Review.DRAFT.value), past


def submissions(session: Session, policy_id: str, *, until: datetime | None,
                scope: InstitutionScope = EVERYWHERE, code: str | None = None) -> dict[str, SchoolSubmission]:
    """Every school's 报送 state (schools in ``scope`` with at least one record of the policy), in one query.

    Args:
        session: an open session.
        policy_id: the policy whose records count.
        until: the moment to judge at (``end_of_day(as_of)``), or None for the records as they are.
        scope: which schools (``services.scope.resolve_scope``); default every stored school.
        code: one school only, instead of the scope's.
    """
    review, past = review_column(until, scope, code)
    submitted, accepted, returned = (count(review == r.value) for r in (Review.SUBMITTED, Review.ACCEPTED,
                                                                         Review.RETURNED))
    query = select(Record.institution_code, func.count(), submitted, accepted, returned,
                   submission_sql(submitted=submitted, accepted=accepted, returned=returned))
    if past is not None:  # an inner join: a record not yet written by then is no record at all
        query = query.join(past, past.c.record_id == Record.id)
    query = query.where(Record.policy_id == policy_id)
    condition = codes_within(scope, Record.institution_code, code=code)
    if condition is not None:
        query = query.where(condition)
    found = {}
    for code, total, sent, done, back, state in session.execute(query.group_by(Record.institution_code)):
        counts = ReviewCounts(draft=total - sent - done - back, submitted=sent, accepted=done, returned=back)
        found[code] = SchoolSubmission(counts, Submission(state))
    return found
