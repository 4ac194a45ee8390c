"""Plain views of institutions, records and histories: JSON documents and the lines the CLI prints."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog import Measure, Policy
from jobpolicy.domain.catalog_text import REFERENCE, heading_label, indicator_label, indicator_reading, item_measure
from jobpolicy.domain.glossary import TERMS, legend_lines
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import REVIEW_LABELS, STATUS_LABELS, Review, Status
from jobpolicy.domain.values import encode
from jobpolicy.render.catalog_views import indicator_json

FIELD_LABELS = {
    "status": "状态", "progress": "进度", "owner": "责任人", "department": "责任部门", "due": "完成时限",
    "value": "指标值", "note": "备注", "na_reason": "不适用理由", "review": "审核状态", "review_reason": "审核意见",
    "reassess": "待重新评估", "reassess_reason": "重新评估原因", "item_id": "检查项编号", "evidence": "佐证材料",
}

# An evidence event stores a file as ``名单.pdf sha256:1a2b3c…`` (so the log tells files apart); people read the name.
EVIDENCE_DIGEST = re.compile(r" sha256:[0-9a-f]*$")
TARGET_HINT = "数值有误时用 --value 更正；数值无误则该项计为已完成、未达标"


def warning_lines(warnings: list[str], hint: str) -> list[str]:
    """A 注意 line per warning, and one 提示 after them (nothing when there is no warning)."""
    return [*(f"注意: {w}" for w in warnings), f"提示: {hint}"] if warnings else []


def local_time(moment: datetime | None) -> str:
    """A UTC moment as Beijing time, to the minute."""
    if moment is None:
        return ""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def label_value(field: str, value: str | None) -> str:
    """A stored field value as people read it (status codes become Chinese labels)."""
    if value is None or value == "":
        return "（空）"
    if field == "status" and value in {s.value for s in Status}:
        return STATUS_LABELS[Status(value)]
    if field == "review" and value in {r.value for r in Review}:
        return REVIEW_LABELS[Review(value)]
    if field == "reassess":
        return "是" if value == "true" else "否"
    if field == "evidence":
        return EVIDENCE_DIGEST.sub("", value)
    return value


def institution_json(institution: Any) -> dict[str, Any]:
    """One institution as JSON."""
    return {"code": institution.code, "name": institution.name, "province": institution.province,
            "city": institution.city, "level": institution.level, "authority": institution.authority,
            "remark": institution.remark, "listed": institution.listed,
            "tracking_start": institution.tracking_start.isoformat()}


def institution_line(institution: Any) -> str:
    """One institution as a line."""
    mark = "" if institution.listed else "  （名单外，手工添加）"
    place = f"{institution.province}{institution.city}"
    authority = f"  主管部门 {institution.authority}" if institution.authority else ""
    start = f"  自 {institution.tracking_start.isoformat()} 起跟踪"
    return f"{institution.code}  {institution.name}  {place}  {institution.level}{authority}{start}{mark}"


def institutions_text(institutions: list[Any], scope: Any) -> list[str]:
    """``institution list``: a line per institution, then how many, naming the filter."""
    if not institutions:
        return ["还没有添加学校：运行 jobpolicy institution import 或 jobpolicy institution add"]
    return [*(institution_line(i) for i in institutions), f"合计：{scope.counted(len(institutions))}"]


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def file_size(size: int) -> str:
    """A file's size as people read it: ``820 字节``, ``120 KB``, ``3.4 MB``."""
    if size < 1024:
        return f"{size} 字节"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"
    raise AssertionError("unreachable")


def evidence_detail(evidence: Any) -> str:
    """What a reader needs about a piece of evidence besides its name: a file's size, when and by whom it was added."""
    size = f"{file_size(evidence.size)}，" if evidence.size is not None else ""
    return f"{size}{local_time(evidence.added_at)[:10]} {evidence.added_by}添加"


