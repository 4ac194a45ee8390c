"""Evidence files as the console shows them: what ``db check`` found."""

from __future__ import annotations

from typing import Any


def check_lines(check: Any) -> list[str]:
    """One line for the store, then one per missing or altered file, naming it as offices recorded it."""
    lines = [f"已核对佐证材料 {check.checked} 个文件（{check.place}）"]
    for problem in check.problems:
        lines.append(f"  {problem.why}：{'、'.join(problem.names)}（sha256 {problem.sha256}）")
    if not check.problems:
        lines.append("全部完好：每个文件都与其 sha256 一致")
    return lines


def check_json(check: Any) -> dict[str, Any]:
    """``db check --json``: the store, how many files were checked, and each problem."""
    return {"place": check.place, "checked": check.checked, "ok": not check.problems,
            "problems": [{"sha256": p.sha256, "names": list(p.names), "why": p.why} for p in check.problems]}
