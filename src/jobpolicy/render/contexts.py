"""Page contexts: what each report template may print, display-ready (strings, CSS classes, Markup charts): the
institution page, the summary, and the pages of one measure and one item across all schools.

Templates only loop, branch and print these; every number is formatted and every class chosen here.
Each field says what it holds in its ``help`` metadata (tests/render/test_contexts.py checks that).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from jobpolicy.render.heat import HEAT_BANDS, NO_RATE


def _help(text: str, **kwargs):
    return field(metadata={"help": text}, **kwargs)


@dataclass(frozen=True)
class RateCell:
    """One of the three rates."""

    label: str = _help("填报率, 落实率 or 达标率")
    text: str = _help("the rate as shown, e.g. 87.5% or —")
    explain: str = _help("how it is counted, with the counts, in Chinese")


@dataclass(frozen=True)
class TermNote:
    """A derived term the page uses, with what it means (domain.glossary)."""

    term: str = _help("the term, e.g. 待更新")
    meaning: str = _help("what it means, in one or two sentences")


@dataclass(frozen=True)
class EvidenceCell:
    """One piece of evidence."""

    text: str = _help("the link text or the file name")
    href: str | None = _help("an http(s) URL, or a stored file's copy in the report folder (relative, URL-quoted); "
                             "None for a file not stored and anything else (never javascript:)")
    detail: str = _help("for files: size, when and by whom it was added (evidence_detail); empty for links")
    download: str | None = _help("for a stored file: the office's file name, for the download attribute (the file "
                                 "is saved, never shown inline or run); None for links")


@dataclass(frozen=True)
class ChecklistRow:
    """One item (in one period) of the full checklist."""

    item_id: str = _help("item id, e.g. support.16.a")
    period: str = _help("period label for recurring items, empty for one-off items")
    title: str = _help("what must be done")
    status_label: str = _help("work status in Chinese, or 未填报")
    status_css: str = _help("CSS class of the status badge")
    review_label: str = _help("review state in Chinese, or —")
    review_css: str = _help("CSS class of the review badge")
    review_reason: str = _help("why it was returned, if it was")
    owner: str = _help("责任人")
    department: str = _help("责任部门")
    deadline: str = _help("the policy's deadline (截止日期) YYYY-MM-DD, or empty")
    plan: str = _help("the office's own plan date (完成时限) YYYY-MM-DD, or empty; it never moves the deadline")
    standing_label: str = _help("逾期, 逾期完成 or 启用前 when the line is one of those (domain.standing), else empty")
    standing_css: str = _help("CSS class of that mark: overdue, late or before-start; empty without a mark")
    evidence: list[EvidenceCell] = _help("evidence recorded as of the report date")
    indicator: str = _help("indicator and target named by kind (catalog_text.indicator_target), or empty")
    indicator_source: str = _help("for a 参考指标, where its target comes from (来源：…); else empty")
    indicator_value: str = _help("reported value and verdict, e.g. 实际 480（达标）, or 未填; empty without indicator")
    reference: bool = _help("whether the indicator is a 参考指标 (a target the policy text does not set)")
    note: str = _help("the office's note, or the 不适用 reason")
    flag: str = _help("a warning such as 待重新评估 with its reason, or empty")
    via: str = _help("what a mapping says of the line: 经映射计入 and where the record is kept (policy, item, "
                     "relation), 部分佐证, and the plan's own target it is judged against; else empty", default="")


@dataclass(frozen=True)
class MeasureBlock:
    """A measure and its items."""

    heading: str = _help("official number and title, e.g. （十一）健全困难帮扶机制; （编号待核实） when unverified")
    measure_id: str = _help("measure id, e.g. assistance.11")
    basis: str = _help("the policy wording it comes from and where")
    rows: list[ChecklistRow] = _help("its items on this institution's checklist")
    href: str = _help("relative link to the measure across all schools; empty when the report has no such page")


@dataclass(frozen=True)
class SectionBlock:
    """A system (体系) of the checklist."""

    heading: str = _help("official number and title, e.g. 五、完善帮扶援助体系, with （编号待核实） when unverified")
    rate: str = _help("落实率 of this system")
    measures: list[MeasureBlock] = _help("its measures that have items for this institution")


@dataclass(frozen=True)
class AttentionRow:
    """An overdue item, one due within 30 days, or an unfinished one from before tracking started."""

    item_id: str = _help("item id")
    title: str = _help("item title")
    measure: str = _help("heading of the measure the item belongs to, e.g. （十一）健全困难帮扶机制")
    period: str = _help("period label, empty for one-off items")
    deadline: str = _help("the policy's deadline YYYY-MM-DD")
    plan: str = _help("the office's plan date (完成时限) YYYY-MM-DD, or empty")
    days_text: str = _help("当期逾期 N 天, 逾期 N 天 (an earlier period), 还有 N 天, 今天到期 or 启用前")
    css: str = _help("overdue for overdue rows, else empty")
    status_label: str = _help("work status in Chinese, or 未填报")
    status_css: str = _help("CSS class of the status badge")
    owner: str = _help("责任人")
    department: str = _help("责任部门")


@dataclass(frozen=True)
class ChangeRow:
    """One field of one item that changed in the report window."""

    item_id: str = _help("item id")
    title: str = _help("item title")
    measure: str = _help("heading of the measure the item belongs to; empty for an item no longer in the policy")
    period: str = _help("period label, empty for one-off items")
    field: str = _help("which field, in Chinese")
    old: str = _help("value at the start of the window, as people read it")
    new: str = _help("value at the end of the window")
    actors: str = _help("who changed it, joined with 、")
    when: str = _help("when it last changed, Beijing time")


@dataclass(frozen=True)
class PageBase:
    """What every page shows."""

    title: str = _help("the <title> of the page")
    heading: str = _help("the <h1>")
    policy_title: str = _help("full title of the policy")
    policy_key: str = _help("policy id and version, e.g. gse-2025@2025.1")
    as_of: str = _help("the date the data is as of, YYYY-MM-DD")
    generated_at: str = _help("when the page was generated (the only line that changes between runs)")
    tool_version: str = _help("jobpolicy version")
    demo: bool = _help("whether the database holds demo data (演示数据 banner)")
    root: str = _help("relative path from this page to the report folder, for links to its other pages")
    print_header_css: Markup = _help("@page rule printing institution and date at the top of every printed page")
    reference_legend: str = _help("what 参考指标 means, when the page shows any; else empty")
    glossary: list[TermNote] = _help("the derived terms the page uses (rates, 逾期, 待更新 …) and what they mean")


@dataclass(frozen=True)
class InstitutionPage(PageBase):
    """The report of one institution."""

    institution_meta: str = _help("code, province, city, level of the institution")
    summary_href: str | None = _help("link back to the summary page, when written with one")
    rates: list[RateCell] = _help("the three rates")
    rings_svg: Markup = _help("the three rates as rings (inline SVG)")
    systems_svg: Markup = _help("落实率 per system as bars (inline SVG)")
    counts_line: str = _help("applicable, reported, done (逾期完成 among them), N/A, both overdue counts, stale and "
                             "启用前 counts in one sentence")
    tracking_start: str = _help("the day tracking started for the institution, YYYY-MM-DD")
    attention: list[AttentionRow] = _help("overdue items first (every period, 累计逾期), then those due within 30 days")
    before_start: list[AttentionRow] = _help("unfinished items whose deadline falls before the tracking start (启用前)")
    changes_scope: str = _help("the window 本期变化 covers, in words")
    changes: list[ChangeRow] = _help("what changed in the window, item by item")
    sections: list[SectionBlock] = _help("the full checklist, by system and measure")


@dataclass(frozen=True)
class LegendEntry:
    """One band of the heat map's legend."""

    text: str = _help("the band in words, e.g. 20%–40%: never a colour's name, so it reads in black and white")
    css: str = _help("the band's cell class, heat-0 … heat-4 or heat-na")


