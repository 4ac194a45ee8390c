"""``jobpolicy report …``: static HTML reports for 校领导 and 省教育厅."""

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
    PolicyOption,
    ProvinceFilter,
    scope_of,
)
from jobpolicy.cli._output import print_report_location, say

report_app = App(help="报告：生成可离线打开、可打印的 HTML 报告。", no_args_is_help=True)

OutOption = Annotated[Path, typer.Option("--out", metavar="文件夹", help="报告目录。", show_default=True)]


def institution(
    ctx: typer.Context,
    code: CodeArgument,
    out: OutOption = Path("reports"),
    as_of: AsOfOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="日期", help="“本期变化”从哪天之后算起；默认为上次报告的日期。", show_default=False)] = None,
    policy: PolicyOption = None,
) -> None:
    """生成一所学校的落实情况报告。

    示例：jobpolicy report institution 4114010108 --out reports
    """
    from jobpolicy.services.reports import institution_report

    result = institution_report(engine(ctx), code, out_dir=out, as_of=parse_date_option(as_of, "--as-of"),
                                since=parse_date_option(since, "--since"), policy_id=policy)
    print_report_location(result.index)


def summary(
    ctx: typer.Context,
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    out: OutOption = Path("reports"),
    as_of: AsOfOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="日期", show_default=False,
        help="与哪天相比（各校前后比率、总体变化，也是各校“本期变化”的起点），如 2025-05-31 或 2025年5月31日；"
             "默认为本目录上次汇总报告的数据截至日期，没有则为 30 天前。")] = None,
    archive: Annotated[Path | None, typer.Option(
        "--zip", metavar="文件", show_default=False,
        help="同时把整份报告打包成一个 .zip 文件（便于通过邮件、微信发送；解压后打开 index.html）。")] = None,
    workbook: Annotated[Path | None, typer.Option(
        "--xlsx", metavar="文件", show_default=False,
        help="同时把汇总表格写入 Excel 工作簿（.xlsx）：各校（含报送状态）、本科与专科、各举措、逾期事项、"
             "未报送学校，附落实率图表。")] = None,
    policy: PolicyOption = None,
) -> None:
    """生成多校汇总报告，以及每所学校、每项举措、每个检查项的页面。

    汇总页：报送情况、本科与专科对比、与上次汇总（或 --since 的日期）相比的变化、
    已报送学校最常未完成的举措、热力图、分布、按省份和部门统计。

    可按省份、本科/专科、主管部门筛选，标题写明筛选条件。

    再次写入同一目录时（例如缩小了筛选范围），上次由本工具写入而本次不再有的页面，
    会在新页面全部写好后删除；目录中的其他文件不受影响。

    数据库中加载了省级实施方案并有映射时，另有一页逐项举措的覆盖情况；用 --policy 选择按哪项政策生成。

    示例：jobpolicy report summary --province 山西 --since 2025-05-31
    """
    from jobpolicy.services.reports import summary_report

    scope = scope_of(province, level, authority)
    result = summary_report(engine(ctx), out_dir=out, scope=scope, as_of=parse_date_option(as_of, "--as-of"),
                            since=parse_date_option(since, "--since"), archive=archive, workbook=workbook,
                            policy_id=policy)
    say(f"已生成 {result.pages} 个页面")
    if result.workbook is not None:
        say(f"Excel 工作簿已写入：{result.workbook}")
    if result.archive is not None:
        say(f"压缩包已写入：{result.archive}")
    print_report_location(result.index)


report_app.command("institution")(institution)
report_app.command("summary")(summary)
