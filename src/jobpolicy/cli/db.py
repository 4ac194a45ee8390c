"""``jobpolicy db …``: create, migrate, describe and back up the database."""

from pathlib import Path
from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import engine, parse_date_option
from jobpolicy.cli._options import JsonOption
from jobpolicy.cli._output import conclude, print_json, print_lines, say

db_app = App(help="数据库：创建、升级、查看、备份，设置全库开始跟踪日期。", no_args_is_help=True)

DbStartOption = Annotated[
    str | None, typer.Option("--start", metavar="日期", show_default=False,
                             help="全库开始跟踪的日期，如 2026-09-01：各校以本校与全库开始日期中较晚的为准。")
]


def init_db(ctx: typer.Context, start: DbStartOption = None) -> None:
    """创建数据库（或补齐结构）并加载内置政策清单；可重复运行，不影响已填报的数据。

    --start 同时设置全库开始跟踪日期（也可以以后用 jobpolicy db set-start 设置）。

    示例：jobpolicy db init --start 2026-09-01
    """
    from jobpolicy.services.database import init_database

    report = init_database(engine(ctx), start=parse_date_option(start, "--start"))
    label, place = report.place
    say(f"数据库已就绪（结构版本 {report.revision}），{label}: {place}")
    if report.start is not None:
        say(f"全库开始跟踪日期: {report.start.isoformat()}")
    for key in report.loaded:
        say(f"已加载政策: {key}")
    for key in report.already:
        say(f"政策已存在: {key}")
    for in_use, newer in report.newer:
        say(f"政策有新版本: {newer}（数据库正在使用 {in_use}，未自动切换）；"
                   f"运行 jobpolicy policy load {newer} 迁移记录")


def upgrade_db(ctx: typer.Context) -> None:
    """把数据库结构升级到本程序的版本（升级前请先备份）。

    示例：jobpolicy db upgrade
    """
    from jobpolicy.services.database import upgrade_database

    before, after = upgrade_database(engine(ctx))
    message = "数据库结构已是最新" if before == after else f"数据库结构已从 {before} 升级到 {after}"
    say(f"{message}（{after}）")


def info_db(ctx: typer.Context, json_: JsonOption = False) -> None:
    """显示数据库在哪里（文件路径，或服务器和数据库名）、结构版本、已加载的政策和数据量。

    示例：jobpolicy db info
    """
    from jobpolicy.services.database import database_info

    info = database_info(engine(ctx))
    if json_:
        print_json(info.__dict__)
        return
    say(f"{info.location_label}: {info.location}")
    say(f"结构版本: {info.revision}（本程序: {info.head}）")
    say(f"政策: {'、'.join(info.policies) or '无'}")
    say(f"全库开始跟踪日期: {info.start.isoformat() if info.start else '未设置（各校自添加之日起）'}")
    labels = {"policy_versions": "政策版本", "institutions": "学校", "records": "记录", "events": "变更",
              "evidence": "佐证材料"}
    say("  ".join(f"{labels[k]} {v}" for k, v in info.counts.items()))
    say(f"备份: {info.backup_hint}")


def backup_db(
    ctx: typer.Context,
    target: Annotated[
        Path, typer.Argument(metavar="备份文件", help="备份文件路径（不能已存在）。", show_default=False)
    ],
) -> None:
    """在线备份 SQLite 数据库（使用中也可备份）；PostgreSQL 请用 pg_dump。

    示例：jobpolicy db backup backup-2025-06-30.db
    """
    from jobpolicy.services.database import backup_database

    path = backup_database(engine(ctx), target)
    say(f"已备份到 {path}")


def check_db(ctx: typer.Context, json_: JsonOption = False) -> None:
    """逐一核对佐证材料库中的文件（按 sha256）：列出每个缺失或被改动的文件及其文件名；有问题时退出码为 1。

    示例：jobpolicy db check
    """
    from jobpolicy.render.evidence_views import check_json, check_lines
    from jobpolicy.services.database import check_database

    check = check_database(engine(ctx))
    failure = check.failure()
    if json_:
        print_json(check_json(check))
    else:
        print_lines(check_lines(check))
    conclude(failure, json_=json_)


def set_start_db(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(metavar="日期", help="全库开始跟踪的日期，如 2026-09-01。", show_default=False)],
) -> None:
    """设置全库开始跟踪日期（只改这一项）：各校以本校与全库开始日期中较晚的为准，截止日期早于它的事项为启用前。

    示例：jobpolicy db set-start 2026-09-01
    """
    from jobpolicy.services.tracking import set_database_start

    day_ = parse_date_option(day, "开始跟踪日期")
    before = set_database_start(engine(ctx), day_)
    say(f"全库开始跟踪日期：{before.isoformat() if before else '未设置'} → {day_.isoformat()}")


db_app.command("init")(init_db)
db_app.command("upgrade")(upgrade_db)
db_app.command("info")(info_db)
db_app.command("backup")(backup_db)
db_app.command("check")(check_db)
db_app.command("set-start")(set_start_db)
