"""What changed in every school's records between two moments, counted per school in one query.

Each record is compared as it was at the start of the window (the as-of rebuild, ``as_of.records_as_of``) with
how it is at the end (the ``record`` table, or the rebuild again for a past end): its status and its review state.
A change and its undoing inside the window cancel out, as in ``diff``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from operator import add

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.status import Review, Status
from jobpolicy.services.as_of import records_as_of
from jobpolicy.services.line_join import count
from jobpolicy.services.scope import codes_within
from jobpolicy.services.submission_sql import review_column
from jobpolicy.storage.models import Record


@dataclass(frozen=True)
class ChangeCounts:
    """How many records changed in each way in the window (one record can count in several)."""

    added: int = 0  # 新填报: written for the first time
    status_changed: int = 0  # 状态变化: another status at the end than at the start (or no record at the start)
    done: int = 0  # 新完成: 已完成 at the end, not at the start
    reopened: int = 0  # 改回未完成: 已完成 at the start, not at the end
    submitted: int = 0  # 新报送待审: 已报送 at the end, not at the start (sent and not yet judged)
    accepted: int = 0  # 新审核通过: 已审核 at the end, not at the start
    returned: int = 0  # 新退回: 已退回 at the end, not at the start

    def __add__(self, other: ChangeCounts) -> ChangeCounts:
        return ChangeCounts(*map(add, _values(self), _values(other)))

    def __radd__(self, other: object) -> ChangeCounts:
        return self if other == 0 else NotImplemented  # sum() starts from 0

    @property
    def any(self) -> bool:
        """Whether anything changed."""
        return any(_values(self))


def _values(counts: ChangeCounts) -> list[int]:
    return [getattr(counts, f.name) for f in fields(ChangeCounts)]


def changes_between(session: Session, policy_id: str, *, since: datetime, until: datetime | None,
                    scope: InstitutionScope = EVERYWHERE, code: str | None = None) -> dict[str, ChangeCounts]:
    """Per school (in ``scope``, with a record changed), what changed in its records from ``since`` to ``until``.

    Args:
        session: an open session.
        policy_id: the policy whose records count.
        since: the start of the window (``end_of_day`` of the earlier date).
        until: the end of the window, or None for the records as they are.
        scope: which schools (``services.scope.resolve_scope``); default every stored school.
        code: one school only, instead of the scope's.
    """
    then = records_as_of(since, fields=("review",), schools=lambda column: codes_within(scope, column, code=code),
                         name="then")
    review, past = review_column(until, scope, code)
    status = Record.status if past is None else past.c.status
    before_status = then.c.status
    before_review = func.coalesce(then.c.review, Review.DRAFT.value)
    done = Status.DONE.value
    columns = [
        count(then.c.record_id.is_(None)),
        count(or_(then.c.record_id.is_(None), before_status != status)),
        count(and_(status == done, or_(before_status.is_(None), before_status != done))),
        count(and_(before_status == done, status != done)),
        *(count(and_(review == wanted.value, before_review != wanted.value))
          for wanted in (Review.SUBMITTED, Review.ACCEPTED, Review.RETURNED)),
    ]
    query = select(Record.institution_code, *columns)
    if past is not None:  # a record not yet written at the end of the window is left out
        query = query.join(past, past.c.record_id == Record.id)
    query = query.outerjoin(then, then.c.record_id == Record.id).where(Record.policy_id == policy_id)
    condition = codes_within(scope, Record.institution_code, code=code)
    if condition is not None:
        query = query.where(condition)
    found = {}
    for code, *numbers in session.execute(query.group_by(Record.institution_code)):
        counts = ChangeCounts(*(int(n or 0) for n in numbers))
        if counts.any:
            found[code] = counts
    return found
