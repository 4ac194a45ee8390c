"""``jobpolicy review …``: an office submits; the administrator accepts or returns."""

from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import author, engine, show_author
from jobpolicy.cli._options import ByOption, CodeArgument, ItemArgument, PeriodOption, PolicyOption
from jobpolicy.cli._output import print_lines, say

review_app = App(help="审核：学校报送，管理部门审核通过或退回。", no_args_is_help=True)


def submit(
    ctx: typer.Context,
    code: CodeArgument,
    resend: Annotated[str | None, typer.Option(
        "--resend", help="把已退回但未修改的项原样再报送，并写明说明（记入变更历史）。", show_default=False)] = None,
    policy: PolicyOption = None,
    by: ByOption = None,
) -> None:
    """报送本校的草稿（含退回后已修改的项），逐条列出报送了什么，等待审核。

    已退回但尚未修改的项不再报送（加 --resend 说明 才原样再报送）；还有未填报的项时给出提醒。

    示例：jobpolicy review submit 4114010108 --by 张老师
    """
    from jobpolicy.render.review_views import submit_lines, submit_warnings
    from jobpolicy.services.review import RESEND_HINT
    from jobpolicy.services.review import submit as submit_records

    who = author(by)
    result = submit_records(engine(ctx), code, actor=who.name, resend=resend, policy_id=policy)
    print_lines(submit_lines(result))
    show_author(who, "报送人")
    print_lines(submit_warnings(result, code, RESEND_HINT), err=True)


def accept(
    ctx: typer.Context,
    code: CodeArgument,
    items: Annotated[list[str] | None, typer.Argument(
        metavar="检查项", help="要审核通过的检查项（编号、举措号或关键词，各对应一项）；省略则通过全部已报送的记录。",
        show_default=False)] = None,
    policy: PolicyOption = None,
    by: ByOption = None,
) -> None:
    """审核通过已报送的记录（全部，或指定的检查项）。

    示例：jobpolicy review accept 4114010108 --by 省教育厅李处长
    """
    from jobpolicy.services.review import accept as accept_records

    who = author(by)
    result = accept_records(engine(ctx), code, items or [], actor=who.name, policy_id=policy)
    say(f"已审核通过: {result.institution_name} {len(result.records)} 条记录")
    show_author(who, "审核人")


def return_(
    ctx: typer.Context,
    code: CodeArgument,
    item: ItemArgument,
    reason: Annotated[str, typer.Option("--reason", help="退回理由（学校会看到）。", show_default=False)],
    period: PeriodOption = None,
    policy: PolicyOption = None,
    by: ByOption = None,
) -> None:
    """把一个检查项退回学校修改，并写明理由。

    示例：jobpolicy review return 4114010108 support.16.a --reason 缺少人员名单
    """
    from jobpolicy.services.review import return_item

    who = author(by)
    result = return_item(engine(ctx), code, item, reason, actor=who.name, period=period, policy_id=policy)
    say(f"已退回: {result.institution_name} {result.records[0].item_id}（{len(result.records)} 条记录）")
    show_author(who, "审核人")


review_app.command("submit")(submit)
review_app.command("accept")(accept)
review_app.command("return")(return_)
