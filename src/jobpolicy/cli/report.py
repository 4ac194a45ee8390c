"""``jobpolicy report …``: static HTML reports for 校领导 and 省教育厅."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import (
    AsOfOption,
    AuthorityFilter,
    CodeArgument,
    LevelFilter,
    ProvinceFilter,
    scope_of,
)
from jobpolicy.cli._output import print_report_location

report_app = App(help="报告：生成可离线打开、可打印的 HTML 报告。", no_args_is_help=True)

OutOption = Annotated[Path, typer.Option("--out", metavar="文件夹", help="报告目录。", show_default=True)]


def institution(
    ctx: typer.Context,
    code: CodeArgument,
    out: OutOption = Path("reports"),
    as_of: AsOfOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="日期", help="“本期变化”从哪天之后算起；默认为上次报告的日期。", show_default=False)] = None,
) -> None:
    """生成一所学校的落实情况报告。

    示例：jobpolicy report institution 4114010108 --out reports
    """
    from jobpolicy.services.reports import institution_report

    result = institution_report(engine(ctx), code, out_dir=out, as_of=parse_date_option(as_of, "--as-of"),
                                since=parse_date_option(since, "--since"))
    print_report_location(result.index)


def summary(
    ctx: typer.Context,
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    out: OutOption = Path("reports"),
    as_of: AsOfOption = None,
) -> None:
    """生成多校汇总报告（热力图、分布、薄弱事项、按省份和部门统计），并生成每所学校的页面。

    可按省份、本科/专科、主管部门筛选，标题写明筛选条件。

    示例：jobpolicy report summary --province 山西 --level 专科 --out reports
    """
    from jobpolicy.services.reports import summary_report

    scope = scope_of(province, level, authority)
    result = summary_report(engine(ctx), out_dir=out, scope=scope, as_of=parse_date_option(as_of, "--as-of"))
    typer.echo(f"已生成 {result.pages} 个页面")
    print_report_location(result.index)


report_app.command("institution")(institution)
report_app.command("summary")(summary)
