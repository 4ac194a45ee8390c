"""``jobpolicy deadlines``: overdue and upcoming obligations, and their iCalendar export."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import (
    AsOfOption,
    AuthorityFilter,
    JsonOption,
    LevelFilter,
    PolicyOption,
    ProvinceFilter,
    scope_of,
)
from jobpolicy.cli._output import print_json, print_lines, say
from jobpolicy.errors import ExitCode, ThresholdNotMet

if TYPE_CHECKING:
    from jobpolicy.services.deadlines import DeadlineReport


def deadlines(
    ctx: typer.Context,
    institution: Annotated[
        str | None, typer.Option("--institution", help="只看一所学校（学校标识码或名称）；默认全部已添加的学校。",
                                 show_default=False)
    ] = None,
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="多所学校时也逐项列出每个事项（默认每校一行）。")
    ] = False,
    within: Annotated[int, typer.Option("--within", help="列出今后多少天内到期的事项（天数）。")] = 30,
    as_of: AsOfOption = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="另存为日历文件（.ics），可导入 Outlook 等日历应用。",
                                  show_default=False, metavar="文件")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="--ics 的文件已存在、且不是 jobpolicy 写的日历时，仍然覆盖它。")
    ] = False,
    fail_on_overdue: Annotated[
        bool, typer.Option("--fail-on-overdue", help="有累计逾期事项时以退出码 4 结束（供脚本和定时任务判断）。")
    ] = False,
    before_start: Annotated[
        bool, typer.Option("--before-start", help="另列出启用前未完成的事项（截止日期早于开始跟踪日期，不算逾期）。")
    ] = False,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """列出逾期和即将到期的事项（周期性事项按每一期计算），可导出日历文件。

    多所学校时每校一行：累计逾期、其中当期逾期、若干天内到期、最早逾期的事项，逾期最多、最久的在前。
    逐项列出请加 --detail；只有一所学校（--institution，或筛选后只剩一所）时也逐项列出。
    可按省份、本科/专科、主管部门筛选。

    截止日期是政策规定的，不随本校填写的完成时限（计划日期）改变。累计逾期含往期每一期；标为“当期逾期”的是
    各检查项计入比率的那一期，与 jobpolicy status 的两个逾期数相同。截止日期早于开始跟踪日期的事项为启用前，不算逾期。

    示例：jobpolicy deadlines --province 山西 --level 专科 --within 60
    """
    from jobpolicy.render.deadline_views import deadlines_json, deadlines_text
    from jobpolicy.services.deadlines import list_deadlines, write_calendar

    scope = scope_of(province, level, authority, one_school="--institution" if institution is not None else None)
    report = list_deadlines(engine(ctx), institution=institution, scope=scope, within_days=within,
                            as_of=parse_date_option(as_of, "--as-of"), policy_id=policy, before_start=before_start,
                            detail=True if detail else None)
    if ics is not None:
        write_calendar(report, ics, overwrite=force)
    if json_:
        print_json(deadlines_json(report))
    else:
        print_lines(deadlines_text(report))
        if ics is not None:
            say(f"已写入日历: {ics}（{len(report.calendar)} 个事件）")
    if fail_on_overdue and report.total.overdue_cumulative:
        _fail(report, as_json=json_)


def _fail(report: "DeadlineReport", *, as_json: bool) -> None:
    total = report.total
    error = ThresholdNotMet(f"截至 {report.as_of.isoformat()} 累计逾期 {total.overdue_cumulative} 项未完成"
                            f"（其中当期逾期 {total.overdue_current} 项）",
                            hint="完成后用 jobpolicy record set 更新状态")
    if not as_json:
        raise error
    # In --json mode stdout already holds the report; a second JSON document would break readers.
    from jobpolicy.cli._boundary import report_error

    report_error(error, as_json=False)
    raise typer.Exit(int(ExitCode.THRESHOLD))