def evidence_line(evidence: Any, *, detail: bool = False) -> str:
    """A piece of evidence as a line: its name and ``evidence_detail``; with ``detail``, a file's stored path and
    sha256 too (to check that a file was not changed since)."""
    extra = f"，位置 {evidence.ref}，sha256 {evidence.sha256}" if detail and evidence.sha256 else ""
    return f"佐证：{evidence.name}（{evidence_detail(evidence)}{extra}）"


def _evidence_json(evidence: Any) -> dict[str, Any]:
    return {"kind": evidence.kind, "ref": evidence.ref, "name": evidence.name, "size": evidence.size,
            "sha256": evidence.sha256, "added_at": evidence.added_at.isoformat(), "added_by": evidence.added_by}


def _measure_json(measure: Measure | None) -> dict[str, Any] | None:
    return None if measure is None else {"id": measure.id, "heading": heading_label(measure)}


def line_json(line: Any, policy: Policy) -> dict[str, Any]:
    """One checklist line (item, period, state) as JSON, with its measure and its indicator."""
    state, measure = line.state, item_measure(policy, line.item.id)
    data: dict[str, Any] = {"item": line.item.id, "title": line.item.title, "measure": _measure_json(measure),
                            "indicator": indicator_json(line.item, measure), "period": line.period,
                            "deadline": _iso(line.deadline), "plan": _iso(line.plan),
                            "standing": line.standing.value, "standing_label": line.standing.label,
                            "counted": line.counted, "recorded": state is not None}
    if state is not None:
        data.update({
            "status": state.status, "status_at": _iso(state.status_at), "progress": state.progress,
            "owner": state.owner, "department": state.department, "value": state.value,
            "met": _met(line.item, state.value), "note": state.note,
            "na_reason": state.na_reason, "review": state.review, "review_reason": state.review_reason,
            "reassess": state.reassess, "reassess_reason": state.reassess_reason,
            "updated_at": state.updated_at.isoformat() if state.updated_at else None,
            "updated_by": state.updated_by, "evidence": [_evidence_json(e) for e in state.evidence],
            "via": None if state.via is None else {"policy": state.via.policy_id, "item": state.via.item_id,
                                                   "relation": state.via.relation.value},
        })
    if line.partial:
        data["partial"] = [{"policy": p.via.policy_id, "item": p.via.item_id, "relation": p.via.relation.value,
                            "status": p.status} for p in line.partial]
    return data


def _met(item: Any, value: float | None) -> bool | None:
    """Whether the value meets the item's target; None without an indicator or a value."""
    return None if item.indicator is None or value is None else item.indicator.is_met(value)


def records_json(view: Any) -> dict[str, Any]:
    """``record show --json``."""
    return {"institution": institution_json(view.institution), "policy": view.policy.key,
            "as_of": view.as_of.isoformat(), "tracking_start": view.start.isoformat(),
            "lines": [line_json(line, view.policy) for line in view.lines],
            "left_behind": [_left_behind_json(record) for record in view.left_behind]}


def _left_behind_json(record: Any) -> dict[str, Any]:
    state = record.state
    return {"item": state.item_id, "title": record.title, "period": state.period, "why": record.why,
            "status": state.status, "progress": state.progress, "owner": state.owner,
            "department": state.department, "due": _iso(state.due), "value": state.value, "note": state.note,
            "na_reason": state.na_reason, "review": state.review,
            "updated_at": state.updated_at.isoformat() if state.updated_at else None,
            "updated_by": state.updated_by, "evidence": [_evidence_json(e) for e in state.evidence]}


def partial_text(state: Any) -> str:
    """A record mapped onto a line only in part: ``部分佐证：gse-2025 guidance.4.b（被包含）已完成（不计入本项）``."""
    return f"部分佐证：{state.via.label}{STATUS_LABELS[Status(state.status)]}（不计入本项）"