def heat_legend() -> list[LegendEntry]:
    """The heat map's bands, lowest first, then the cell without a rate."""
    return [LegendEntry(band.label, band.css) for band in (*HEAT_BANDS, NO_RATE)]


@dataclass(frozen=True)
class SchoolLink:
    """A school as the first cells of a row name it: linked, with its code and level."""

    code: str = _help("学校标识码")
    name: str = _help("institution name")
    href: str = _help("relative link to its page, from the page the row is on")
    level: str = _help("本科, 专科 or 层次未填")


@dataclass(frozen=True)
class MeasureRow:
    """A measure across the reporting schools: how often it is missed, and where its page is."""

    measure_id: str = _help("measure id, e.g. guidance.4")
    heading: str = _help("official number and title, e.g. （四）强化生涯教育与就业指导")
    href: str = _help("relative link to the measure's page")
    schools: int = _help("n: reporting schools the measure applies to (with a line the rates count)")
    missed_schools: str = _help("reporting schools that have not done all of it, out of n, e.g. 12/29")
    done: str = _help("落实率 of its lines among those schools, with counts, e.g. 62.1%（18/29）")
    done_sort: str = _help("sort key: that rate as a number, -1 when there is none")
    weakest: str = _help("its item most often not done, with how many schools miss it; empty when none is missed")


