"""Printing helpers: JSON documents and plain lines, nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import typer


def print_json(data: Any) -> None:
    """Print a JSON document, UTF-8 Chinese kept readable, keys in the order given."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Print lines as they are."""
    for line in lines:
        typer.echo(line, err=err)
