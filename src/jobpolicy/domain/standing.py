"""Where a checklist line stands on a day: the one rule for 启用前, 未到期, 逾期, 已完成, 逾期完成 and 不适用.

A line is one item of one institution in one period. Its **deadline** (截止日期) is the policy's: the occurrence's date
for a recurring item, the catalog's ``due`` for a one-off item (or none). An office cannot move it; the record's
own ``due`` is the office's **plan date** (完成时限), shown beside the deadline and never deciding anything here.

The rule, in this order (``services/standing_sql.py`` says the same in SQL, and a property test keeps them equal):

1. 启用前 (before the start): the deadline falls before the institution's effective tracking start, the later of its
   own start and the database's. Not overdue, not counted in any rate, whatever the status.
2. 不适用: the status is 不适用.
3. 已完成 / 逾期完成: the status is 已完成; 逾期完成 when it was set (China date of ``status_at``) after the deadline.
4. 逾期: the deadline is before the day, and the line is not done (recorded or not).
5. 未到期: anything else: the deadline is the day itself or later, or there is no deadline.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from jobpolicy.domain.catalog import Item
from jobpolicy.domain.periods import ONCE, period_due
from jobpolicy.domain.status import Status


class Standing(StrEnum):
    """Where a line stands on a day."""

    BEFORE_START = "before_start"
    NOT_DUE = "not_due"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """Chinese label."""
        return STANDING_LABELS[self]


STANDING_LABELS = {
    Standing.BEFORE_START: "启用前",
    Standing.NOT_DUE: "未到期",
    Standing.OVERDUE: "逾期",
    Standing.DONE: "已完成",
    Standing.DONE_LATE: "逾期完成",
    Standing.NOT_APPLICABLE: "不适用",
}


def effective_start(institution_start: date | None, database_start: date | None) -> date | None:
    """The day tracking starts for an institution: the later of its own start and the database's."""
    starts = [d for d in (institution_start, database_start) if d is not None]
    return max(starts) if starts else None


def policy_deadline(item: Item, period: str) -> date | None:
    """The policy's deadline of a period: the occurrence's date, or the catalog's one-off ``due``; None without."""
    if item.cadence is not None and period != ONCE:
        return period_due(item.cadence, period)
    return item.due


def before_start(deadline: date | None, start: date | None) -> bool:
    """Whether a line is 启用前: its deadline falls before the effective tracking start (step 1 of the rule)."""
    return deadline is not None and start is not None and deadline < start


def standing(*, deadline: date | None, start: date | None, status: str | None, status_day: date | None,
             today: date) -> Standing:
    """Where a line stands on ``today`` (the module docstring gives the rule).

    Args:
        deadline: the policy's deadline, or None.
        start: the institution's effective tracking start, or None for no start.
        status: the record's status code, or None when nothing is recorded.
        status_day: the China date the current status was set, or None when nothing is recorded.
        today: the day asked about.
    """
    if before_start(deadline, start):
        return Standing.BEFORE_START
    if status == Status.NOT_APPLICABLE:
        return Standing.NOT_APPLICABLE
    if status == Status.DONE:
        late = deadline is not None and status_day is not None and status_day > deadline
        return Standing.DONE_LATE if late else Standing.DONE
    if deadline is not None and deadline < today:
        return Standing.OVERDUE
    return Standing.NOT_DUE