@dataclass(frozen=True)
class SubmissionCount:
    """How many schools are in one 报送 state."""

    label: str = _help("未报送, 有退回, 已报送待审 or 已审核")
    css: str = _help("CSS class of its badge")
    count: int = _help("schools in that state")


@dataclass(frozen=True)
class CompareRow:
    """One line of a side-by-side table: a label and one cell per column."""

    label: str = _help("what the line counts, e.g. 落实率 or 已报送学校")
    cells: list[str] = _help("one value per column, as shown (rates with their counts)")


@dataclass(frozen=True)
class GroupRow:
    """Completion of a group: a province or a responsible department."""

    name: str = _help("province or department name")
    count: int = _help("institutions (province) or items (department)")
    reported: str = _help("填报率 of the group (provinces)")
    done: str = _help("落实率 (provinces) or the number of done items (departments)")
    rate: str = _help("completion rate of the department's items")
    overdue_current: int = _help("当期逾期 lines")
    overdue_cumulative: str = _help("累计逾期 lines (provinces); empty for departments, which unrecorded lines lack")


@dataclass(frozen=True)
class StaleRow:
    """An institution with no recorded change for a long time."""

    code: str = _help("学校标识码")
    name: str = _help("institution name")
    href: str = _help("relative link to its page")
    last_update: str = _help("date of its last change, or 从未")
    days: str = _help("days since then, or —")


@dataclass(frozen=True)
class CoverageLink:
    """A link from the summary to one coverage page."""

    label: str = _help("the plan and the policy, e.g. 示例省实施方案 对照 高质量就业服务体系意见")
    counts: str = _help("measures covered, partly covered, not covered, and what the plan adds, in one sentence")
    href: str = _help("the coverage page, from the summary")


@dataclass(frozen=True)
class SummaryPage(PageBase):
    """The summary across institutions."""

    rates: list[RateCell] = _help("the three rates pooled over all institutions")
    rings_svg: Markup = _help("the pooled rates as rings")
    counts_line: str = _help("institutions, items, both overdue counts, 逾期完成, stale and 启用前 counts, "
                             "in one sentence")
    section_headers: list[str] = _help("headings of the systems (official number and title), the heat map's columns")
    rows: list[Markup] = _help("the heat map, one row per institution by code, as HTML (render/school_rows.py): "
                               "落实率 per system, the three rates, overdue counts, last update")
    distribution_svg: Markup = _help("how many institutions fall in each 落实率 band")
    submissions: list[SubmissionCount] = _help("schools per 报送 state, 未报送 first")
    unreported: list[Markup] = _help("the schools that have not sent anything, by code, as HTML rows "
                                     "(render/school_rows.py): drafts, 填报率, last update")
    level_headers: list[str] = _help("columns of the 本科/专科 table: each level with its school count, then 合计")
    level_rows: list[CompareRow] = _help("本科 beside 专科: schools per 报送 state, the rates with counts, overdue "
                                         "counts, 落实率 per system")
    since: str = _help("the day the change window starts after, YYYY-MM-DD")
    since_note: str = _help("why that day: --since, the previous summary's as-of date, or 30 days back")
    since_rows: list[CompareRow] = _help("province-wide figures: then, now, change")
    since_counts: str = _help("what changed in the records province-wide, in one sentence")
    since_moves: list[str] = _help("schools whose 报送 state changed, per change, e.g. 未报送 → 已审核：2 所")
    school_changes: list[Markup] = _help("every school then and now, least progress first, as HTML rows "
                                         "(render/school_rows.py): 报送 state, 填报率 and 落实率 then and now, the "
                                         "change in points, new 已完成, new 已退回, changed records")
    reporting_schools: int = _help("schools that have sent something: the missed measures are counted among them")
    measures: list[MeasureRow] = _help("every measure, most often missed among reporting schools first")
    by_province: list[GroupRow] = _help("completion per province")
    by_department: list[GroupRow] = _help("completion per responsible department (as recorded)")
    stale_days: int = _help("how many days without a change make an institution stale")
    stale: list[StaleRow] = _help("institutions with no change for stale_days or more")
    heat_legend: list[LegendEntry] = _help("the heat map's bands in words, with their cell classes",
                                           default_factory=heat_legend)
    coverage: list[CoverageLink] = _help("links to the coverage pages of the provincial plans mapped onto the policy "
                                         "(or of the plan the report is for)", default_factory=list)


