"""Completion of a checklist: the counts behind the three rates, and which period of an item counts on a date.

The three rates are kept apart because people fight over one blended number (design.md §1):

- 填报率 (reported): items with any record / applicable items.
- 落实率 (done): weight of done items / weight of applicable items; an item marked 不适用 leaves the denominator.
- 达标率 (met): indicators meeting their target / indicators with a reported value. Where it is shown it says
  what it rests on (``met_basis``): how many of those indicators are 参考指标, targets the policy text does not set.

Rounding rule for display (after coverage.py's ``display_covered``): a rate is shown with one decimal, rounded
to nearest (ties to even, as Python's ``round``), except that a rate strictly between 0 and 0.1 shows as ``0.1%``
and one strictly between 99.9 and 100 shows as ``99.9%``. So ``100.0%`` means complete and ``0.0%`` means nothing
at all. A rate with an empty denominator (no applicable items, every item 不适用, no indicator reported yet) is
None and shows as ``—``: there is nothing to rate, which is neither 0% nor 100%.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache
from operator import add, attrgetter

from jobpolicy.domain.catalog import Item
from jobpolicy.domain.catalog_text import REFERENCE
from jobpolicy.domain.periods import ONCE, next_due, occurrences, period_label, previous_due

PRECISION = 1  # decimals shown
NO_RATE = "—"
_EPSILON = 1e-9  # weights are summed in SQL in any order; a sum off by rounding is still the same sum


@dataclass(frozen=True, slots=True)
class Completion:
    """Counts over a set of checklist lines (an institution, a section of it, or many institutions).

    Completions add up: the total of an institution is the sum of its sections, and the total of a province
    is the sum of its institutions (a pooled rate, not an average of rates).
    """

    applicable: int = 0  # checklist lines that apply (one per item; recurring items count one period)
    reported: int = 0  # lines with any record
    done: int = 0  # lines marked 已完成
    not_applicable: int = 0  # lines marked 不适用
    weight: float = 0.0  # weight of applicable lines not marked 不适用: the 落实率 denominator
    done_weight: float = 0.0  # weight of lines marked 已完成
    indicators_reported: int = 0  # lines with an indicator and a value (not 不适用)
    indicators_met: int = 0  # of those, the ones whose value meets the target
    overdue_current: int = 0  # 当期逾期: counted lines past their deadline, not done or 不适用 (recorded or not)
    overdue_cumulative: int = 0  # 累计逾期: every occurrence since the start past its deadline and unfinished
    done_late: int = 0  # 逾期完成: counted lines marked 已完成 after their deadline (also in ``done``)
    before_start: int = 0  # 启用前: lines whose deadline falls before tracking started; in no other count
    stale: int = 0  # 待更新: recurring, done, but without evidence from the period's own window
    indicators_reference: int = 0  # of indicators_reported, those whose target is a 参考指标 (not the policy's)
    via_mapping: int = 0  # lines counted through a mapping: recorded under another policy's item, none of their own

    def __add__(self, other: Completion) -> Completion:
        if not isinstance(other, Completion):
            return NotImplemented
        # All fields fetched at once (dataclasses.fields and getattr per field are slow): a national overview
        # adds up tens of thousands of these.
        return Completion(*map(add, _counts(self), _counts(other)))

    def __radd__(self, other: object) -> Completion:
        # sum() starts from 0
        if other == 0:
            return self
        return NotImplemented

    @classmethod
    def total(cls, parts: Iterable[Completion]) -> Completion:
        """The sum of ``parts`` (an empty Completion for none), made once: ``sum()`` makes a Completion per
        addition, and a national overview adds up 20,000 of them."""
        columns = list(zip(*map(_counts, parts), strict=True))
        return cls(*map(sum, columns)) if columns else cls()

    @property
    def reported_pct(self) -> float | None:
        """填报率 in percent, or None when nothing applies."""
        return percent(self.reported, self.applicable)

    @property
    def done_pct(self) -> float | None:
        """落实率 in percent (weighted), or None when nothing applies or everything is 不适用."""
        return percent(self.done_weight, self.weight)

    @property
    def met_pct(self) -> float | None:
        """达标率 in percent, or None when no indicator value is reported."""
        return percent(self.indicators_met, self.indicators_reported)

    @property
    def reported_pct_str(self) -> str:
        """填报率 as shown, e.g. ``87.5%``."""
        return display_pct(self.reported_pct)

    @property
    def done_pct_str(self) -> str:
        """落实率 as shown."""
        return display_pct(self.done_pct)

    @property
    def met_pct_str(self) -> str:
        """达标率 as shown."""
        return display_pct(self.met_pct)

    @property
    def reported_shown(self) -> str:
        """填报率 with its counts, e.g. ``62.1%（18/29）`` (``rate_with_counts``)."""
        return rate_with_counts(self.reported, self.applicable)

    @property
    def done_shown(self) -> str:
        """落实率 with its (weighted) counts."""
        return rate_with_counts(self.done_weight, self.weight)

    @property
    def met_shown(self) -> str:
        """达标率 with its counts."""
        return rate_with_counts(self.indicators_met, self.indicators_reported)

    @property
    def met_basis(self) -> str:
        """The counts behind 达标率 and which kind of targets they are: ``达标 3 / 已填指标 5 项（均为参考指标）``."""
        counts = f"达标 {self.indicators_met} / 已填指标 {self.indicators_reported} 项"
        reference, policy = self.indicators_reference, self.indicators_reported - self.indicators_reference
        if not self.indicators_reported:
            return counts
        if not policy:
            return f"{counts}（均为{REFERENCE}）"
        if not reference:
            return f"{counts}（均为政策原文规定的指标）"
        return f"{counts}（政策原文规定的 {policy} 项，{REFERENCE} {reference} 项）"

    def done_below(self, threshold: float) -> bool:
        """Whether 落实率, as displayed, is under ``threshold`` percent; no rate at all counts as under.

        Comparing the displayed figure means a rate shown as 99.9% fails ``--fail-under 100``, and never
        passes a threshold that the printed number does not reach.
        """
        shown = rounded_pct(self.done_pct)
        return shown is None or shown < threshold


_counts = attrgetter(*(f.name for f in fields(Completion)))


def percent(part: float, whole: float) -> float | None:
    """``part`` of ``whole`` in percent, exactly 100 or 0 at the ends; None when ``whole`` is zero."""
    if whole <= _EPSILON:
        return None
    if part >= whole - _EPSILON:
        return 100.0
    if part <= _EPSILON:
        return 0.0
    return 100.0 * part / whole


def rounded_pct(pct: float | None, precision: int = PRECISION) -> float | None:
    """Round a percentage for display, never to 100 unless complete nor to 0 unless nothing."""
    if pct is None:
        return None
    near0 = 1.0 / 10**precision
    if 0 < pct < near0:
        return near0
    if 100.0 - near0 < pct < 100.0:
        return round(100.0 - near0, precision)
    return round(pct, precision)


def display_pct(pct: float | None, precision: int = PRECISION) -> str:
    """A percentage as shown: ``87.5%``, ``99.9%`` for almost complete, ``—`` for no rate."""
    shown = rounded_pct(pct, precision)
    return NO_RATE if shown is None else f"{shown:.{precision}f}%"


def count_text(number: float) -> str:
    """A count or a summed weight as shown: ``18``, ``17.5`` (never ``18.0``, never an exponent)."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=8192)  # a national summary prints 15,000 of these, of far fewer pairs
