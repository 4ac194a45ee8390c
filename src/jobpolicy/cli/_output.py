"""Printing helpers: JSON documents, plain lines, where a report was written, and streams that never crash."""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

import typer

from jobpolicy.domain.inert_text import BIDI, inert, inert_lines
from jobpolicy.errors import AppError


def carries_everything(encoding: str | None) -> bool:
    """Whether an encoding can write any character (UTF-8/16/32, GB18030); GBK (code page 936) cannot."""
    try:
        name = codecs.lookup(encoding or "ascii").name
    except LookupError:
        return False
    return name.startswith("utf") or name == "gb18030"


def configure_streams() -> None:
    """Make stdout and stderr print what their encoding lacks as an escape instead of crashing; once, at start-up.

    A Windows console or pipe in code page 936 (GBK) cannot hold an emoji or a rare character in an office's
    note; without this, printing it raises UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure") and not carries_everything(stream.encoding):
            stream.reconfigure(errors="backslashreplace")


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return json.dumps(error.object[error.start:error.end])[1:-1], error.end


codecs.register_error("jobpolicy.json", _json_escape)


# json.dumps escapes C0 controls itself; C1 controls and direction controls it leaves raw for a terminal to obey.
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{BIDI}]")


def json_text(data: Any, *, indent: int | None = None) -> str:
    """A JSON document with Chinese kept readable; a character stdout cannot encode becomes a JSON \\u escape, so
    the document stays valid and nothing is lost on a GBK console. Control and direction characters in offices'
    text become \\u escapes too: the data stays exact, the terminal obeys none of them."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    text = _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    encoding = getattr(sys.stdout, "encoding", None)
    if carries_everything(encoding):
        return text
    return text.encode(encoding, errors="jobpolicy.json").decode(encoding)


def print_json(data: Any) -> None:
    """Print a JSON document, UTF-8 Chinese kept readable, keys in the order given: indented for a person at a
    terminal; on one line when piped or redirected, for the script or file reading it.

    Any ``indent`` makes Python's json fall back from its C encoder to the pure-Python one, several times slower:
    ``status --json`` for every school in the country is a 10 MB document, where indenting cost more CPU than the
    SQL behind it.
    """
    typer.echo(json_text(data, indent=2 if _is_terminal(sys.stdout) else None))


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # a stream without isatty, or one already closed
        return False


def say(line: str = "", *, err: bool = False) -> None:
    """Print one line, every control or direction character in it shown as a mark, never obeyed
    (``domain.inert_text``): the one way the CLI prints text that offices, files or the database can carry."""
    typer.echo(inert(line), err=err)


def say_text(text: str) -> None:
    """Print text of several lines (a catalog shown whole) made inert the same way, its line breaks kept."""
    typer.echo(inert_lines(text), nl=not text.endswith("\n"))


def print_lines(lines: Iterable[str], *, err: bool = False) -> None:
    """Print lines, each made inert (``say``): a newline inside a note shows as ``\\x0a``, never as a new line."""
    for line in lines:
        say(line, err=err)


def conclude(failure: AppError | None, *, json_: bool) -> None:
    """End a command whose result (and verdict) is already printed: nothing when it passed; with ``--json`` the
    failure's exit code alone (one JSON document on stdout, the verdict inside it, no 错误 line); otherwise the
    failure itself, for the boundary to print as one 错误 line."""
    if failure is None:
        return
    if json_:
        raise typer.Exit(int(failure.exit_code))
    raise failure


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
    say(f"报告已写入：{index}")
    say(f"用浏览器打开（可离线查看、打印）：{file_link(index)}")