def via_text(via: Any) -> str:
    """Where a record counted through a mapping is kept: ``经映射计入：记录填报在 gse-2025 support.16.a（等同）…``;
    empty for the line's own record."""
    if via is None:
        return ""
    return f"经映射计入：记录填报在 {via.label}，按本政策的截止日期和目标判定"


def via_count(total: Any) -> str:
    """How many lines were counted through a mapping, in a sentence; empty when none."""
    if not total.via_mapping:
        return ""
    return f"其中 {total.via_mapping} 项经映射计入（记录填报在另一政策的对应检查项，按本政策的截止日期和目标判定）。"


def mapping_note(line: Any) -> str:
    """Where a line's record was counted from through a mapping (``via_text``), and the partial evidence beside it
    (``partial_text``), joined with ；; empty for a line with neither. The school page, the summary's measure and item
    pages say it alike."""
    notes = [via_text(line.state.via)] if line.state is not None and line.state.via is not None else []
    return "；".join(notes + [partial_text(p) for p in line.partial])


def _state_details(state: Any, detail: bool) -> list[str]:
    shown = ("progress", "department", "owner", "note", "na_reason", "review_reason")  # value: beside its target
    details = [via_text(state.via)] if state.via is not None else []
    details += [f"{FIELD_LABELS[f]}：{encode(v)}" for f in shown if (v := getattr(state, f)) not in (None, "")]
    if state.reassess:
        details.append(f"待重新评估：{state.reassess_reason}")
    details += [evidence_line(e, detail=detail) for e in state.evidence]
    return details


# The standings a line is marked with in text; the others (未到期, 已完成, 不适用) say nothing the status does not.
MARKED = (Standing.OVERDUE, Standing.DONE_LATE, Standing.BEFORE_START)


def deadline_text(deadline: Any, plan: Any) -> str:
    """The policy's deadline and the office's plan date beside it: ``截止 2025-12-31（完成时限 2025-11-30）``."""
    text = f"截止 {deadline.isoformat()}" if deadline else "无截止日期"
    return text + (f"（完成时限 {plan.isoformat()}）" if plan else "")


def _line_text(line: Any, detail: bool) -> list[str]:
    state = line.state
    when = f"  {deadline_text(line.deadline, line.plan)}" if line.deadline or line.plan else ""
    mark = f"  【{line.standing.label}】" if line.standing in MARKED else ""
    period = "" if line.period == "once" else f" [{line.period}]"
    value = state.value if state is not None else None
    details = [f"{indicator_label(line.item)}｜{indicator_reading(line.item, value)}"] if line.item.indicator else []
    if state is None:
        where = "未填报"
    else:
        where = f"{STATUS_LABELS[Status(state.status)]}｜{REVIEW_LABELS[Review(state.review)]}"
        details += _state_details(state, detail)
    details += [partial_text(p) for p in line.partial]
    return [f"  {line.item.id}{period}  {where}{when}{mark}  {line.item.title}", *(f"      {d}" for d in details)]


def records_head(view: Any) -> str:
    """The first line of ``record show``: whose checklist, which policy, as of when, tracked since when."""
    who = f"{view.institution.name}（{view.institution.code}）"
    return f"{who}  {view.policy.key}  截至 {view.as_of.isoformat()}  自 {view.start.isoformat()} 起跟踪"


BEFORE_START_NOTE = f"【启用前】{TERMS['启用前']}"


def records_text(view: Any, *, detail: bool = False) -> list[str]:
    """``record show`` as lines: the lines of each measure under its heading, in policy order; ``detail`` adds each
    evidence file's stored path and sha256."""
    lines = [records_head(view)]
    if any(line.standing is Standing.BEFORE_START for line in view.lines):
        lines.append(BEFORE_START_NOTE)
    shown = None
    for line in view.lines:
        measure = item_measure(view.policy, line.item.id)
        if measure is not None and measure.id != shown:
            lines += ["", f"{heading_label(measure)}  [{measure.id}]"]
            shown = measure.id
        lines += _line_text(line, detail)
    return lines + left_behind_text(view.left_behind, detail) + legend_lines(_terms(view.lines))


