"""What the summary, measure and item pages know of each school, and which of its lines the rates count.

Every page of a summary report reads the same checklist lines (``services.history.checklist_lines``): the lines
the rates count are those of each item's counted period, unless 启用前 (the rule of ``domain.standing``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Status
from jobpolicy.domain.submission import ReviewCounts, Submission
from jobpolicy.render.contexts import SchoolLink
from jobpolicy.render.site import institution_page_name

NO_LEVEL = "层次未填"


@dataclass(frozen=True)
class InstitutionData:
    """One school's inputs to the summary: its status row, last change and 报送 state; for the measure and item
    pages, its checklist lines (of one measure's items at a time)."""

    row: Any  # services.status.InstitutionRow: code, name, province, level, total, sections
    last_change: datetime | None
    submission: Submission = Submission.NOT_SUBMITTED
    reviews: ReviewCounts = ReviewCounts()
    lines: list[Any] = field(default_factory=list)

    @cached_property  # the summary links every school from three tables
    def href(self) -> str:
        """Its page, from the report folder."""
        return institution_page_name(self.row.code)

    @property
    def level(self) -> str:
        """本科, 专科, or 层次未填."""
        return self.row.level or NO_LEVEL

    def link(self, root: str = "") -> SchoolLink:
        """The school as a row names it, linked from a page ``root`` away from the report folder."""
        return SchoolLink(self.row.code, self.row.name, root + self.href, self.level)


def is_rated(line: Any) -> bool:
    """Whether the rates count the line: its item's counted period, unless it is 启用前."""
    return line.counted and line.standing is not Standing.BEFORE_START


def counted_lines(lines: list[Any]) -> list[Any]:
    """The lines the rates count: one per item (``is_rated``)."""
    return [line for line in lines if is_rated(line)]


def is_closed(line: Any) -> bool:
    """Done or 不适用: nothing more is owed on the line."""
    return line.state is not None and Status(line.state.status).closed


def is_done(line: Any) -> bool:
    """Marked 已完成."""
    return line.state is not None and line.state.status == Status.DONE


def is_not_applicable(line: Any) -> bool:
    """Marked 不适用 (it leaves the 落实率 denominator)."""
    return line.state is not None and line.state.status == Status.NOT_APPLICABLE
