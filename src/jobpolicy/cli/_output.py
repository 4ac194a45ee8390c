"""Printing helpers: JSON documents, plain lines, and where a report was written."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

import typer


def print_json(data: Any) -> None:
    """Print a JSON document, UTF-8 Chinese kept readable, keys in the order given."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Print lines as they are."""
    for line in lines:
        typer.echo(line, err=err)


def file_link(path: PurePath) -> str:
    """A ``file://`` link to an absolute path, its Chinese (any non-ASCII) letters shown as they are.

    Such a link is an IRI that browsers, Explorer and terminals open as it is; spaces and other ASCII that a link
    cannot hold stay percent-encoded, so the link stays valid.
    """
    def readable(match: re.Match[str]) -> str:
        try:
            return unquote(match.group(), errors="strict")
        except UnicodeDecodeError:
            return match.group()

    return re.sub(r"(?:%[89A-Fa-f][0-9A-Fa-f])+", readable, path.as_uri())


def print_report_location(index: PurePath) -> None:
    """Say where a report is: a path to paste into Explorer, and a link to open in a browser."""
    typer.echo(f"报告已写入：{index}")
    typer.echo(f"用浏览器打开（可离线查看、打印）：{file_link(index)}")
