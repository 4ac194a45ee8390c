"""``jobpolicy export``: everything in the database, machine-readable (docs/export-format.md)."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jobpolicy.cli._context import engine
from jobpolicy.cli._options import AuthorityFilter, LevelFilter, ProvinceFilter, scope_of
from jobpolicy.cli._output import say


class ExportFormat(StrEnum):
    """The formats ``export`` writes."""

    json = "json"
    csv = "csv"


NOUNS = {"policies": "个政策版本", "institutions": "所学校", "records": "条记录", "evidence": "份佐证",
         "events": "条变更", "import_batches": "个导入批次"}


def export(
    ctx: typer.Context,
    # Required: --out is a file for json and a folder for csv, so the format must never be a silent default.
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="json 写入一个文件；csv 写入一个目录，每张表一个 CSV 文件，编码 UTF-8 带 BOM。",
                     show_default=False),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="JSON 文件或 CSV 目录（不存在则创建）；只会覆盖 jobpolicy 以前导出的文件。",
                     show_default=False),
    ],
    province: ProvinceFilter = None,
    level: LevelFilter = None,
    authority: AuthorityFilter = None,
    with_files: Annotated[
        bool,
        typer.Option("--with-files", help="同时导出佐证材料文件本身（写入 CSV 目录内的 evidence/ 文件夹，或 JSON "
                                          "文件旁的“文件名.evidence”文件夹），附 manifest.csv 列出每个文件的 sha256。"),
    ] = False,
) -> None:
    """导出全部数据（政策版本、学校、记录、佐证、变更、导入批次），供统计分析和归档。

    可按省份、本科/专科、主管部门只导出部分学校及其记录、佐证、变更和导入批次（政策版本总是全部导出）。
    格式说明见 docs/export-format.md。

    示例：jobpolicy export --format csv --out 导出/2025-12 --province 山西
    """
    from jobpolicy.services.export import export_all

    result = export_all(engine(ctx), out, fmt=fmt.value, scope=scope_of(province, level, authority),
                        with_files=with_files)
    counts = "、".join(f"{result.counts[name]} {noun}" for name, noun in NOUNS.items())
    scope = result.scope
    say(f"已导出{'' if scope.everything else f'（{scope.label}）'}: {counts}")
    where = f"{result.path}" if result.fmt == "json" else f"{result.path}（{len(result.files)} 个文件）"
    say(f"写入 {where}")
    if result.evidence_folder is not None:
        say(f"佐证材料 {result.evidence_files} 个文件写入 {result.evidence_folder}（清单 manifest.csv）")
