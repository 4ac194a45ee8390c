"""Build the InstitutionPage context from domain results (checklist lines, completion, deadlines, changes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from jobpolicy import __version__
from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.catalog_text import (
    heading_label,
    indicator_reading,
    indicator_source,
    indicator_target,
    item_measure,
    reference_legend,
    section_headings,
)
from jobpolicy.domain.periods import shown_period
from jobpolicy.domain.scoring import Completion
from jobpolicy.domain.standing import Standing
from jobpolicy.domain.status import Review, Status
from jobpolicy.render.charts import Bar, bar_chart, rate_rings
from jobpolicy.render.contexts import (
    AttentionRow,
    ChangeRow,
    ChecklistRow,
    EvidenceCell,
    InstitutionPage,
    MeasureBlock,
    RateCell,
    SectionBlock,
    TermNote,
)
from jobpolicy.render.filters import review_class, safe_href, status_class
from jobpolicy.render.record_views import (
    FIELD_LABELS,
    actor_label,
    evidence_change,
    evidence_detail,
    label_value,
    local_time,
    mapping_note,
    via_count,
)
from jobpolicy.render.site import evidence_file_name, measure_page_name, print_header, term_notes


def rate_cells(total: Completion) -> list[RateCell]:
    """The three rates with how each is counted."""
    return [
        RateCell("填报率", total.reported_pct_str, f"已填报 {total.reported} / 适用 {total.applicable} 项"),
        RateCell("落实率", total.done_pct_str,
                 f"已完成权重 {total.done_weight:g} / 适用权重 {total.weight:g}（不适用项不计入）"),
        RateCell("达标率", total.met_pct_str, total.met_basis),
    ]


def rings(total: Completion, title: str) -> Markup:
    """The three rates as rings."""
    pairs = [("填报率", total.reported_pct), ("落实率", total.done_pct), ("达标率", total.met_pct)]
    texts = [total.reported_pct_str, total.done_pct_str, total.met_pct_str]
    bars = [Bar(label, None if pct is None else pct / 100, text)
            for (label, pct), text in zip(pairs, texts, strict=True)]
    return rate_rings(bars, title=title)


def counts_line(total: Completion) -> str:
    """The counts behind the rates, in one sentence: the two overdue counts named apart, 逾期完成 among the done."""
    late = f"（其中逾期完成 {total.done_late} 项）" if total.done_late else ""
    before = f"另有启用前 {total.before_start} 项（截止日期早于开始跟踪日期）不计入。" if total.before_start else ""
    return (f"适用 {total.applicable} 项：已填报 {total.reported} 项，已完成 {total.done} 项{late}，"
            f"不适用 {total.not_applicable} 项；当期逾期 {total.overdue_current} 项，"
            f"累计逾期 {total.overdue_cumulative} 项（含往期），待更新 {total.stale} 项。{before}{via_count(total)}")


# The derived terms every report page shows (rates, counts line, overdue columns); 参考指标 has its own legend.
PAGE_TERMS = ("填报率", "落实率", "达标率", "当期逾期", "累计逾期", "逾期完成", "待更新")


def glossary(total: Completion, *more: str) -> list[TermNote]:
    """The 名词说明 of a page: each derived term it uses (启用前 when it counts any), with its meaning."""
    return term_notes([*PAGE_TERMS, *(["启用前"] if total.before_start else []), *more])


def evidence_cells(evidence: Iterable[Any], root: str = "../") -> list[EvidenceCell]:
    """Evidence as a page shows it: a link for a URL; a stored file by its name with its size and day, linked to its
    copy in the report folder (``root`` leads from the page to the folder) as a download; a file described only
    (before the store) by its name."""
    cells = []
    for e in evidence:
        if e.kind == "url":
            cells.append(EvidenceCell(e.ref, safe_href(e.ref), "", None))
        elif e.stored:
            href = root + quote(evidence_file_name(e.sha256, e.name))
            cells.append(EvidenceCell(e.name, href, evidence_detail(e), e.name))
        else:
            cells.append(EvidenceCell(e.name, None, evidence_detail(e), None))
    return cells


# The standings a row is marked with, and their CSS classes; the others say nothing the status badge does not.
STANDING_CSS = {Standing.OVERDUE: "overdue", Standing.DONE_LATE: "late", Standing.BEFORE_START: "before-start"}


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def checklist_row(line: Any, target_note: str = "") -> ChecklistRow:
    """One checklist line as a row; ``target_note`` says when the line is judged against a plan's own target."""
    state, item = line.state, line.item
    status = Status(state.status) if state else None
    review = Review(state.review) if state else None
    note = (state.na_reason or state.note or "") if state else ""
    flag = f"待重新评估：{state.reassess_reason}" if state and state.reassess else ""
    return ChecklistRow(
        item_id=item.id, period=shown_period(line.period), title=item.title,
        status_label=status.label if status else "未填报", status_css=status_class(status.value if status else None),
        review_label=review.label if review else "—", review_css=review_class(review.value if review else None),
        review_reason=(state.review_reason or "") if state and review is Review.RETURNED else "",
        owner=(state.owner or "") if state else "", department=(state.department or "") if state else "",
        deadline=_date(line.deadline), plan=_date(line.plan),
        standing_label=line.standing.label if line.standing in STANDING_CSS else "",
        standing_css=STANDING_CSS.get(line.standing, ""), evidence=evidence_cells(state.evidence) if state else [],
        indicator=indicator_target(item), indicator_source=indicator_source(item),
        indicator_value=indicator_reading(item, state.value if state else None),
        reference=item.reference_indicator, note=note, flag=flag,
        via="；".join(filter(None, [mapping_note(line), target_note])),
    )


