"""Counted checklist lines of many schools added up: what the summary's tables of measures and departments print.

The lines are each item's counted period (``domain.scoring.counted_period``); the rates count those that are not
启用前 (``rated``), as every school's own rates do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jobpolicy.domain.scoring import Completion


@dataclass
class LineTally:
    """Some counted lines: how many (启用前 included), how many of those the rates count are still open (neither
    已完成 nor 不适用), and the counts of those lines (``rated``)."""

    lines: int = 0
    open: int = 0
    rated: Completion = field(default_factory=Completion)

    def __add__(self, other: LineTally) -> LineTally:
        return LineTally(self.lines + other.lines, self.open + other.open, self.rated + other.rated)


@dataclass
class SummaryTallies:
    """The counted lines of a summary's schools, added up per item, per responsible department and per measure.

    ``items`` and ``measures`` are keyed by id and by whether the school has reported (报送: the summary's table of
    measures counts reporting schools only); ``departments`` by the department recorded ('' when none), over the
    rated lines with a record not marked 不适用.
    """

    items: dict[tuple[str, bool], LineTally] = field(default_factory=dict)
    departments: dict[str, LineTally] = field(default_factory=dict)
    measures: dict[tuple[str, bool], tuple[int, int]] = field(default_factory=dict)  # schools, schools with open

    def item(self, item_id: str, *, reporting: bool | None = None) -> LineTally:
        """An item's lines: of reporting schools, of the others, or (None) of all."""
        wanted = (True, False) if reporting is None else (reporting,)
        return sum((self.items.get((item_id, flag), LineTally()) for flag in wanted), LineTally())

    def has(self, item_id: str) -> bool:
        """Whether some school has a counted line of the item."""
        return self.item(item_id).lines > 0

    def schools(self, measure_id: str, *, reporting: bool | None = None) -> tuple[int, int]:
        """How many schools have a rated line of the measure, and how many of them an open one."""
        wanted = (True, False) if reporting is None else (reporting,)
        found = [self.measures.get((measure_id, flag), (0, 0)) for flag in wanted]
        return sum(n for n, _ in found), sum(m for _, m in found)
