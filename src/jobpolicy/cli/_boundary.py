"""The one place where errors become output and exit codes."""

from __future__ import annotations

import json
import os
import traceback
from typing import Any

import typer
from typer.core import TyperGroup

from jobpolicy.errors import AppError, CatalogInvalid, ExitCode

DEBUG_KEY = "jobpolicy.debug"
JSON_KEY = "jobpolicy.json"


def _debug(ctx: Any) -> bool:
    return bool(ctx.meta.get(DEBUG_KEY)) or os.environ.get("JOBPOLICY_DEBUG") == "1"


def report_error(exc: AppError, *, as_json: bool) -> None:
    """Print an error: one line (plus a hint) on stderr, or a JSON object on stdout in --json mode."""
    if as_json:
        payload: dict[str, Any] = {"code": exc.slug, "message": exc.message, "hint": exc.hint}
        if isinstance(exc, CatalogInvalid):
            payload["problems"] = [p.as_dict() for p in exc.problems]
        typer.echo(json.dumps({"error": payload}, ensure_ascii=False))
        return
    if isinstance(exc, CatalogInvalid):
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
    typer.echo(f"错误: {exc.message}", err=True)
    if exc.hint:
        typer.echo(f"提示: {exc.hint}", err=True)


class BoundaryGroup(TyperGroup):
    """Root command group: turns AppError (and any unexpected error) into a message and an exit code.

    It wraps the whole invocation, so CliRunner tests go through the same boundary as real runs.
    Tracebacks appear only with --debug or JOBPOLICY_DEBUG=1, because records are sensitive.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AppError as exc:
            if _debug(ctx):
                traceback.print_exc()
            report_error(exc, as_json=bool(ctx.meta.get(JSON_KEY)))
            raise typer.Exit(int(exc.exit_code)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # a bug: say so in one line, keep the details for --debug
            if _debug(ctx) or _is_usage_error(exc):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            typer.echo(f"错误: 内部错误（{type(exc).__name__}: {first}）", err=True)
            typer.echo("提示: 请加 --debug 重新运行，并把输出发给维护人员", err=True)
            raise typer.Exit(int(ExitCode.ERROR)) from None


def _is_usage_error(exc: Exception) -> bool:
    # typer's vendored Click raises these for bad usage; they must reach Click's own handler (exit 2).
    return type(exc).__module__.startswith("typer._click") or "click" in type(exc).__module__

