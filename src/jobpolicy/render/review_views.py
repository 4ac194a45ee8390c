"""Plain views of the review workflow: what ``review submit`` sent, held back and still misses."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.periods import shown_period
from jobpolicy.domain.status import Status


def _period(period: str) -> str:
    shown = shown_period(period)
    return f" [{shown}]" if shown else ""


def submit_lines(result: Any) -> list[str]:
    """``review submit``: one line per record sent (a resent one says so)."""
    resent = {r.id for r in result.resent}
    lines = [f"已报送: {result.institution_name} {len(result.records)} 条记录"]
    for record in result.records:
        again = "  （原样再报送）" if record.id in resent else ""
        lines.append(f"  {record.item_id}{_period(record.period)}  {Status(record.status).label}{again}")
    return lines


def submit_warnings(result: Any, code: str, resend_hint: str) -> list[str]:
    """The 注意/提示 lines of ``review submit``: returned records held back, and rows still 未填报."""
    lines = []
    if result.held:
        items = "、".join(dict.fromkeys(f"{r.item_id}{_period(r.period)}" for r in result.held))
        lines += [f"注意: {len(result.held)} 项已退回但尚未修改，未再报送：{items}", f"提示: {resend_hint}"]
    if result.unfilled:
        lines += [f"注意: 还有 {len(result.unfilled)} 项未填报", f"提示: 运行 jobpolicy todo {code} 查看待办"]
    return lines
