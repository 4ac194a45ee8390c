"""Plain views of checklist exports and imports: one line per row and a summary per file, or JSON."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.periods import ONCE
from jobpolicy.domain.values import encode
from jobpolicy.render.record_views import FIELD_LABELS, label_value

CONFLICT_VERDICTS = {"stop": "整个文件未导入", "skip": "已跳过此行", "update": "按文件更新"}
OUTCOMES = (("updated", "更新"), ("confirmed", "确认报送"), ("unchanged", "无变化"), ("conflict", "冲突"),
            ("error", "错误"))
ENCODINGS = {"utf-8-sig": "UTF-8（带 BOM）", "utf-8": "UTF-8", "gb18030": "GB18030/GBK"}


def export_lines(result: Any) -> list[str]:
    """``checklist export`` as lines: one per file written; for a filter's schools, one line saying how many files
    and which folder (an absolute path to paste into Explorer)."""
    kind = "Excel 工作簿" if result.fmt == "xlsx" else "CSV 文件"
    if result.scope is not None:
        covered = result.scope.counted(len(result.files))
        return [f"已导出 {len(result.files)} 个 {kind}（{covered}，政策 {result.policy_key}）到文件夹：{result.folder}"]
    lines = [f"已导出: {f.name}（{f.code}）{f.rows} 项 → {f.path}" for f in result.files]
    return [*lines, f"共 {len(result.files)} 个{kind}，政策 {result.policy_key}"]


def export_json(result: Any) -> dict[str, Any]:
    """``checklist export --json``: ``scope`` and ``folder`` are null unless the schools came from a filter."""
    return {"format": result.fmt, "policy": result.policy_key,
            "scope": result.scope.as_dict() if result.scope is not None else None,
            "folder": str(result.folder) if result.folder is not None else None,
            "files": [{"path": str(f.path), "code": f.code, "name": f.name, "rows": f.rows} for f in result.files]}


def _changes(row: Any) -> str:
    parts = []
    for change in row.changes:
        label = FIELD_LABELS.get(change.field, change.field)
        new = label_value(change.field, encode(change.new))
        if change.field == "evidence":
            parts.append(f"{label} +{new}")
        elif change.old is None:
            parts.append(f"{label} {new}")
        else:
            parts.append(f"{label} {label_value(change.field, encode(change.old))}→{new}")
    return "，".join(parts)


def row_line(row: Any, on_conflict: str) -> str:
    """One row's result, e.g. ``清单!第5行 support.16.a：更新（状态 推进中→已完成，指标值 480）``, and its
    warnings after it (``；注意：…``)."""
    period = "" if row.period in (None, ONCE) else f" [{row.period}]"
    head = f"{row.sheet}!第{row.row}行 {row.item_id or '（无编号）'}{period}：{row.outcome.label}"
    if row.outcome.value == "error":
        return f"{head}（{'；'.join(str(p) for p in row.problems)}）"
    parts = []
    if row.outcome.value == "conflict":
        parts.append(f"导出后记录已被修改：导出时版本 {row.exported_revision}，现为 {row.current_revision}；"
                     f"本行要改 {_changes(row) or '确认报送'}；{CONFLICT_VERDICTS[on_conflict]}")
    elif row.outcome.value == "updated":
        parts.append(_changes(row))
    parts += [f"注意：{warning}" for warning in row.warnings]
    return f"{head}（{'；'.join(parts)}）" if parts else head


def _verdict(file: Any, dry_run: bool) -> str:
    if file.count_of("error"):
        return "有错误，整个文件未导入，数据库没有改动"
    if file.stopped:
        return "有冲突（--on-conflict stop），整个文件未导入，数据库没有改动"
    how = "并报送" if file.sender.submit else "（草稿，未报送）"
    if dry_run:
        return f"试运行：将导入 {file.changed} 行{how}，实际未写入" if file.changed else "试运行：没有要写入的内容"
    if file.written:
        return f"已导入 {file.changed} 行{how}，批次 #{file.batch_id}"
    return "全部无变化，没有写入"


def sender_line(file: Any) -> str:
    """Who the file comes from and who imported it: ``填报人 王老师（山西大学），联系电话 …；导入人 李处长``."""
    sender = file.sender
    author = f"{sender.author}（{file.institution_name}）" if sender.author else "（未填写）"
    phone = f"，联系电话 {sender.phone}" if sender.phone else ""
    return f"  填报人 {author}{phone}；导入人 {sender.importer}"


def file_lines(file: Any, *, dry_run: bool, on_conflict: str) -> list[str]:
    """One file's result: a line per row, then a summary (or the reason it was refused)."""
    name = file.path.name
    if file.refused is not None:
        hint = f"（提示：{file.refused.hint}）" if file.refused.hint else ""
        return [f"{name}：拒绝导入：{file.refused.message}{hint}"]
    lines = [row_line(row, on_conflict) for row in file.rows]
    counts = "，".join(f"{label} {file.count_of(value)}" for value, label in OUTCOMES)
    school = f"{file.institution_name}（{file.meta.institution_code}）" if file.meta else ""
    lines.append(f"{name}：{school} {file.meta.policy_key if file.meta else ''}，共 {len(file.rows)} 行："
                 f"{counts}。{_verdict(file, dry_run)}")
    lines.append(sender_line(file))
    lines += [f"  {note}" for note in file.notes]
    if file.encoding:
        lines.append(f"  文件编码：{ENCODINGS.get(file.encoding, file.encoding)}")
    if file.ignored:
        lines.append(f"  忽略了不认识的列：{'、'.join(file.ignored)}")
    if file.missing:
        lines.append(f"  导出的 {file.missing} 行不在文件中（可能被删除），这些检查项未做改动")
    return lines


