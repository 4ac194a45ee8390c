"""``jobpolicy institution …``: add institutions from the MOE list or by hand, list them."""

from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import (
    AuthorityFilter,
    CodeArgument,
    JsonOption,
    LevelFilter,
    ProvinceFilter,
    StartOption,
    scope_of,
)
from jobpolicy.cli._output import print_json, print_lines, say

institution_app = App(help="学校：从教育部名单查找、添加、批量导入、列出，设置开始跟踪日期。", no_args_is_help=True)

ProvinceOption = Annotated[str | None, typer.Option("--province", help="省份，如 山西 或 山西省。", show_default=False)]


def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(
        metavar="学校", help="学校标识码（10 位数字）或教育部名单中的学校名称，如 4114010108 或 山西大学。",
        show_default=False)],
    name: Annotated[
        str | None, typer.Option("--name", help="学校名称（仅名单外的学校需要）。", show_default=False)
    ] = None,
    province: ProvinceOption = None,
    level: Annotated[str | None, typer.Option("--level", help="办学层次：本科、专科（名单外的学校）。",
                                              show_default=False)] = None,
    start: StartOption = None,
) -> None:
    """添加一所学校：名单内的学校自动填入名称、省份、城市、层次；也可以只写学校名称。从今天（或 --start
    给出的日期）开始跟踪。

    名称对应多所学校时不添加，列出候选学校及其学校标识码。已添加的学校不改开始跟踪日期（用 jobpolicy institution
    set-start 修改）。

    示例：jobpolicy institution add 山西大学 --start 2026-09-01
    """
    from jobpolicy.services.institutions import add_institution

    day = parse_date_option(start, "--start")
    result = add_institution(engine(ctx), code, name=name, province=province, level=level, start=day)
    school = result.institution
    verb = {"added": "已添加", "exists": "已存在", "updated": "已按最新名单更新"}[result.outcome]
    say(f"{verb}: {school.code} {school.name}（{school.province}{school.city}，{school.level or '层次未填'}），"
               f"自 {school.tracking_start.isoformat()} 起跟踪")
    if day is not None and school.tracking_start != day:
        say(f"开始跟踪日期未改；要改为 {day.isoformat()}，运行 jobpolicy institution set-start {school.code} "
                   f"{day.isoformat()}")


def import_(
    ctx: typer.Context,
    province: ProvinceOption = None,
    level: Annotated[
        str | None, typer.Option("--level", help="只导入某一层次：本科、专科。", show_default=False)
    ] = None,
    start: StartOption = None,
) -> None:
    """从内置的教育部 2026 年名单批量添加普通高校（默认不含成人高校），从今天（或 --start 给出的日期）开始跟踪。

    已添加的学校保留原来的开始跟踪日期。

    示例：jobpolicy institution import --province 山西 --start 2026-09-01
    """
    from jobpolicy.services.institutions import import_institutions

    result = import_institutions(engine(ctx), province=province, level=level,
                                 start=parse_date_option(start, "--start"))
    say(f"新增 {len(result.added)} 所，按新名单更新 {len(result.updated)} 所，未变 {result.unchanged} 所")


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="名称", help="学校名称或其中一部分，如 山西 或 理工。",
                                        show_default=False)],
    province: ProvinceOption = None,
    json_: JsonOption = False,
) -> None:
    """在内置的教育部 2026 年名单中按名称查找学校，列出学校标识码，并注明哪些已经添加。

    示例：jobpolicy institution search 理工 --province 山西
    """
    from jobpolicy.render.institution_views import search_json, search_lines
    from jobpolicy.services.institutions import search_institutions

    result = search_institutions(engine(ctx), text, province=province)
    if json_:
        print_json(search_json(result))
    else:
        print_lines(search_lines(result, text))


def list_(
    ctx: typer.Context,
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    json_: JsonOption = False,
) -> None:
    """列出已添加的学校（标识码、名称、所在地、层次、主管部门、开始跟踪日期），可按省份、本科/专科、主管部门筛选。

    示例：jobpolicy institution list --province 山西 --level 专科
    """
    from jobpolicy.render.record_views import institution_json, institutions_text
    from jobpolicy.services.institutions import list_institutions

    scope = scope_of(province, level, authority)
    schools = list_institutions(engine(ctx), scope=scope)
    if json_:
        print_json([institution_json(s) for s in schools])
    else:
        print_lines(institutions_text(schools, scope))


def set_start(
    ctx: typer.Context,
    code: CodeArgument,
    day: Annotated[str, typer.Argument(metavar="日期", help="开始跟踪的日期，如 2026-09-01。", show_default=False)],
) -> None:
    """修改一所学校的开始跟踪日期（只改这一项）：政策截止日期早于它的事项为启用前，不算逾期、不计入比率。

    数据库也设了开始日期时（jobpolicy db set-start），以两者中较晚的为准。

    示例：jobpolicy institution set-start 4114010108 2026-09-01
    """
    from jobpolicy.services.tracking import set_institution_start

    school, before = set_institution_start(engine(ctx), code, parse_date_option(day, "开始跟踪日期"))
    say(f"{school.code} {school.name} 开始跟踪日期：{before.isoformat()} → {school.tracking_start.isoformat()}")


institution_app.command("add")(add)
institution_app.command("import")(import_)
institution_app.command("search")(search)
institution_app.command("list")(list_)
institution_app.command("set-start")(set_start)
