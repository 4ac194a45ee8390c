"""The summary's tables with a row per school (未报送, 前后对比, 各校落实情况), each row written here as HTML.

A national summary has 2,952 rows in each. Printed value by value through jinja, each of the page's 260,000 values
was looked up, passed through ``finalize`` and escaped, a Markup object apiece: more CPU than building the whole
context. So each row is one ``Markup`` string, and the template prints it. Every text value goes through ``_text``,
which does what jinja's autoescape does with it (``filters.shown``, then ``markupsafe.escape``); the numbers are
formatted here. A cell that depends on two numbers alone (a heat cell, a rate cell) is written once per pair.
The HTML is the same, byte for byte, as the template wrote it cell by cell (tests/gold/html, and the national page).
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from jobpolicy.domain.scoring import Completion, count_text, display_pct, percent
from jobpolicy.render.filters import heat_class, shown

_LINE = "\n      "  # between the cells of a row written a cell a line
# Every school's name, code, province and level is printed in three tables: each escaped once.
_CACHE = 16384


@lru_cache(maxsize=_CACHE)
def _text(value: str) -> str:
    """``value`` as jinja prints it with autoescape on: made inert (``filters.shown``), then escaped."""
    return escape(shown(value))


def school_cell(name: str, href: str, code: str) -> str:
    """The first cell of a row: the school's name (its sort key), linked to its page, then its code."""
    name = _text(name)
    return f'<td data-value="{name}"><a href="{_text(href)}">{name}</a> <span class="small">{_text(code)}</span></td>'


def level_cell(level: str) -> str:
    """The 层次 cell: 本科, 专科 or 层次未填."""
    level = _text(level)
    return f'<td class="nowrap" data-value="{level}">{level}</td>'


def num_cell(value: str | int) -> str:
    """A figure in a number column, its own sort key (a rate with counts sorts by the rate it starts with)."""
    value = _text(value) if isinstance(value, str) else value
    return f'<td class="num" data-value="{value}">{value}</td>'


@lru_cache(maxsize=_CACHE)
def heat_cell(part: float, whole: float) -> str:
    """A heat-map cell of 落实率 (``part`` of ``whole`` weight): the rate, coloured by its band (render.heat), sorted by
    the rate (-1 without one), with what it is out of."""
    pct = percent(part, whole)
    return (f'<td class="heat {heat_class(None if pct is None else pct / 100)}" '
            f'data-value="{"-1" if pct is None else f"{pct:.4f}"}">{display_pct(pct)}'
            f'<div class="small">{count_text(part)}/{count_text(whole)}</div></td>')


NO_HEAT_CELL = f'<td class="heat {heat_class(None)}" data-value="-1">—</td>'  # a system with no line at the school


@lru_cache(maxsize=_CACHE)
def rate_cell(part: float, whole: float) -> str:
    """A 填报率, 落实率 or 达标率 cell: the rate, sorted by it (-1 without one), with what it is out of."""
    pct = percent(part, whole)
    return (f'<td class="num" data-value="{"-1" if pct is None else f"{pct:.4f}"}">{display_pct(pct)}'
            f'<div class="small">{count_text(part)}/{count_text(whole)}</div></td>')


def overdue_cell(count: int) -> str:
    """An overdue count, marked when it is not 0."""
    return f'<td class="num{" overdue" if count else ""}" data-value="{count}">{count}</td>'


def heat_row(*, name: str, href: str, code: str, province: str, level: str, submission: str, submission_css: str,
             submission_sort: str, cells: str, total: Completion, last_update: str, last_update_sort: str) -> Markup:
    """A school's row of the heat map: the school, its province, level and 报送 state, its systems' ``cells``
    (``heat_cell``), the three rates, the overdue counts, 逾期完成, and its last update."""
    province = _text(province)
    return Markup(
        f"<tr>\n      {school_cell(name, href, code)}\n"
        f'      <td data-value="{province}">{province}</td>\n'
        f"      {level_cell(level)}\n"
        f'      <td class="nowrap" data-value="{_text(submission_sort)}"><span class="badge {_text(submission_css)}">'
        f"{_text(submission)}</span></td>\n"
        f"{cells}{rate_cell(total.reported, total.applicable)}{rate_cell(total.done_weight, total.weight)}"
        f"{rate_cell(total.indicators_met, total.indicators_reported)}"  # no newline here: the page as it was
        f"      {overdue_cell(total.overdue_current)}\n"
        f"      {overdue_cell(total.overdue_cumulative)}\n"
        f"      {num_cell(total.done_late)}\n"
        f'      <td class="nowrap" data-value="{_text(last_update_sort)}">{_text(last_update)}</td>\n'
        f"    </tr>")


def change_row(*, name: str, href: str, code: str, level: str, submission: str, submission_css: str,
               figures: tuple[str, str, str, str], delta: str, delta_sort: str, counts: tuple[int, int, int]) -> Markup:
    """A school's row of 各校前后对比: the school, its 报送 state (then → now), 填报率 then and now, 落实率 then and
    now (``figures``), the change of 落实率 in points, and its new 已完成, new 已退回 and changed records."""
    submission = _text(submission)
    cells = [*map(num_cell, figures), f'<td class="num" data-value="{_text(delta_sort)}">{_text(delta)}</td>',
             *map(num_cell, counts)]
    return Markup(
        f"<tr>\n      {school_cell(name, href, code)}{level_cell(level)}\n"
        f'      <td data-value="{submission}"><span class="badge {_text(submission_css)}">{submission}</span></td>\n'
        f"      {_LINE.join(cells)}\n    </tr>")


def unreported_row(*, name: str, href: str, code: str, level: str, drafts: int, reported: str,
                   last_update: str) -> Markup:
    """A school of 尚未报送的学校: the school, its level, its drafts, its 填报率 and its last update."""
    last_update = _text(last_update)
    return Markup(
        f"<tr>{school_cell(name, href, code)}{level_cell(level)}"
        f'<td class="num" data-value="{drafts}">{drafts} 项</td>{num_cell(reported)}'
        f'<td class="nowrap" data-value="{last_update}">{last_update}</td></tr>')
