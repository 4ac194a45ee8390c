"""Plain views of a deadline report: the JSON document and the lines ``jobpolicy deadlines`` prints."""

from __future__ import annotations

from typing import Any

from jobpolicy.domain.catalog import Measure
from jobpolicy.domain.catalog_text import item_measure, measure_number
from jobpolicy.domain.glossary import TERMS, legend_lines
from jobpolicy.domain.periods import ONCE
from jobpolicy.domain.status import STATUS_LABELS, Status
from jobpolicy.render.status_views import table

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


def counts_json(counts: Any) -> dict[str, Any]:
    """A school's (or every school's) counts: ``overdue_cumulative`` (累计逾期) and ``overdue_current`` (当期逾期)
    are what ``status`` gives under the same keys; ``oldest_overdue`` is null when nothing is overdue."""
    oldest = None if counts.oldest is None else {"deadline": counts.oldest.isoformat(),
                                                 "days_late": counts.oldest_days_late}
    return {"overdue_cumulative": counts.overdue_cumulative, "overdue_current": counts.overdue_current,
            "upcoming": counts.upcoming, "before_start": counts.before_start, "oldest_overdue": oldest}


def deadlines_json(report: Any) -> dict[str, Any]:
    """``deadlines --json``: the totals, a line per school (worst first), and with detail every obligation."""
    total = report.total
    data = {"policy": report.policy.key, "as_of": report.as_of.isoformat(), "within_days": report.within_days,
            "scope": report.scope.as_dict(), "institutions": len(report.institutions),
            "overdue_cumulative": total.overdue_cumulative, "overdue_current": total.overdue_current,
            "upcoming": total.upcoming, "detail": report.detail,
            "schools": [{"institution": {"code": s.code, "name": s.name}, **counts_json(s.counts)}
                        for s in report.schools]}
    if report.detail:
        data["obligations"] = [obligation_json(o) for o in report.obligations]
        data["before_start"] = [obligation_json(o) for o in report.before_start]
    return data


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
    total = report.total
    text = (f"截至 {report.as_of.isoformat()}（{report.covered}）：累计逾期 {total.overdue_cumulative} 项（含往期；"
            f"其中当期逾期 {total.overdue_current} 项），{report.within_days} 天内到期 {total.upcoming} 项")
    if total.before_start:
        text += f"，启用前未完成 {total.before_start} 项"
    return text


def _oldest(counts: Any) -> str:
    return "—" if counts.oldest is None else f"{counts.oldest.isoformat()}（{counts.oldest_days_late} 天）"


def schools_text(report: Any) -> list[str]:
    """``deadlines`` for many schools: a head naming the filter, a line per school (worst first), how to see
    every obligation, and the closing line."""
    before = report.total.before_start > 0
    head = ["学校标识码", "学校", "累计逾期", "当期逾期", f"{report.within_days} 天内到期",
            *(["启用前未完成"] if before else []), "最早逾期（截止日期、逾期天数）"]
    rows = [head]
    for school in report.schools:
        c = school.counts
        rows.append([school.code, school.name, str(c.overdue_cumulative), str(c.overdue_current), str(c.upcoming),
                     *([str(c.before_start)] if before else []), _oldest(c)])
    lines = table(rows, text_columns=2, text_last=True)
    return [f"{report.policy.key}  {report.covered}  截至 {report.as_of.isoformat()}", "", *lines, "",
            "逐项列出：加 --detail；只看一所学校：--institution 学校标识码", summary_line(report)]


def deadlines_text(report: Any) -> list[str]:
    """``deadlines`` as lines: a line per school, or with detail every obligation (the 启用前 ones, when asked
    for, apart after the others)."""
    if not report.detail:
        return schools_text(report)

    def line(o: Any) -> str:
        return obligation_line(o, item_measure(report.policy, o.item_id))

    lines = [line(o) for o in report.obligations]
    if report.before_start:
        lines += [*([""] if lines else []), BEFORE_START_HEAD, *(line(o) for o in report.before_start), ""]
    return [*lines, summary_line(report), *_legend(report)]


def _legend(report: Any) -> list[str]:
    """What 累计逾期 and 当期逾期 mean, when there is anything overdue to read them on."""
    return legend_lines(["累计逾期", "当期逾期"] if report.total.overdue_cumulative else [])

