"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jobpolicy.cli._boundary import JSON_KEY


def _remember_json(ctx: typer.Context, value: bool) -> bool:
    # The error boundary prints errors as JSON when the command was asked for JSON.
    ctx.meta[JSON_KEY] = value
    return value


JsonOption = Annotated[
    bool, typer.Option("--json", help="以 JSON 输出（供脚本和其他系统读取）。", callback=_remember_json)
]
PolicyIdArgument = Annotated[str, typer.Argument(help="政策编号，如 gse-2025，或带版本 gse-2025@2025.1。")]
CatalogPathsArgument = Annotated[
    list[Path], typer.Argument(help="政策清单 YAML 文件或其所在目录，可给多个。", show_default=False)
]


def json_mode(ctx: Any) -> bool:
    """Whether the current command runs in --json mode."""
    return bool(ctx.meta.get(JSON_KEY))
