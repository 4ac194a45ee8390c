"""Plain views of an office's to-do: the lines ``jobpolicy todo`` prints, and its JSON document."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.periods import shown_period
from jobpolicy.render.deadline_views import status_label
from jobpolicy.render.record_views import institution_json


def _when(line: Any) -> str:
    if line.days_late is not None:
        return f"截止 {line.due.isoformat()}，已逾期 {line.days_late} 天"
    if line.due is None:
        return ""
    return f"截止 {line.due.isoformat()}，" + ("今天到期" if line.days_left == 0 else f"还有 {line.days_left} 天")


def _line(line: Any) -> list[str]:
    where = f"第 {line.row} 行" if line.row is not None else "（不在本期清单上）"
    period = shown_period(line.period)
    parts = [where, f"{line.item_id}{f' [{period}]' if period else ''}", status_label(line.status), _when(line),
             line.title]
    text = "  " + "  ".join(part for part in parts if part)
    return [text, f"      审核意见：{line.reason}"] if line.reason else [text]


def todo_lines(todo: Any) -> list[str]:
    """``jobpolicy todo``: each non-empty group under its heading, each line naming its row in the checklist file."""
    school = f"{todo.institution.name}（{todo.institution.code}）"
    head = f"{school}的待办  {todo.policy.key}  截至 {todo.as_of.isoformat()}"
    if todo.empty:
        return [head, "没有待办事项：没有被退回、即将到期、未填报或未报送的项"]
    groups = (
        (todo.returned, "被退回，请按审核意见修改后报送"),
        (todo.due, f"已逾期或 {todo.within_days} 天内到期"),
        (todo.unfilled, "未填报"),
        (todo.drafts, "已填写、尚未报送（草稿）"),
    )
    lines = [head, "行号指今天导出的清单（jobpolicy checklist export）中的行"]
    for group, title in groups:
        if group:
            lines += ["", f"{title}（{len(group)} 项）"]
            lines += [text for line in group for text in _line(line)]
    return lines


def _line_json(line: Any) -> dict[str, Any]:
    return {"item": line.item_id, "title": line.title, "period": line.period, "row": line.row,
            "status": line.status, "status_label": status_label(line.status), "reason": line.reason,
            "due": line.due.isoformat() if line.due else None, "days_left": line.days_left,
            "days_late": line.days_late}


def todo_json(todo: Any) -> dict[str, Any]:
    """``jobpolicy todo --json``."""
    return {"institution": institution_json(todo.institution), "policy": todo.policy.key,
            "as_of": todo.as_of.isoformat(), "within_days": todo.within_days,
            **{name: [_line_json(line) for line in getattr(todo, name)]
               for name in ("returned", "due", "unfilled", "drafts")}}
