"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jobpolicy.cli._boundary import JSON_KEY

if TYPE_CHECKING:
    from jobpolicy.domain.institution_scope import InstitutionScope


def _remember_json(ctx: typer.Context, value: bool) -> bool:
    # The error boundary prints errors as JSON when the command was asked for JSON.
    ctx.meta[JSON_KEY] = value
    return value


JsonOption = Annotated[
    bool, typer.Option("--json", help="以 JSON 输出（供脚本和其他系统读取）。", callback=_remember_json)
]
PolicyIdArgument = Annotated[
    str, typer.Argument(metavar="政策编号", help="政策编号，如 gse-2025，或带版本 gse-2025@2025.1。")
]
CatalogPathsArgument = Annotated[
    list[Path],
    typer.Argument(metavar="清单文件", help="政策清单 YAML 文件或其所在目录，可给多个。", show_default=False),
]


AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="日期", help="按某一天结束时的状态回答（从变更记录重建），如 2025-06-30。",
                 show_default=False),
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="操作人姓名，只用于这一次；平时用 jobpolicy whoami 姓名 设置一次即可。",
                             show_default=False)
]
SCHOOL_HELP = "学校标识码（10 位数字）或已添加学校的名称（可只写一部分），如 4114010108 或 山西大学"
ITEM_HELP = "检查项编号（如 support.16.a，不分大小写）、举措号（如 十一）或关键词（如 离校）"
CodeArgument = Annotated[str, typer.Argument(metavar="学校", help=f"{SCHOOL_HELP}。", show_default=False)]
ItemArgument = Annotated[str, typer.Argument(metavar="检查项", help=f"{ITEM_HELP}。", show_default=False)]
PeriodOption = Annotated[
    str | None, typer.Option("--period", help="周期性事项的期次（如 2025、2025-09 或 2025年9月）；默认为当前期次。",
                             show_default=False)
]
PolicyOption = Annotated[
    str | None, typer.Option("--policy", help="政策编号；数据库只加载了一项政策时可省略。", show_default=False)
]
StartOption = Annotated[
    str | None, typer.Option("--start", metavar="日期", show_default=False,
                             help="开始跟踪的日期，如 2026-09-01（默认今天）：政策截止日期早于它的事项为启用前，"
                                  "不算逾期、不计入比率，仍可补填。")
]
ProvinceFilter = Annotated[
    str | None,
    typer.Option("--province", metavar="省份", help="只看某省的学校，如 山西 或 山西省。", show_default=False),
]
LevelFilter = Annotated[
    str | None, typer.Option("--level", metavar="本科|专科", help="只看本科或专科学校。", show_default=False)
]
AuthorityFilter = Annotated[
    str | None, typer.Option("--authority", metavar="主管部门", show_default=False,
                             help="只看某主管部门的学校，按教育部名单填写：教育部、山西省教育厅等；省政府主管的"
                                  "填省名（如山西省）。可只写一部分，须只对应一个部门。")
]


def scope_of(province: str | None, level: str | None, authority: str | None, *,
             one_school: str | None = None) -> InstitutionScope:
    """The ``InstitutionScope`` of the three filter options, checked once for every command.

    ``one_school`` names what already picks one school (``学校标识码``); a filter beside it is a usage error.
    """
    given = [name for name, value in (("--province", province), ("--level", level), ("--authority", authority))
             if value is not None]
    if one_school and given:
        what = f" {one_school} " if one_school.startswith("-") else one_school  # an option keeps its spaces
        raise typer.BadParameter(f"指定{what}时不能再用 {'、'.join(given)}", param_hint=given[0])
    from jobpolicy.services.scope import resolve_scope

    return resolve_scope(province=province, level=level, authority=authority)