def import_lines(result: Any) -> list[str]:
    """``checklist import`` as lines: every file's rows and summary, then a total when there are several.

    A single file refused as a whole gets no line here: the one 错误 line the command ends with says it all.
    """
    if len(result.files) == 1 and result.files[0].refused is not None:
        return []
    lines = [line for file in result.files
             for line in file_lines(file, dry_run=result.dry_run, on_conflict=result.on_conflict)]
    if len(result.files) > 1:
        failed = sum(1 for f in result.files if f.failed)
        lines.append(f"共 {len(result.files)} 个文件：{len(result.files) - failed} 个通过，{failed} 个未导入")
    return lines


def _row_json(row: Any) -> dict[str, Any]:
    return {"sheet": row.sheet, "row": row.row, "item": row.item_id, "period": row.period,
            "outcome": row.outcome.value, "label": row.outcome.label,
            "changes": [{"field": c.field, "old": encode(c.old), "new": encode(c.new)} for c in row.changes],
            "problems": [{"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}
                         for p in row.problems],
            "exported_revision": row.exported_revision, "current_revision": row.current_revision,
            "accepted": row.accepted, "warnings": row.warnings}


def _file_json(file: Any) -> dict[str, Any]:
    refused = None if file.refused is None else {"message": file.refused.message, "hint": file.refused.hint}
    meta = file.meta
    return {"file": str(file.path), "sha256": file.sha256, "encoding": file.encoding,
            "institution": {"code": meta.institution_code, "name": file.institution_name} if meta else None,
            "policy": meta.policy_key if meta else None, "refused": refused, "written": file.written,
            "batch_id": file.batch_id, "stopped": file.stopped, "changed": file.changed, "missing": file.missing,
            "ignored_columns": file.ignored, "format": meta.fmt if meta else None,
            "submitted": file.sender.submit if file.sender else None,
            "author": file.sender.author if file.sender else None, "phone": file.sender.phone if file.sender else None,
            "imported_by": file.sender.importer if file.sender else None, "notes": file.notes,
            "counts": {v: file.count_of(v) for v, _ in OUTCOMES},
            "rows": [_row_json(row) for row in file.rows]}


def import_json(result: Any) -> dict[str, Any]:
    """``checklist import --json``."""
    return {"dry_run": result.dry_run, "on_conflict": result.on_conflict,
            "files": [_file_json(file) for file in result.files]}
