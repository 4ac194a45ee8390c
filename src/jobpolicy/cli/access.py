"""``jobpolicy access …``: which PostgreSQL login reaches which schools, enforced by the database itself."""

from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import engine
from jobpolicy.cli._options import JsonOption
from jobpolicy.cli._output import print_json, print_lines

access_app = App(help="访问权限（PostgreSQL）：每个学校账号只能读写本校，审核账号只能审核本省，由数据库强制执行。",
                 no_args_is_help=True)

LoginArgument = Annotated[str, typer.Argument(metavar="登录名", help="PostgreSQL 登录名，如 office_sxu。",
                                              show_default=False)]


def grant(
    ctx: typer.Context,
    login: LoginArgument,
    institutions: Annotated[list[str] | None, typer.Option(
        "--institution", metavar="学校", show_default=False,
        help="学校账号：可读写的学校（学校标识码、全称或唯一的简称），可给多次。")] = None,
    province: Annotated[str | None, typer.Option(
        "--province", metavar="省份", show_default=False, help="审核账号：审核该省的学校，如 山西 或 山西省。")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="管理员：全部学校，并可加载政策清单、分配权限。")] = False,
    create: Annotated[bool, typer.Option(
        "--create", help="登录名不存在时创建它（提示输入密码，不在命令行中出现）。")] = False,
) -> None:
    """给 PostgreSQL 登录名授权：学校账号、审核账号或管理员（须以管理员身份运行）。

    学校账号只能读写所授学校的记录，可以报送，不能审核；审核账号只能通过或退回本省学校的记录，
    不能改动学校填报的内容；只有管理员能加载政策清单、添加学校和升级数据库。
    任何人都不能修改或删除变更历史。这些规则由数据库执行，用其他客户端直连数据库也一样。

    示例：jobpolicy access grant office_sxu --institution 4114010108 --create
    """
    from jobpolicy.render.access_views import granted_lines
    from jobpolicy.services.access import grant as grant_access
    from jobpolicy.services.access import require_postgres

    password = None
    if create:
        require_postgres(engine(ctx))  # say so before asking for a password SQLite would never use
        password = typer.prompt(f"为登录名 {login} 设置密码", hide_input=True, confirmation_prompt="再输入一次密码确认",
                                show_default=False)
    result = grant_access(engine(ctx), login, institutions=institutions or [], province=province, admin=admin,
                          password=password)
    print_lines(granted_lines(result))


def revoke(ctx: typer.Context, login: LoginArgument) -> None:
    """收回登录名的全部访问权限（登录名本身保留）。

    示例：jobpolicy access revoke office_sxu
    """
    from jobpolicy.render.access_views import revoked_lines
    from jobpolicy.services.access import revoke as revoke_access

    print_lines(revoked_lines(revoke_access(engine(ctx), login)))


def list_logins(ctx: typer.Context, json_: JsonOption = False) -> None:
    """列出各登录名的身份和可访问的学校；非管理员只看到自己的。

    示例：jobpolicy access list
    """
    from jobpolicy.render.access_views import access_json, access_line
    from jobpolicy.services.access import list_access

    accesses = list_access(engine(ctx))
    if json_:
        print_json(access_json(accesses))
    else:
        print_lines([access_line(a) for a in accesses] or ["尚未给任何登录名授权"])


access_app.command("grant")(grant)
access_app.command("revoke")(revoke)
access_app.command("list")(list_logins)
