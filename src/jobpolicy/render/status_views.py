"""Views of status results: JSON documents and small aligned tables with Chinese headers."""

from __future__ import annotations

import unicodedata
from dataclasses import fields
from operator import attrgetter
from typing import Any

from jobpolicy.domain.catalog_text import section_headings
from jobpolicy.domain.glossary import TERMS, legend_lines
from jobpolicy.domain.scoring import Completion, display_pct
from jobpolicy.render.record_views import institution_json, via_count

RATE_HEADERS = ("填报率", "落实率", "达标率", "当期逾期", "累计逾期", "逾期完成", "待更新")


_COUNTS = tuple(f.name for f in fields(Completion))
_counts = attrgetter(*_COUNTS)  # once, not per completion: a national overview has 20,000 of them


def completion_json(completion: Completion) -> dict[str, Any]:
    """The counts, the three rates as numbers (null when there is nothing to rate) and as shown."""
    data: dict[str, Any] = dict(zip(_COUNTS, _counts(completion), strict=True))
    reported, done, met = completion.reported_pct, completion.done_pct, completion.met_pct  # each worked out once
    data.update({
        "reported_pct": reported, "done_pct": done, "met_pct": met,
        "display": {"reported": display_pct(reported), "done": display_pct(done), "met": display_pct(met),
                    "met_basis": completion.met_basis},
    })
    return data


def _threshold_json(fail_under: float | None, failure: Exception | None) -> dict[str, Any] | None:
    if fail_under is None:
        return None
    return {"threshold": fail_under, "met": failure is None, "message": str(failure) if failure else None}


def institution_status_json(result: Any, *, fail_under: float | None = None,
                            failure: Exception | None = None) -> dict[str, Any]:
    """``status CODE --json``."""
    headings = section_headings(result.policy)
    return {
        "institution": institution_json(result.institution), "policy": result.policy.key,
        "as_of": result.as_of.isoformat(), "tracking_start": result.start.isoformat(),
        "sections": [{"id": s.id, "title": s.title, "heading": headings.get(s.id, s.title),
                      **completion_json(s.completion)} for s in result.sections],
        "total": completion_json(result.total), "fail_under": _threshold_json(fail_under, failure),
    }


def overview_status_json(result: Any, *, fail_under: float | None = None,
                         failure: Exception | None = None) -> dict[str, Any]:
    """``status --json``: one entry per institution, each with its sections, and the pooled total."""
    empty = Completion()
    headings = section_headings(result.policy)
    institutions = [
        {"code": row.code, "name": row.name, "province": row.province, "level": row.level,
         "total": completion_json(row.total),
         "sections": {sid: completion_json(row.sections.get(sid, empty)) for sid, _ in result.sections}}
        for row in result.institutions
    ]
    return {
        "policy": result.policy.key, "as_of": result.as_of.isoformat(), "province": result.scope.province,
        "scope": result.scope.as_dict(),
        "sections": [{"id": sid, "title": title, "heading": headings.get(sid, title)}
                     for sid, title in result.sections],
        "institutions": institutions, "total": completion_json(result.total),
        "fail_under": _threshold_json(fail_under, failure),
    }


def _cells(completion: Completion) -> list[str]:
    return [completion.reported_pct_str, completion.done_pct_str, completion.met_pct_str,
            str(completion.overdue_current), str(completion.overdue_cumulative), str(completion.done_late),
            str(completion.stale)]


def met_line(completion: Completion) -> str:
    """The line under a status table saying what 达标率 rests on."""
    return f"达标率：{completion.met_basis}"


def before_start_line(completion: Completion) -> list[str]:
    """A line on the 启用前 lines left out of every count, when there are any."""
    if not completion.before_start:
        return []
    return [f"启用前 {completion.before_start} 项：{TERMS['启用前']}"]


def _notes(completion: Completion) -> list[str]:
    via = [via_count(completion)] if completion.via_mapping else []
    return [met_line(completion), *before_start_line(completion), *via, *legend_lines(RATE_HEADERS)]


def institution_status_text(result: Any) -> list[str]:
    """``status CODE``: one row per section, a total row, and what 达标率 rests on."""
    headings = section_headings(result.policy)
    rows = [["体系", *RATE_HEADERS]]
    rows += [[headings.get(s.id, s.title), *_cells(s.completion)] for s in result.sections]
    rows.append(["合计", *_cells(result.total)])
    who = f"{result.institution.name}（{result.institution.code}）"
    head = f"{who}  {result.policy.key}  截至 {result.as_of.isoformat()}  自 {result.start.isoformat()} 起跟踪"
    return [head, "", *table(rows, text_columns=1), "", *_notes(result.total)]


def overview_status_text(result: Any) -> list[str]:
    """``status``: one row per institution and a total row."""
    rows = [["学校标识码", "学校", *RATE_HEADERS]]
    rows += [[row.code, row.name, *_cells(row.total)] for row in result.institutions]
    rows.append(["", f"合计（{len(result.institutions)} 所）", *_cells(result.total)])
    head = f"{result.policy.key}  {result.covered}  截至 {result.as_of.isoformat()}"
    if not result.institutions:
        return [head, "", "还没有添加学校：运行 jobpolicy institution import 或 jobpolicy institution add"]
    return [head, "", *table(rows, text_columns=2), "", *_notes(result.total)]


def width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[list[str]], *, text_columns: int, text_last: bool = False) -> list[str]:
    """Rows as aligned lines: the first ``text_columns`` columns (and the last, with ``text_last``) left-aligned,
    the numbers right-aligned."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    left = {*range(text_columns), *([len(widths) - 1] if text_last else [])}
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            cells.append(cell + pad if i in left else pad + cell)
        lines.append("  ".join(cells).rstrip())
    return lines