def section_blocks(policy: Policy, lines: list[Any], section_rates: dict[str, str], *,
                   measure_root: str | None = None,
                   target_notes: Mapping[str, str] | None = None) -> list[SectionBlock]:
    """The full checklist grouped by system and measure, in policy order; with ``measure_root`` (the way from the
    page to the report folder) each measure heading links to the measure's page across all schools."""
    by_item: dict[str, list[Any]] = {}
    for line in lines:
        by_item.setdefault(line.item.id, []).append(line)
    blocks = []
    for section in policy.sections:
        measures = []
        for measure in section.measures:
            notes = target_notes or {}
            rows = [checklist_row(line, notes.get(item.id, "")) for item in measure.items
                    for line in by_item.get(item.id, [])]
            if rows:
                basis = f"“{measure.basis.quote}”（{measure.basis.ref}）"
                href = "" if measure_root is None else measure_root + measure_page_name(measure.id)
                measures.append(MeasureBlock(heading_label(measure), measure.id, basis, rows, href))
        if measures:
            blocks.append(SectionBlock(heading_label(section), section_rates.get(section.id, "—"), measures))
    return blocks


def measure_heading(policy: Policy, item_id: str) -> str:
    """The heading of the measure an item belongs to, or empty for an item the policy no longer has."""
    measure = item_measure(policy, item_id)
    return heading_label(measure) if measure is not None else ""


def _days_text(o: Any) -> str:
    if o.overdue:
        return f"{'当期逾期' if o.current else '逾期'} {o.days_late} 天"
    if o.standing is Standing.BEFORE_START:
        return Standing.BEFORE_START.label
    return "今天到期" if o.days_left == 0 else f"还有 {o.days_left} 天"


def attention_row(policy: Policy, o: Any) -> AttentionRow:
    """One obligation as a row."""
    status = Status(o.status) if o.status else None
    return AttentionRow(
        item_id=o.item_id, title=o.title, measure=measure_heading(policy, o.item_id), period=shown_period(o.period),
        deadline=o.deadline.isoformat(), plan=_date(o.plan), days_text=_days_text(o),
        css="overdue" if o.overdue else "", status_label=status.label if status else "未填报",
        status_css=status_class(status.value if status else None), owner=o.owner or "", department=o.department or "")


