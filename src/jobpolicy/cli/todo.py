"""``jobpolicy todo``: what an office has to do now, in the order of its checklist file."""

from typing import Annotated

import typer

from jobpolicy.cli._context import engine
from jobpolicy.cli._options import CodeArgument, JsonOption, PolicyOption
from jobpolicy.cli._output import print_json, print_lines


def todo(
    ctx: typer.Context,
    code: CodeArgument,
    within: Annotated[int, typer.Option("--within", help="列出今后多少天内到期的事项（天数）。")] = 30,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """学校的待办：被退回的项（附审核意见）、已逾期或即将到期的项、未填报的项、未报送的草稿。

    按清单文件的顺序列出，每项注明它在今天导出的清单中的行号。

    示例：jobpolicy todo 4114010108 --within 14
    """
    from jobpolicy.render.todo_views import todo_json, todo_lines
    from jobpolicy.services.todo import office_todo

    result = office_todo(engine(ctx), code, within_days=within, policy_id=policy)
    if json_:
        print_json(todo_json(result))
    else:
        print_lines(todo_lines(result))
