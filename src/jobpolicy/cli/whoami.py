"""``jobpolicy whoami [NAME]``: the name every change is recorded under, set once per user."""

from typing import Annotated

import typer

from jobpolicy.cli._options import JsonOption
from jobpolicy.cli._output import print_json, print_lines


def whoami(
    name: Annotated[str | None, typer.Argument(
        metavar="姓名", help="要保存的姓名，如 张老师；省略则显示当前使用的姓名。", show_default=False)] = None,
    forget: Annotated[bool, typer.Option("--forget", help="删除保存的姓名。")] = False,
    json_: JsonOption = False,
) -> None:
    """设置或查看您的姓名：填报、报送、审核、导入都记在此名下，只需设置一次。

    姓名保存在您本人的设置文件中，jobpolicy whoami 显示它的位置。
    各命令的 --by 和环境变量 JOBPOLICY_USER 优先于它；都没有时记为系统登录名。

    示例：jobpolicy whoami 张老师
    """
    from jobpolicy.render.identity_views import (
        forgotten_lines,
        overridden_lines,
        saved_lines,
        whoami_json,
        whoami_lines,
    )
    from jobpolicy.services.identity import acting_user, forget_name, save_name

    if name is not None and forget:
        raise typer.BadParameter("给出姓名时不能再用 --forget", param_hint="--forget")
    warnings: list[str] = []
    if forget:
        removed, identity = forget_name()
        lines = forgotten_lines(identity, removed)
    elif name is not None:
        saved, identity = save_name(name)
        lines, warnings = saved_lines(identity, saved), overridden_lines(identity, saved)
    else:
        identity = acting_user()
        lines = whoami_lines(identity)
    if json_:
        print_json(whoami_json(identity))
    else:
        print_lines(lines)
    print_lines(warnings, err=True)
