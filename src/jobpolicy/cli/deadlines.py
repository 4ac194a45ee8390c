"""``jobpolicy deadlines``: overdue and upcoming obligations, and their iCalendar export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import AsOfOption, JsonOption, PolicyOption
from jobpolicy.cli._output import print_json, print_lines
from jobpolicy.errors import ExitCode, ThresholdNotMet

if TYPE_CHECKING:
    from jobpolicy.services.deadlines import DeadlineReport


def deadlines(
    ctx: typer.Context,
    institution: Annotated[
        str | None, typer.Option("--institution", help="只看一所学校（学校标识码或名称）；默认全部已添加的学校。",
                                 show_default=False)
    ] = None,
    within: Annotated[int, typer.Option("--within", help="列出今后多少天内到期的事项（天数）。")] = 30,
    as_of: AsOfOption = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="另存为日历文件（.ics），可导入 Outlook 等日历应用。",
                                  show_default=False, metavar="文件")
    ] = None,
    fail_on_overdue: Annotated[
        bool, typer.Option("--fail-on-overdue", help="有逾期事项时以退出码 4 结束（供脚本和定时任务判断）。")
    ] = False,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """列出逾期和即将到期的事项（周期性事项按每一期计算），可导出日历文件。

    示例：jobpolicy deadlines --institution 4114010108 --within 60 --ics 山西大学.ics
    """
    from jobpolicy.render.deadline_views import deadlines_json, deadlines_text
    from jobpolicy.services.deadlines import list_deadlines, write_calendar

    report = list_deadlines(engine(ctx), institution=institution, within_days=within,
                            as_of=parse_date_option(as_of, "--as-of"), policy_id=policy)
    if ics is not None:
        write_calendar(report, ics)
    if json_:
        print_json(deadlines_json(report))
    else:
        print_lines(deadlines_text(report))
        if ics is not None:
            typer.echo(f"已写入日历: {ics}（{len(report.calendar)} 个事件）")
    if fail_on_overdue and report.overdue:
        _fail(report, as_json=json_)


def _fail(report: DeadlineReport, *, as_json: bool) -> None:
    error = ThresholdNotMet(f"截至 {report.as_of.isoformat()} 有 {len(report.overdue)} 项逾期未完成",
                            hint="完成后用 jobpolicy record set 更新状态")
    if not as_json:
        raise error
    # In --json mode stdout already holds the report; a second JSON document would break readers.
    from jobpolicy.cli._boundary import report_error

    report_error(error, as_json=False)
    raise typer.Exit(int(ExitCode.THRESHOLD))
