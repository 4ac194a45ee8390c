"""``jobpolicy diff``: what changed in an institution's records between two dates, and who changed it."""

from typing import Annotated

import typer

from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import CodeArgument, JsonOption, PolicyOption
from jobpolicy.cli._output import print_json, print_lines


def diff(
    ctx: typer.Context,
    code: CodeArgument,
    since: Annotated[
        str, typer.Option("--since", metavar="日期", help="起始日期（含当天），如 2025-06-01。", show_default=False)
    ],
    until: Annotated[
        str | None, typer.Option("--until", metavar="日期", help="截止日期（含当天）；默认到现在。", show_default=False)
    ] = None,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """逐项列出一段时间内记录的变化：哪个字段、从什么改为什么、何人何时修改，以及新增的佐证材料。

    示例：jobpolicy diff 4114010108 --since 2025-06-01 --until 2025-06-30
    """
    from jobpolicy.render.diff_views import diff_json, diff_text
    from jobpolicy.services.diff import diff_records

    start = parse_date_option(since, "--since")
    result = diff_records(engine(ctx), code, since=start, until=parse_date_option(until, "--until"),
                          policy_id=policy)
    if json_:
        print_json(diff_json(result))
    else:
        print_lines(diff_text(result))
