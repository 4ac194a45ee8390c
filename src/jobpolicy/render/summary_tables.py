"""The summary's tables as plain values for a workbook: per school, 本科 beside 专科, per measure, overdue lines,
not submitted.

Rates are numbers (fractions, shown as percentages), counts are integers and dates are dates, so a spreadsheet can
sort, sum and chart them. A rate is the number the HTML page prints (``domain.scoring.rounded_pct``), so the two
never disagree; with nothing to rate it is ``—``. The titles come from the summary's page context, the numbers from
the same status and checklist lines the page is built from, the 报送 states from the same query
(``services.submission_sql``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog import Actor, Policy
from jobpolicy.domain.catalog_text import heading_label, section_headings
from jobpolicy.domain.line_tally import SummaryTallies
from jobpolicy.domain.periods import shown_period
from jobpolicy.domain.scoring import NO_RATE, PRECISION, Completion, rounded_pct
from jobpolicy.domain.status import Status
from jobpolicy.domain.submission import Submission
from jobpolicy.render.contexts import SummaryPage
from jobpolicy.render.institution_page import measure_heading
from jobpolicy.render.province_views import level_groups

TEXT, RATE, COUNT, DATE = "text", "rate", "count", "date"


@dataclass(frozen=True)
class Column:
    """A column: its header and what kind of value it holds (text, rate, count or date)."""

    header: str
    kind: str = TEXT
    heat: bool = False  # coloured by the heat bands (render.heat), as on the page


@dataclass(frozen=True)
class Chart:
    """A bar chart of one rate column, labelled by another column."""

    title: str
    labels: int  # index of the column naming each bar
    values: int  # index of the rate column


@dataclass
class Table:
    """One sheet: a title naming scope, policy and date, a note on how it is counted, columns, rows."""

    sheet: str
    title: str
    note: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # a pooled row under the data, outside sorting and filters
    frozen: int = 0  # leading columns kept in view while scrolling right
    chart: Chart | None = None


def rate(pct: float | None) -> float | str:
    """A rate as a spreadsheet holds it: the fraction the page prints (0.875 for 87.5%), or ``—``."""
    shown = rounded_pct(pct)
    return NO_RATE if shown is None else round(shown / 100, PRECISION + 2)  # 0.714, not 0.7140000000000001


def _title(page: SummaryPage, sheet: str) -> str:
    demo = "（演示数据）" if page.demo else ""
    return f"{page.heading}：{sheet}{demo}　数据截至 {page.as_of}　政策：{page.policy_title}（{page.policy_key}）"


def _day(moment) -> date | None:
    return moment.astimezone(CHINA).date() if moment else None


def school_table(page: SummaryPage, overview: Any, schools: list[Any]) -> Table:
    """One row per school: 落实率 per system, the three rates each with its counts, overdue counts, last change."""
    columns = [Column("学校标识码"), Column("学校"), Column("省份"), Column("层次"), Column("报送"),
               *(Column(header, RATE, heat=True) for header in page.section_headers),
               *COUNTS_COLUMNS, Column("最近更新", DATE)]
    note = ("报送：未报送、有退回、已报送待审或已审核（与网页报告相同）；各体系一栏为该体系的落实率，底色分档与网页报告"
            "相同；落实率 = 已完成权重 / 适用权重（不适用项不计入），填报率 = 已填报项 / 适用项，"
            "达标率 = 达标指标 / 已填指标；— 表示没有可计算的事项。")
    table = Table("各校落实情况", _title(page, "各校落实情况"), note, columns, frozen=2)
    section_ids = [sid for sid, _ in overview.sections]
    for school in schools:
        row = school.row
        table.rows.append([row.code, row.name, row.province, row.level or "", school.submission.label,
                           *(rate(_done(row.sections.get(sid))) for sid in section_ids),
                           *_counts(row.total), _day(school.last_change)])
    pooled = [sum((row.sections.get(sid, Completion()) for row in overview.institutions), Completion())
              for sid in section_ids]
    table.total = ["合计", f"{len(schools)} 所学校", "", "", "", *(rate(c.done_pct) for c in pooled),
                   *_counts(overview.total), None]
    return table


def level_table(page: SummaryPage, schools: list[Any]) -> Table:
    """本科 beside 专科 (and any other level), a row each, then 合计: schools per 报送 state, the rates with counts."""
    columns = [Column("层次"), Column("学校数", COUNT), Column("已报送学校", COUNT),
               *(Column(state.label, COUNT) for state in Submission), *COUNTS_COLUMNS]
    note = ("按学校的办学层次分组；已报送学校 = 有退回 + 已报送待审 + 已审核；"
            "比率的口径与“各校落实情况”相同，按组内各校的事项合计。")
    table = Table("本科与专科", _title(page, "本科与专科"), note, columns, frozen=1)
    for level, group in level_groups(schools):
        table.rows.append(_level_row(level, group))
    table.total = _level_row("合计", schools)
    return table


def _level_row(label: str, schools: list[Any]) -> list[Any]:
    states = [school.submission for school in schools]
    return [label, len(schools), sum(state.reported for state in states),
            *(states.count(state) for state in Submission),
            *_counts(sum((school.row.total for school in schools), Completion()))]


def _done(completion: Completion | None) -> float | None:
    return completion.done_pct if completion else None


# The three rates, each beside its counts, and the overdue counts: the columns _counts fills.
COUNTS_COLUMNS = (Column("填报率", RATE), Column("已填报项", COUNT), Column("适用项", COUNT),
                  Column("落实率", RATE), Column("已完成权重", COUNT), Column("适用权重", COUNT),
                  Column("达标率", RATE), Column("达标指标", COUNT), Column("已填指标", COUNT),
                  Column("当期逾期", COUNT), Column("累计逾期", COUNT), Column("逾期完成", COUNT))


def _counts(total: Completion) -> list[Any]:
    return [rate(total.reported_pct), total.reported, total.applicable, rate(total.done_pct), total.done_weight,
            total.weight, rate(total.met_pct), total.indicators_met, total.indicators_reported,
            total.overdue_current, total.overdue_cumulative, total.done_late]


def measure_table(page: SummaryPage, policy: Policy, tallies: SummaryTallies) -> Table:
    """One row per measure (举措) with university items: how many schools and lines, and its rates across them (the
    lines the rates count: each item's counted period, not 启用前, as ``services.status`` counts them)."""
    columns = [Column("体系"), Column("举措"), Column("举措编号"), Column("适用学校", COUNT), Column("适用事项", COUNT),
               Column("已填报", COUNT), Column("已完成", COUNT), Column("不适用", COUNT), Column("填报率", RATE),
               Column("落实率", RATE, heat=True), Column("当期逾期", COUNT)]
    note = ("适用事项按“学校 × 检查项”计（周期性事项计当期）；落实率 = 已完成权重 / 适用权重（不适用项不计入），"
            "未填报的事项算作未完成；底色分档与网页报告相同。")
    table = Table("各举措落实情况", _title(page, "各举措落实情况"), note, columns, frozen=2,
                  chart=Chart(f"{page.heading}：各举措落实率（截至 {page.as_of}）", labels=1, values=9))
    headings = section_headings(policy)
    for section in policy.sections:
        for measure in section.measures:
            if not any(item.actor is Actor.UNIVERSITY for item in measure.items):
                continue
            counts = sum((tallies.item(item.id).rated for item in measure.items), Completion())
            table.rows.append([headings[section.id], heading_label(measure), measure.id,
                               tallies.schools(measure.id)[0],
                               counts.applicable, counts.reported, counts.done, counts.not_applicable,
                               rate(counts.reported_pct), rate(counts.done_pct), counts.overdue_current])
    return table


def overdue_table(page: SummaryPage, policy: Policy, schools: list[Any], obligations: dict[str, list[Any]]) -> Table:
    """Every overdue line of every school (累计逾期: earlier periods too), school by school, oldest deadline first."""
    columns = [Column("学校标识码"), Column("学校"), Column("检查项"), Column("检查项内容"), Column("举措"),
               Column("期次"), Column("截止日期", DATE), Column("逾期天数", COUNT), Column("计入当期"),
               Column("状态"), Column("责任部门"), Column("责任人")]
    note = ("列出开始跟踪以来已过政策截止日期仍未完成的事项（累计逾期，含往期）；“计入当期”为“是”的计入当期逾期。"
            "截止日期由政策规定，学校填写的完成时限不改变逾期判断。")
    table = Table("逾期事项", _title(page, "逾期事项"), note, columns, frozen=2)
    for school in schools:
        for o in obligations.get(school.row.code, []):
            if not o.overdue:
                continue
            status = Status(o.status).label if o.status else "未填报"
            table.rows.append([o.code, o.institution, o.item_id, o.title, measure_heading(policy, o.item_id),
                               shown_period(o.period), o.deadline, o.days_late,
                               "是" if o.current else "往期", status, o.department or "", o.owner or ""])
    return table


def unsubmitted_table(page: SummaryPage, schools: list[Any]) -> Table:
    """The schools that have not submitted anything for review, those that recorded nothing first."""
    columns = [Column("学校标识码"), Column("学校"), Column("层次"), Column("情况"), Column("草稿（未报送）", COUNT),
               Column("已填报项", COUNT), Column("适用项", COUNT), Column("最近更新", DATE)]
    note = ("未报送：没有任何一项处于已报送、已审核或已退回状态（只有草稿，或什么都没有填），与网页报告的报送情况相同。"
            "学校导入填好的清单工作簿，或运行 jobpolicy review submit，即为报送。")
    table = Table("未报送学校", _title(page, "未报送学校"), note, columns, frozen=2)
    waiting = [school for school in schools if not school.submission.reported]
    for school in sorted(waiting, key=lambda s: (s.row.total.reported > 0, s.row.code)):
        total = school.row.total
        situation = "未填报（没有任何记录）" if total.reported == 0 else "已填报，尚未报送"
        table.rows.append([school.row.code, school.row.name, school.row.level or "", situation,
                           school.reviews.draft, total.reported, total.applicable, _day(school.last_change)])
    return table


def summary_tables(page: SummaryPage, *, overview: Any, schools: list[Any], tallies: SummaryTallies,
                   obligations: dict[str, list[Any]]) -> list[Table]:
    """The workbook's sheets, in order."""
    policy = overview.policy
    return [school_table(page, overview, schools), level_table(page, schools), measure_table(page, policy, tallies),
            overdue_table(page, policy, schools, obligations), unsubmitted_table(page, schools)]
