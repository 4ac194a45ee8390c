"""The one place where errors become output and exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer

from jobpolicy.cli._chinese import ClickException, Group, is_help_shown, usage_error_text
from jobpolicy.cli._output import json_text, say
from jobpolicy.errors import Ambiguous, AppError, CatalogInvalid, ExitCode, UsageProblem

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
        if isinstance(exc, Ambiguous):
            payload["candidates"], payload["more"] = exc.candidates, exc.more
        typer.echo(json_text({"error": payload}))
        return
    if isinstance(exc, CatalogInvalid):
        for problem in exc.problems:
            say(str(problem), err=True)
    say(f"错误: {exc.message}", err=True)
    if isinstance(exc, Ambiguous):
        for candidate in exc.candidates:
            say(f"  {candidate}", err=True)
        if exc.more:
            say(f"  ……另有 {exc.more} 项未列出", err=True)
    if exc.hint:
        say(f"提示: {exc.hint}", err=True)


def report_usage_error(exc: ClickException, *, as_json: bool) -> None:
    """Print a usage error (typer's own, exit 2) in Chinese: the usage line, then the error and a hint."""
    if is_help_shown(exc):
        return  # no arguments: the help has been printed, nothing is wrong
    message, hint = usage_error_text(exc)
    ctx = getattr(exc, "ctx", None)
    if not as_json and ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
    report_error(UsageProblem(message, hint=hint), as_json=as_json)


def _asks_for_json(args: Sequence[str] | None) -> bool:
    # A usage error can stop parsing before --json is seen, so look at the command line itself.
    words = list(sys.argv[1:] if args is None else args)
    return "--json" in (words[: words.index("--")] if "--" in words else words)


class BoundaryGroup(Group):
    """Root command group: turns AppError, usage errors and any unexpected error into a message and an exit code.

    It wraps the whole invocation, so CliRunner tests go through the same boundary as real runs.
    Tracebacks appear only with --debug or JOBPOLICY_DEBUG=1, because records are sensitive.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        # typer would print usage errors itself, in English; it hands them here when not standalone.
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as exc:
            if not standalone_mode:
                raise
            report_usage_error(exc, as_json=_asks_for_json(args))
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("已取消", err=True)
            sys.exit(int(ExitCode.ERROR))
        if standalone_mode:  # as typer does: an Exit's code (returned when not standalone), else 0
            sys.exit(result if isinstance(result, int) else 0)
        return result

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
            if _debug(ctx) or isinstance(exc, ClickException):  # usage errors go on to main(), exit 2
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            say(f"错误: 内部错误（{type(exc).__name__}: {first}）", err=True)
            typer.echo("提示: 请加 --debug 重新运行，并把输出发给维护人员", err=True)
            raise typer.Exit(int(ExitCode.ERROR)) from None

