"""Views of a records diff: a JSON document and the lines ``jobpolicy diff`` prints."""

from __future__ import annotations

from typing import Any

from jobpolicy.render.record_views import (
    FIELD_LABELS,
    actor_label,
    event_json,
    evidence_change,
    institution_json,
    label_value,
    local_time,
)


def _window(result: Any) -> str:
    until = result.until.isoformat() if result.until else "现在"
    return f"{result.since.isoformat()} 至 {until}"


def diff_json(result: Any) -> dict[str, Any]:
    """``diff --json``."""
    return {
        "institution": institution_json(result.institution), "policy": result.policy.key,
        "since": result.since.isoformat(), "until": result.until.isoformat() if result.until else None,
        "items": [
            {"item": d.item_id, "title": d.title, "period": d.period, "created": d.created,
             "fields": [{"field": f.field, "before": f.before, "after": f.after, "actors": f.actors,
                         "changes": [event_json(e, result.batches) for e in f.changes]} for f in d.fields],
             "evidence": [event_json(e, result.batches) for e in d.evidence]}
            for d in result.items
        ],
    }


def _change_line(event: Any, who: str) -> str:
    old, new = label_value(event.field, event.old), label_value(event.field, event.new)
    return f"      {local_time(event.at)}  {who}  {old} → {new}  （{event.source}）"


def diff_text(result: Any) -> list[str]:
    """``diff``: each changed item, each field from what to what, and who changed it when."""
    name = f"{result.institution.name}（{result.institution.code}）"
    if not result.items:
        return [f"{name} 在 {_window(result)} 期间没有变化"]
    lines = [f"{name}  {result.policy.key}  {_window(result)} 的变化（{len(result.items)} 项）"]

    def who(event: Any) -> str:
        return actor_label(event, result.batches, result.institution.name)

    for diff in result.items:
        period = "" if diff.period == "once" else f" [{diff.period}]"
        created = "  （新填报）" if diff.created else ""
        lines += ["", f"{diff.item_id}{period}  {diff.title}{created}"]
        for field in diff.fields:
            label = FIELD_LABELS.get(field.field, field.field)
            lines.append(f"  {label}：{label_value(field.field, field.before)} → "
                         f"{label_value(field.field, field.after)}")
            lines += [_change_line(e, who(e)) for e in field.changes]
        lines += [f"  佐证材料：{evidence_change(e)}  {local_time(e.at)}  {who(e)}" for e in diff.evidence]
    return lines
