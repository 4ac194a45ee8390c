"""``jobpolicy checklist export | import``: the Excel/WPS round trip with employment offices."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jobpolicy.cli._chinese import App
from jobpolicy.cli._context import author, engine, show_author
from jobpolicy.cli._options import (
    SCHOOL_HELP,
    AuthorityFilter,
    ByOption,
    JsonOption,
    LevelFilter,
    PolicyOption,
    ProvinceFilter,
    scope_of,
)
from jobpolicy.cli._output import conclude, print_json, print_lines

checklist_app = App(help="清单表格：导出给各校填写的 Excel/CSV 清单，导入填好的文件。", no_args_is_help=True)


class SheetFormat(StrEnum):
    """The file types ``checklist export`` writes."""

    xlsx = "xlsx"
    csv = "csv"


class OnConflict(StrEnum):
    """What ``checklist import`` does with a row whose record changed since the export."""

    stop = "stop"
    skip = "skip"
    update = "update"


CodesArgument = Annotated[
    list[str] | None,
    typer.Argument(metavar="学校", help=f"{SCHOOL_HELP}；可给多个；按省份等条件导出时省略。", show_default=False),
]
OutOption = Annotated[Path | None, typer.Option(
    "--out", metavar="文件或文件夹", show_default=False,
    help="一所学校时为 .xlsx/.csv 文件或文件夹；多所学校时为文件夹（每校一个文件）。默认：按条件导出时为以条件命名的"
         "文件夹（如山西省-专科-清单），否则为当前文件夹。只覆盖以前导出的清单。")]
FormatOption = Annotated[SheetFormat | None, typer.Option(
    "--format", help="xlsx（默认）或 csv（UTF-8 带 BOM）；省略时按 --out 的扩展名。", show_default=False)]
SheetPeriodOption = Annotated[str | None, typer.Option(
    "--period", help="周期性事项导出哪一期，如 2025、2025-09 或 2025年9月；默认为当前要填的一期。", show_default=False)]
FilesArgument = Annotated[list[Path], typer.Argument(
    metavar="清单文件", help="填好的 .xlsx 或 .csv 清单文件，或装有清单及其佐证材料文件的文件夹或 .zip，可给多个。",
    show_default=False)]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="只检查并列出每行的结果，不写入数据库。")]
DraftOption = Annotated[bool, typer.Option(
    "--draft", help="作为草稿导入，不算报送（少数情况才需要）。")]
AuthorOption = Annotated[str | None, typer.Option(
    "--author", help="“填报人”为空的文件以此为填报人（如旧版清单）。", show_default=False)]
OnConflictOption = Annotated[OnConflict, typer.Option(
    "--on-conflict", help="导出后记录已被他人修改的行：stop 整个文件不导入（默认），skip 跳过这些行，"
                          "update 仍按文件更新（空单元格始终不覆盖）。")]


def export(
    ctx: typer.Context,
    codes: CodesArgument = None,
    out: OutOption = None,
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    fmt: FormatOption = None,
    period: SheetPeriodOption = None,
    policy: PolicyOption = None,
    json_: JsonOption = False,
) -> None:
    """导出学校的落实清单（Excel 工作簿或 CSV），预填已记录的内容，供就业指导中心填写后导入。

    表头处由学校填写填报人和联系电话；只读列（编号、审核状态、审核意见、体系、举措、检查项、佐证要求、截止日期、
    指标及目标、达标情况）已锁定；状态可从下拉列表选择。省厅退回的行标红，审核意见写明理由，可按审核状态筛选。

    不给学校标识码、按省份、本科/专科或主管部门筛选时，每校一个文件，写入一个文件夹。

    示例：jobpolicy checklist export --province 山西 --level 专科 --out 专科清单
    """
    from jobpolicy.render.checklist_views import export_json, export_lines
    from jobpolicy.services.checklist_exchange import export_checklists

    scope = scope_of(province, level, authority, one_school="学校标识码" if codes else None)
    result = export_checklists(engine(ctx), codes or scope, out, fmt=fmt.value if fmt else None, period=period,
                               policy_id=policy)
    if json_:
        print_json(export_json(result))
    else:
        print_lines(export_lines(result))


def import_(
    ctx: typer.Context,
    files: FilesArgument,
    dry_run: DryRunOption = False,
    on_conflict: OnConflictOption = OnConflict.stop,
    draft: DraftOption = False,
    author_: AuthorOption = None,
    by: ByOption = None,
    json_: JsonOption = False,
) -> None:
    """导入学校填好的清单文件，即学校的报送：改动过的行和填了“确认报送”的行记为已报送，可直接审核。

    每条变更记在清单“填报人”名下，导入人（--by）另行记录；“填报人”为空的文件不导入（可加 --author 或 --draft）。
    每个文件要么整体导入、要么完全不导入；每行给出结果（更新、确认报送、无变化、冲突、错误及原因），
    指标值未达到目标的行给出注意。空单元格不会覆盖已记录的内容；同一文件导入两次，第二次不会有改动。

    “佐证材料”列写到的文件放在清单所在的文件夹中（或与清单一起压缩成 .zip），随同各行一起存入佐证材料库；
    包中缺少的文件、不接受的类型、超过大小上限的文件、指向包外的路径和再套的压缩包都会使整个文件不导入。

    有错误、被拒绝或因冲突未导入的文件，退出码为 3。

    示例：jobpolicy checklist import 山西大学报送.zip --by 省厅李处长 --dry-run
    """
    from jobpolicy.render.checklist_views import import_json, import_lines
    from jobpolicy.services.checklist_exchange import import_checklists

    who = author(by)
    result = import_checklists(engine(ctx), files, importer=who.name, on_conflict=on_conflict.value,
                               dry_run=dry_run, draft=draft, author=author_)
    failure = result.failure()
    if json_:
        print_json(import_json(result))
    else:
        print_lines(import_lines(result))
    if result.wrote:
        show_author(who, None, json_=json_)  # the summary names the importer beside each file's 填报人
    conclude(failure, json_=json_)


checklist_app.command("export")(export)
checklist_app.command("import")(import_)
