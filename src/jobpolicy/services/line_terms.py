"""What one rated checklist line adds to each count of the rates, as SQL: each rule written once.

``services.status`` sums these terms per institution and section, ``services.summary_tallies`` per item, department
and measure; both over the lines of ``services.line_join`` that the rates count (each item's counted period, not
启用前), so the two can only agree. A term is a per-line SQL value: 1 or 0 for a count, the item's weight or 0.0
for a weight. ``completion`` turns the sums back into a ``Completion``; ``split_overdue`` parts 当期逾期 and 逾期完成.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Integer, case, literal_column

from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Status
from jobpolicy.services.line_join import State

# The terms, in this order: ``Completion``'s fields of these names, except ``overdue_current``, which also carries
# 逾期完成 (``done_late``) in its high bits: the standing CASE is the dearest expression of the query, and SQLite
# would evaluate it once per sum.
TERMS = ("applicable", "reported", "done", "not_applicable", "weight", "done_weight", "overdue_current")
LATE = 1 << 20  # more lines than any sum adds up (one institution's section; one item's line per school): no mixing


def rate_terms(state: State, weight: ColumnElement, standing: ColumnElement) -> dict[str, ColumnElement]:
    """What a rated line adds to each of ``TERMS``, given its counted ``state``, its item's ``weight`` and where it
    stands (``standing``, a ``Standing`` value)."""
    done, na = state.status == Status.DONE.value, state.status == Status.NOT_APPLICABLE.value
    return {
        "applicable": literal_column("1", Integer()),  # every rated line applies
        "reported": case((state.record_id.is_not(None), 1), else_=0),  # any record, 不适用 included
        "done": case((done, 1), else_=0),
        "not_applicable": case((na, 1), else_=0),
        "weight": case((na, 0.0), else_=weight),  # the 落实率 denominator: unrecorded lines are not 不适用
        "done_weight": case((done, weight), else_=0.0),
        "overdue_current": case({Standing.OVERDUE.value: 1, Standing.DONE_LATE.value: LATE}, value=standing,
                                else_=0),
    }


def overdue(term: ColumnElement) -> ColumnElement:
    """Whether a line is 逾期 (not 逾期完成), from its ``overdue_current`` term."""
    return term == 1


def completion(sums: Sequence) -> Completion:
    """The ``Completion`` of the sums of ``TERMS`` (in that order; NULL, from no line, as 0)."""
    applicable, reported, done, not_applicable, weight, done_weight, overdue = (value or 0 for value in sums)
    current, late = split_overdue(overdue)
    return Completion(applicable=applicable, reported=reported, done=done, not_applicable=not_applicable,
                      weight=float(weight), done_weight=float(done_weight), overdue_current=current, done_late=late)


def split_overdue(summed: int) -> tuple[int, int]:
    """The sum of ``overdue_current`` terms as 当期逾期 and 逾期完成."""
    return summed % LATE, summed // LATE