def rate_with_counts(part: float, whole: float) -> str:
    """A rate with what it is out of: ``62.1%（18/29）``; ``—（0/0）`` when there is nothing to rate."""
    return f"{display_pct(percent(part, whole))}（{count_text(part)}/{count_text(whole)}）"


@dataclass(frozen=True, slots=True)
class CountedPeriod:
    """The period of an item that counts on a date, its default due date, and when its window opened."""

    period: str
    due: date | None  # occurrence date, or the catalog's one-off due date
    window_start: date | None  # first day evidence for this period can belong to; None for one-off items


@lru_cache(maxsize=8192)
def counted_period(item: Item, on: date, start: date | None = None) -> CountedPeriod | None:
    """The period of ``item`` that status counts on ``on`` for an institution tracked from ``start``.

    One-off items count their only period, ``once`` (not at all when its deadline falls before ``start``: the
    caller sees that from ``due``). A recurring item counts the most recent occurrence due on or before ``on``
    among those due on or after ``start`` (so last year's report is assessed until this year's falls due), else
    the first occurrence due on or after ``start``: a school added today counts this year's report, not last
    year's. The window of an occurrence opens the day after the previous occurrence was due, or on the cadence's
    start for the first one. None when the rule never produces such an occurrence.
    """
    cadence = item.cadence
    if cadence is None:
        return CountedPeriod(ONCE, item.due, None)
    due = previous_due(cadence, on + timedelta(days=1))
    if due is None or (start is not None and due < start):
        due = next_due(cadence, max(start or cadence.start, cadence.start))
    if due is None:
        return None
    before = previous_due(cadence, due)
    start = before + timedelta(days=1) if before else cadence.start
    return CountedPeriod(period_label(cadence, due), due, start)


@dataclass(frozen=True, slots=True)
class StatusLine:
    """One period of an item that status judges: the counted one, or an earlier occurrence owed since the start."""

    period: str
    deadline: date | None  # the policy's: the occurrence's date, or the catalog's one-off due date
    window_start: date | None  # see CountedPeriod
    counted: bool  # the period the rates (and 当期逾期) count; the others only count towards 累计逾期


@lru_cache(maxsize=8192)
def status_lines(item: Item, on: date, start: date | None) -> tuple[StatusLine, ...]:
    """The periods of ``item`` status judges on ``on`` for an institution tracked from ``start``.

    The counted period (``counted_period``), and every occurrence due on or after ``start`` and before ``on``:
    those are the ones that can be overdue, so 累计逾期 (every unfinished past occurrence) counts them. A one-off
    item has one line, its ``once`` period, even when its deadline falls before ``start`` (it is then 启用前).
    """
    counted = counted_period(item, on, start)
    if counted is None:
        return ()
    lines = [StatusLine(counted.period, counted.due, counted.window_start, True)]
    cadence = item.cadence
    if cadence is not None:
        first = max(start or cadence.start, cadence.start)
        for due in occurrences(cadence, first, on - timedelta(days=1)):
            period = period_label(cadence, due)
            if period != counted.period:
                lines.append(StatusLine(period, due, None, False))
    return tuple(lines)
