"""Plain views of a deadline report: the JSON document and the lines ``jobpolicy deadlines`` prints."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.catalog import Measure
from jobpolicy.domain.catalog_text import item_measure, measure_number
from jobpolicy.domain.glossary import legend_lines
from jobpolicy.domain.periods import ONCE
from jobpolicy.domain.status import STATUS_LABELS, Status


def status_label(status: str | None) -> str:
    """A stored status as people read it; no record at all is 未填报."""
    return "未填报" if status is None else STATUS_LABELS[Status(status)]


def obligation_json(obligation: Any) -> dict[str, Any]:
    """One obligation as JSON."""
    o = obligation
    return {"institution": {"code": o.code, "name": o.institution}, "item": {"id": o.item_id, "title": o.title},
            "period": o.period, "due": o.due.isoformat(), "status": o.status, "status_label": status_label(o.status),
            "owner": o.owner, "department": o.department, "overdue": o.overdue, "days_late": o.days_late,
            "days_left": o.days_left}


def deadlines_json(report: Any) -> dict[str, Any]:
    """``deadlines --json``."""
    return {"policy": report.policy.key, "as_of": report.as_of.isoformat(), "within_days": report.within_days,
            "institutions": len(report.institutions), "overdue": len(report.overdue),
            "upcoming": len(report.upcoming), "obligations": [obligation_json(o) for o in report.obligations]}


def _when(obligation: Any) -> str:
    if obligation.overdue:
        return f"【逾期 {obligation.days_late} 天】"
    return "今天到期" if obligation.days_left == 0 else f"还有 {obligation.days_left} 天"


def obligation_line(obligation: Any, measure: Measure | None = None) -> str:
    """One obligation as a line: how late or how soon, due date, institution, item (and the official number of
    its ``measure``), status, who."""
    o = obligation
    period = "" if o.period == ONCE else f" [{o.period}]"
    number = measure_number(measure) if measure is not None else ""
    where = f"  举措{number}" if number else ""
    who = "、".join(part for part in (o.department, o.owner) if part)
    tail = f"  {who}" if who else ""
    return (f"{_when(o)}  {o.due.isoformat()}  {o.institution}（{o.code}）  {o.item_id}{period}{where}  {o.title}  "
            f"{status_label(o.status)}{tail}")


def summary_line(report: Any) -> str:
    """The closing line: counts as of the report date."""
    schools = len(report.institutions)
    scope = report.institutions[0].name if schools == 1 else f"{schools} 所学校"
    return (f"截至 {report.as_of.isoformat()}（{scope}）：逾期 {len(report.overdue)} 项，"
            f"{report.within_days} 天内到期 {len(report.upcoming)} 项")


def deadlines_text(report: Any) -> list[str]:
    """``deadlines`` as lines."""
    lines = [obligation_line(o, item_measure(report.policy, o.item_id)) for o in report.obligations]
    return [*lines, summary_line(report), *legend_lines(["逾期"] if report.overdue else [])]