def attention_rows(policy: Policy, obligations: Iterable[Any], within_days: int = 30) -> list[AttentionRow]:
    """Overdue obligations, then those due within ``within_days``, as the deadlines service ordered them."""
    return [attention_row(policy, o) for o in obligations
            if o.overdue or (o.days_left is not None and o.days_left <= within_days)]


def before_start_rows(policy: Policy, obligations: Iterable[Any]) -> list[AttentionRow]:
    """The unfinished obligations from before tracking started (启用前), oldest first."""
    return [attention_row(policy, o) for o in obligations if o.standing is Standing.BEFORE_START]


def change_rows(policy: Policy, diff: Any) -> list[ChangeRow]:
    """What changed in the window: one row per item, period and field (evidence added listed one by one); who
    changed it reads 王老师（山西大学填报，李处长导入） for what came in by a school's workbook."""
    rows = []

    def who(event: Any) -> str:
        return actor_label(event, diff.batches, diff.institution.name)

    for item in diff.items:
        period, measure = shown_period(item.period), measure_heading(policy, item.item_id)
        for change in item.fields:
            actors = "、".join(dict.fromkeys(who(e) for e in change.changes))
            rows.append(ChangeRow(item.item_id, item.title, measure, period,
                                  FIELD_LABELS.get(change.field, change.field),
                                  label_value(change.field, change.before), label_value(change.field, change.after),
                                  actors, local_time(max(e.at for e in change.changes))))
        for event in item.evidence:
            rows.append(ChangeRow(item.item_id, item.title, measure, period, FIELD_LABELS["evidence"], "",
                                  evidence_change(event), who(event), local_time(event.at)))
    return rows


def institution_page(*, institution: Any, policy: Policy, as_of: date, start: date, status: Any, lines: list[Any],
                     obligations: list[Any], changes: Any, since: date, generated_at: str,
                     demo: bool, root: str = "", summary_href: str | None = None,
                     measure_links: bool = False, target_notes: Mapping[str, str] | None = None) -> InstitutionPage:
    """Everything the institution template prints; ``measure_links`` when the report has the measures' pages;
    ``target_notes`` by item id, for a plan's own targets (``coverage_page.target_notes``)."""
    section_rates = {s.id: s.completion.done_pct_str for s in status.sections}
    headings = section_headings(policy)
    bars = [Bar(headings.get(s.id, s.title), None if s.completion.done_pct is None else s.completion.done_pct / 100,
                s.completion.done_pct_str) for s in status.sections]
    where = f"{institution.province}{institution.city}"
    meta = f"学校标识码 {institution.code}　{where}　{institution.level or '层次未填'}　自 {start.isoformat()} 起跟踪"
    return InstitutionPage(
        title=f"{institution.name} 就业政策落实情况（截至 {as_of.isoformat()}）",
        heading=f"{institution.name} 就业政策落实情况", policy_title=policy.title, policy_key=policy.key,
        as_of=as_of.isoformat(), generated_at=generated_at, tool_version=__version__, demo=demo, root=root,
        print_header_css=print_header(f"{institution.name}　数据截至 {as_of.isoformat()}"),
        reference_legend=reference_legend(line.item for line in lines),
        glossary=glossary(status.total, *(["待重新评估"] if any(x.state and x.state.reassess for x in lines) else [])),
        institution_meta=meta, summary_href=summary_href, rates=rate_cells(status.total),
        rings_svg=rings(status.total, f"{institution.name} 三项比率"),
        systems_svg=bar_chart(bars, title=f"{institution.name} 各体系落实率"),
        counts_line=counts_line(status.total), tracking_start=start.isoformat(),
        attention=attention_rows(policy, obligations), before_start=before_start_rows(policy, obligations),
        changes_scope=f"{since.isoformat()} 之后至 {as_of.isoformat()} 的变化（按检查项）",
        changes=change_rows(policy, changes),
        sections=section_blocks(policy, lines, section_rates, measure_root=root if measure_links else None,
                                target_notes=target_notes),
    )
