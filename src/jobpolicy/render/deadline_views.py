"""Plain views of a deadline report: the JSON document and the lines ``jobpolicy deadlines`` prints."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.catalog import Measure
from jobpolicy.domain.catalog_text import item_measure, measure_number
from jobpolicy.domain.glossary import TERMS, legend_lines
from jobpolicy.domain.periods import ONCE
from jobpolicy.domain.status import STATUS_LABELS, Status

BEFORE_START_HEAD = f"启用前（{TERMS['启用前'].rstrip('。')}）："


def status_label(status: str | None) -> str:
    """A stored status as people read it; no record at all is 未填报."""
    return "未填报" if status is None else STATUS_LABELS[Status(status)]


def obligation_json(obligation: Any) -> dict[str, Any]:
    """One obligation as JSON: ``deadline`` is the policy's, ``plan`` the office's own 完成时限."""
    o = obligation
    return {"institution": {"code": o.code, "name": o.institution}, "item": {"id": o.item_id, "title": o.title},
            "period": o.period, "deadline": o.deadline.isoformat(),
            "plan": o.plan.isoformat() if o.plan else None, "standing": o.standing.value,
            "standing_label": o.standing.label, "current": o.current, "status": o.status,
            "status_label": status_label(o.status), "owner": o.owner, "department": o.department,
            "days_late": o.days_late, "days_left": o.days_left}


def deadlines_json(report: Any) -> dict[str, Any]:
    """``deadlines --json``: ``overdue_cumulative`` (累计逾期) and ``overdue_current`` (当期逾期) are the counts
    ``status`` gives under the same keys."""
    return {"policy": report.policy.key, "as_of": report.as_of.isoformat(), "within_days": report.within_days,
            "institutions": len(report.institutions), "overdue_cumulative": len(report.overdue),
            "overdue_current": len(report.overdue_current), "upcoming": len(report.upcoming),
            "obligations": [obligation_json(o) for o in report.obligations],
            "before_start": [obligation_json(o) for o in report.before_start]}


def _when(obligation: Any) -> str:
    if obligation.overdue:
        word = "当期逾期" if obligation.current else "逾期"
        return f"【{word} {obligation.days_late} 天】"
    if obligation.days_left is None:
        return "【启用前】"
    return "今天到期" if obligation.days_left == 0 else f"还有 {obligation.days_left} 天"


def obligation_line(obligation: Any, measure: Measure | None = None) -> str:
    """One obligation as a line: how late or how soon, the deadline (and plan date), institution, item (and the
    official number of its ``measure``), status, who."""
    o = obligation
    period = "" if o.period == ONCE else f" [{o.period}]"
    number = measure_number(measure) if measure is not None else ""
    where = f"  举措{number}" if number else ""
    who = "、".join(part for part in (o.department, o.owner) if part)
    tail = f"  {who}" if who else ""
    plan = f"（完成时限 {o.plan.isoformat()}）" if o.plan else ""
    return (f"{_when(o)}  {o.deadline.isoformat()}{plan}  {o.institution}（{o.code}）  {o.item_id}{period}{where}  "
            f"{o.title}  {status_label(o.status)}{tail}")


def summary_line(report: Any) -> str:
    """The closing line: counts as of the report date, both overdue counts named apart."""
    schools = len(report.institutions)
    scope = report.institutions[0].name if schools == 1 else f"{schools} 所学校"
    text = (f"截至 {report.as_of.isoformat()}（{scope}）：累计逾期 {len(report.overdue)} 项（含往期；其中当期逾期 "
            f"{len(report.overdue_current)} 项），{report.within_days} 天内到期 {len(report.upcoming)} 项")
    if report.before_start:
        text += f"，启用前未完成 {len(report.before_start)} 项"
    return text


def deadlines_text(report: Any) -> list[str]:
    """``deadlines`` as lines; the 启用前 ones, when asked for, apart after the others."""
    def line(o: Any) -> str:
        return obligation_line(o, item_measure(report.policy, o.item_id))

    lines = [line(o) for o in report.obligations]
    if report.before_start:
        lines += [*([""] if lines else []), BEFORE_START_HEAD, *(line(o) for o in report.before_start), ""]
    return [*lines, summary_line(report), *legend_lines(["累计逾期", "当期逾期"] if report.overdue else [])]

