"""Plain views of policy versions: ``policy diff`` and what ``policy load`` did to the records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from jobpolicy.domain.catalog import Item
from jobpolicy.domain.catalog_diff import CatalogDiff, WordingChange


def _change_json(change: WordingChange) -> dict[str, str]:
    return {"part": change.part, "label": change.label, "old": change.old, "new": change.new}


def _item_ref(item: Item) -> dict[str, str]:
    return {"id": item.id, "title": item.title, "wording_hash": item.wording_hash}


def diff_json(diff: CatalogDiff) -> dict[str, Any]:
    """``policy diff --json``."""
    return {
        "old": diff.old_key,
        "new": diff.new_key,
        "added": [_item_ref(i) for i in diff.added],
        "removed": [_item_ref(i) for i in diff.removed],
        "reworded": [{**_item_ref(r.new), "changes": [_change_json(c) for c in r.changes]} for r in diff.reworded],
        "replaced": [{**_item_ref(r.new),
                      "replaces": [{**_item_ref(old), "changes": [_change_json(c) for c in changes]}
                                   for old, changes in zip(r.olds, r.changes, strict=True)]}
                     for r in diff.replaced],
        "unchanged": diff.unchanged,
    }


def diff_lines(diff: CatalogDiff) -> Iterator[str]:
    """``policy diff`` as text: one heading per category with its count, then the items."""
    yield f"{diff.old_key} → {diff.new_key}"
    yield f"新增 {len(diff.added)} 项"
    yield from (f"  {i.id}  {i.title}" for i in diff.added)
    yield f"删除 {len(diff.removed)} 项"
    yield from (f"  {i.id}  {i.title}" for i in diff.removed)
    yield f"措辞变化 {len(diff.reworded)} 项"
    for reworded in diff.reworded:
        yield f"  {reworded.new.id}  {reworded.new.title}"
        yield from (f"    {c.describe()}" for c in reworded.changes)
    yield f"替代 {len(diff.replaced)} 项"
    for replacement in diff.replaced:
        olds = "、".join(old.id for old in replacement.olds)
        yield f"  {replacement.new.id} ← {olds}  {replacement.new.title}"
        for old, changes in zip(replacement.olds, replacement.changes, strict=True):
            yield f"    与 {old.id} 相比：{'；'.join(c.describe() for c in changes) or '措辞未变'}"
    yield f"未变 {diff.unchanged} 项"


def _ref_json(ref: Any) -> dict[str, str]:
    return {"institution": ref.institution, "item": ref.item, "period": ref.period}


def load_report_json(report: Any) -> dict[str, Any]:
    """``policy load --json``: every record carried, flagged, moved or left."""
    return {
        "policy": report.policy_key,
        "loaded": report.loaded,
        "previous": report.previous_key,
        "counts": {name: len(getattr(report, name)) for name in ("carried", "flagged", "moved", "left")},
        "carried": [_ref_json(r) for r in report.carried],
        "flagged": [{**_ref_json(f.record), "reason": f.reason} for f in report.flagged],
        "moved": [{"institution": m.institution, "from": m.old_item, "to": m.new_item, "period": m.period,
                   "copied": m.copied} for m in report.moved],
        "left": [_ref_json(r) for r in report.left],
        "mapping": None if report.mapping is None else {
            "from": report.mapping.source.key, "to": report.mapping.target.key,
            "links": [{"item": link.source, "to": link.target, "relation": link.relation.value}
                      for link in report.mapping.links]},
    }


def load_report_lines(report: Any) -> Iterator[str]:
    """``policy load`` as text: the four counts, each followed by its records grouped by item; the mapping the file
    declares, if any."""
    yield from _report_lines(report)
    if report.mapping is None:
        return
    if report.loaded:
        yield f"映射 {report.mapping.key}：{len(report.mapping.links)} 条对应关系已保存"
    else:
        yield f"未变化: 映射 {report.mapping.key} 已加载过（内容相同）"


def _report_lines(report: Any) -> Iterator[str]:
    if report.mapping_only:
        return
    if not report.loaded:
        yield f"未变化: {report.policy_key} 已加载过（内容相同），没有改动任何记录"
        return
    if report.previous_key is None:
        yield f"已加载 {report.policy_key}（数据库中此前没有该政策，没有需要迁移的记录）"
        return
    yield f"已加载 {report.policy_key}（上一版本 {report.previous_key}）"
    yield f"已沿用 {len(report.carried)} 条记录"
    yield f"待重新评估 {len(report.flagged)} 条记录"
    flagged = Counter((f.record.item, f.reason) for f in report.flagged)
    yield from (f"  {item}（{n} 条）：{reason}" for (item, reason), n in flagged.items())
    yield f"已迁移 {len(report.moved)} 条记录"
    moved = Counter((m.old_item, m.new_item, m.copied) for m in report.moved)
    yield from (f"  {old} → {new}（{'复制，' if copied else ''}{n} 条）" for (old, new, copied), n in moved.items())
    yield f"保留未计入 {len(report.left)} 条记录（仍在数据库中，不再计入统计）"
    yield from (f"  {item}（{n} 条）" for item, n in Counter(r.item for r in report.left).items())