LEFT_BEHIND_HEAD = ("不在当前清单上的记录（{count} 条）：政策修订时删除或合并的检查项，或不再适用于本校的检查项；"
                    "记录保留，不计入比率，可用 jobpolicy record history 学校 检查项编号 查看变更")


def left_behind_text(records: list[Any], detail: bool) -> list[str]:
    """The records no checklist line shows, after the checklist: each with its state and why it is left behind."""
    if not records:
        return []
    lines = ["", LEFT_BEHIND_HEAD.format(count=len(records))]
    for record in records:
        state = record.state
        period = "" if state.period == "once" else f" [{state.period}]"
        where = f"{STATUS_LABELS[Status(state.status)]}｜{REVIEW_LABELS[Review(state.review)]}"
        details = [record.why, *_state_details(state, detail)]
        lines.append(f"  {state.item_id}{period}  {where}  {record.title or ''}".rstrip())
        lines += [f"      {d}" for d in details]
    return lines


def _terms(lines: list[Any]) -> list[str]:
    """The derived terms a ``record show`` listing shows, to explain under it."""
    shown = {"逾期": any(line.standing is Standing.OVERDUE for line in lines),
             "逾期完成": any(line.standing is Standing.DONE_LATE for line in lines),
             "待重新评估": any(line.state is not None and line.state.reassess for line in lines),
             REFERENCE: any(line.item.reference_indicator for line in lines)}
    return [term for term, present in shown.items() if present]


def actor_label(event: Any, batches: Mapping[int, Any], school: str) -> str:
    """Who made a change: ``王老师（山西大学填报，李处长导入）`` for a school's workbook (its 填报人, the school, the
    importer), else the name recorded (a command's ``--by``, or the importer of a file from before 填报人)."""
    batch = batches.get(event.batch_id) if event.batch_id is not None else None
    if batch is None or not batch.author:
        return event.actor
    return f"{event.actor}（{school}填报，{batch.imported_by}导入）"


def event_json(event: Any, batches: Mapping[int, Any] | None = None) -> dict[str, Any]:
    """One event as JSON; ``imported_by`` is the importer of the batch it came in by (null for a command);
    ``login`` the PostgreSQL login that wrote it, stamped by the server (null on SQLite and for older events)."""
    batch = (batches or {}).get(event.batch_id) if event.batch_id is not None else None
    return {"id": event.id, "at": event.at.astimezone(UTC).isoformat(), "actor": event.actor,
            "login": getattr(event, "login", "") or None,
            "item": event.item_id, "period": event.period, "field": event.field, "old": event.old, "new": event.new,
            "source": event.source, "batch_id": event.batch_id,
            "imported_by": batch.imported_by if batch is not None else None, "change_id": event.change_id}


def evidence_change(event: Any) -> str:
    """An evidence event as people read it: 添加 名单.pdf, or 撤回 名单.pdf (a withdrawal has only ``old``)."""
    if event.new is None and event.old is not None:
        return f"撤回 {label_value('evidence', event.old)}"
    return f"添加 {label_value('evidence', event.new)}"


def event_line(event: Any, batches: Mapping[int, Any] | None = None, school: str = "") -> str:
    """One event as a line: when, who, what from what to what, through what."""
    field = FIELD_LABELS.get(event.field, event.field)
    period = "" if event.period == "once" else f" [{event.period}]"
    change = (evidence_change(event) if event.field == "evidence"
              else f"{label_value(event.field, event.old)} → {label_value(event.field, event.new)}")
    who = actor_label(event, batches or {}, school)
    return f"{local_time(event.at)}  {who}  {event.item_id}{period} {field}：{change}  （{event.source}）"