@dataclass(frozen=True)
class ItemCell:
    """One school's line of one item, in a measure's table."""

    status_label: str = _help("work status in Chinese, 未填报, or 不适用本校 when the item is not on its checklist")
    status_css: str = _help("CSS class of the status badge")
    review_label: str = _help("review state in Chinese, or empty")
    review_css: str = _help("CSS class of the review badge")
    mark: str = _help("逾期, 逾期完成, 启用前 or the indicator verdict (达标/未达标); empty otherwise")
    mark_css: str = _help("CSS class of the mark")
    sort: str = _help("sort key: worst first (see item_order)")
    via: str = _help("经映射计入 and where the record is kept (policy, item, relation), and 部分佐证, as on the "
                     "school's page (record_views.mapping_note); else empty", default="")


@dataclass(frozen=True)
class ItemLink:
    """An item of the measure, linking to its own page."""

    item_id: str = _help("item id, e.g. guidance.4.a")
    title: str = _help("what must be done")
    href: str = _help("relative link to the item's page")
    counts: str = _help("schools it applies to, and how many are done, overdue and returned, in one sentence")


@dataclass(frozen=True)
class MeasureSchoolRow:
    """One school's lines of a measure."""

    school: SchoolLink = _help("the school, linked")
    submission: str = _help("its 报送 state")
    submission_css: str = _help("CSS class of the 报送 badge")
    done: str = _help("落实率 of its lines of the measure, with counts")
    done_sort: str = _help("sort key: that rate, -1 when there is none")
    cells: list[ItemCell] = _help("one per item of the measure, in catalog order")
    last_change: str = _help("when and by whom its lines of the measure last changed, or 从未")
    last_sort: str = _help("sort key of last_change: the time, or empty for 从未")


@dataclass(frozen=True)
class MeasurePage(PageBase):
    """One measure across all schools of the report."""

    section: str = _help("the system (体系) the measure belongs to")
    basis: str = _help("the policy wording it comes from and where")
    summary_href: str = _help("link back to the summary page")
    counts_line: str = _help("schools it applies to, 落实率 of its lines with counts, schools done with all of it")
    items: list[ItemLink] = _help("its items, each linking to its page")
    rows: list[MeasureSchoolRow] = _help("every school it applies to, worst 落实率 first")


@dataclass(frozen=True)
class ItemSchoolRow:
    """One school's line of an item: what it recorded for the period the rates count."""

    school: SchoolLink = _help("the school, linked")
    period: str = _help("period label for recurring items, empty for one-off items")
    status_label: str = _help("work status in Chinese, or 未填报")
    status_css: str = _help("CSS class of the status badge")
    standing: str = _help("逾期, 逾期完成 or 启用前 when the line is one of those, else empty")
    standing_css: str = _help("CSS class of that mark")
    sort: str = _help("sort key: worst first (overdue, not filled, not started, in progress, done, N/A, 启用前)")
    review_label: str = _help("review state in Chinese, or —")
    review_css: str = _help("CSS class of the review badge")
    review_reason: str = _help("why it was returned, if it was")
    value: str = _help("the reported indicator value, 未填, or empty when the item has no indicator")
    verdict: str = _help("达标 or 未达标 for a reported value, else empty")
    verdict_css: str = _help("CSS class of the verdict")
    evidence_count: int = _help("how many pieces of evidence it has")
    evidence_first: EvidenceCell | None = _help("the first piece of evidence, or None")
    last_change: str = _help("when it last changed (Beijing time), or empty without a record")
    last_by: str = _help("who changed it last")
    via: str = _help("经映射计入 and where the record is kept (policy, item, relation), and 部分佐证, as on the "
                     "school's page (record_views.mapping_note); else empty", default="")


@dataclass(frozen=True)
class ItemPage(PageBase):
    """One item across all schools of the report."""

    item_id: str = _help("item id")
    measure: str = _help("heading of the measure it belongs to")
    measure_href: str = _help("link to the measure's page")
    summary_href: str = _help("link back to the summary page")
    evidence_required: str = _help("what proves it is done, as the catalog says, joined with ；")
    indicator: str = _help("indicator and target (catalog_text.indicator_target), or empty")
    deadline: str = _help("the policy's deadline or cadence in words, or empty")
    counts_line: str = _help("schools it applies to, and how many are done, overdue, returned, met, in one sentence")
    rows: list[ItemSchoolRow] = _help("every school it applies to, worst first")
