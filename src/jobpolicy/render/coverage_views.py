"""``policy coverage``: how a plan covers a policy, as aligned Chinese lines and as JSON."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.coverage import Cover, Coverage, ItemCover
from jobpolicy.render.status_views import table

RELATION_NOTE = ("关系从省级检查项读起：等同、包含（省级要求覆盖意见检查项的全部并有更多）为已覆盖；"
                 "被包含（只要求其中一部分）、交叉为部分覆盖。")


def counts_line(result: Coverage) -> str:
    """``意见 20 项举措：已覆盖 2 项，部分覆盖 3 项，未覆盖 15 项；省级新增 1 项，更高要求 3 项``."""
    covered = "，".join(f"{state.label} {result.count(state)} 项" for state in Cover)
    added = sum(1 for a in result.additions if not a.beyond)
    more = len(result.additions) - added
    return (f"{result.policy.key} 共 {len(result.measures)} 项举措：{covered}；"
            f"{result.plan.key} 新增 {added} 项，更高要求 {more} 项")


def links_text(cover: ItemCover) -> str:
    """The plan's items covering a policy item: ``guide.1.a 包含 guidance.4.a``, or — without any."""
    return "、".join(f"{link.source} {link.relation.label} {link.target}" for link in cover.links) or "—"


def coverage_lines(result: Coverage) -> list[str]:
    """Measure by measure (each item of a measure not covered in full below it), then what the plan adds and its
    own targets."""
    rows = [["举措", "覆盖情况", "省级检查项 关系 意见检查项"]]
    for measure in result.measures:
        mapped = [links_text(i) for i in measure.items if i.links]
        rows.append([measure.measure.heading, measure.state.label, "；".join(mapped) or "—"])
    lines = [f"{result.plan.display_title}（{result.plan.key}）对照 {result.policy.display_title}", counts_line(result),
             "", *table(rows, text_columns=3)]
    if result.additions:
        lines += ["", f"{result.plan.key} 超出意见的内容："]
        lines += table([[a.item.id, a.label, _addition_text(a)] for a in result.additions], text_columns=3)
    if result.targets:
        lines += ["", "本省目标（本省视图按本省目标判定，意见视图不变）："]
        lines += table([[f"{t.plan_item.id} → {t.policy_item.id}", t.what, f"本省 {t.plan}；意见 {t.policy}"]
                        for t in result.targets], text_columns=3)
    lines += ["", RELATION_NOTE]
    return lines


def _addition_text(addition: Any) -> str:
    if addition.beyond:
        return f"{addition.item.title}（高于 {'、'.join(addition.beyond)}）"
    return addition.item.title


def coverage_json(result: Coverage) -> dict[str, Any]:
    """``policy coverage --json``: every measure and item of the policy with its state and links, the additions and
    the plan's own targets."""
    return {
        "plan": result.plan.key,
        "policy": result.policy.key,
        "counts": {state.value: result.count(state) for state in Cover},
        "measures": [{
            "id": m.measure.id, "number": m.measure.number, "title": m.measure.title, "state": m.state.value,
            "items": [{"id": i.item.id, "state": i.state.value,
                       "links": [{"item": link.source, "relation": link.relation.value} for link in i.links]}
                      for i in m.items],
        } for m in result.measures],
        "additions": [{"item": a.item.id, "title": a.item.title, "kind": "beyond" if a.beyond else "new",
                       "beyond": list(a.beyond)} for a in result.additions],
        "targets": [{"plan_item": t.plan_item.id, "policy_item": t.policy_item.id, "what": t.what, "plan": t.plan,
                     "policy": t.policy} for t in result.targets],
    }
