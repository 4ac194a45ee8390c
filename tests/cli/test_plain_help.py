"""Help drawn without rich (piped or redirected) is byte for byte rich's help without colour, for every command and
group at several widths; rich still draws it on a colour terminal."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
import typer
from tests.cli.test_chinese import tree
from typer.testing import CliRunner

from jobpolicy.cli import _chinese, _plain_help
from jobpolicy.cli._chinese import Command

WIDTHS = (40, 61, 80, 120, 200)


@pytest.fixture
def drawn(run, monkeypatch):
    """``draw(path, width, rich=…)``: the help of a command drawn by this module, or by rich, at a width."""
    monkeypatch.delenv("TERMINAL_WIDTH", raising=False)
    monkeypatch.setattr(_chinese._rich_utils(), "MAX_WIDTH", None)  # what another test's import may have fixed

    def draw(path: list[str], width: int, *, rich: bool) -> str:
        monkeypatch.setenv("COLUMNS", str(width))
        with monkeypatch.context() as m:
            if rich:
                m.setattr(_plain_help, "plain_width", lambda stream: None)
            else:
                m.setattr(_chinese, "use_chinese_help", _refuse)  # fails if the help fell back to rich
            result = run(*path, "--help")
        assert result.exit_code == 0, result.output
        return result.stdout

    return draw


def _refuse() -> None:
    raise AssertionError("rich drew the help")


@pytest.mark.parametrize(("path", "command"), tree(), ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_every_help_is_rich_s_byte_for_byte(drawn, path, command):
    for width in WIDTHS:
        plain = drawn(path, width, rich=False)
        assert "╭─ 选项 " in plain
        assert plain == drawn(path, width, rich=True), width


def test_the_root_s_help_at_every_width_from_10_to_100(drawn):
    for width in range(10, 101):
        assert drawn([], width, rich=False) == drawn([], width, rich=True), width


class Stream(io.StringIO):
    def __init__(self, *, tty: bool, encoding: str = "utf-8") -> None:
        super().__init__()
        self.tty, self._encoding = tty, encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("stream", "environ", "width"), [
    (Stream(tty=False), {"COLUMNS": "100", "LINES": "30"}, 100),
    (Stream(tty=False), {"COLUMNS": "100"}, 100),
    (Stream(tty=True), {"COLUMNS": "100", "LINES": "30"}, None),  # a colour terminal: rich
    (Stream(tty=True), {"TERM": "dumb", "COLUMNS": "100"}, 80),  # rich draws a dumb terminal without colour, 80 wide
    (Stream(tty=True), {"TERM": "dumb", "COLUMNS": "100", "LINES": "30"}, 100),
    (Stream(tty=True), {"NO_COLOR": "1", "COLUMNS": "100"}, None),  # no colour, but bold: rich
    (Stream(tty=False), {"FORCE_COLOR": "1"}, None),
    (Stream(tty=False), {"TTY_COMPATIBLE": "1"}, None),
    (Stream(tty=True), {"TTY_COMPATIBLE": "0", "COLUMNS": "90", "LINES": "9"}, 90),
    (Stream(tty=False, encoding="gbk"), {"COLUMNS": "100"}, None),  # rich would draw ASCII boxes
    (Stream(tty=False), {"TERMINAL_WIDTH": "70", "COLUMNS": "100"}, 70),  # typer's own width comes first
    (Stream(tty=False), {"TERMINAL_WIDTH": "wide"}, None),
], ids=["piped", "piped, no LINES", "terminal", "dumb terminal", "dumb terminal sized", "NO_COLOR", "FORCE_COLOR",
        "TTY_COMPATIBLE=1", "TTY_COMPATIBLE=0", "GBK", "TERMINAL_WIDTH", "TERMINAL_WIDTH not a number"])
def test_rich_draws_wherever_it_would_use_colour_or_other_boxes(monkeypatch, stream, environ, width):
    monkeypatch.delitem(sys.modules, "typer.rich_utils", raising=False)  # as in a fresh process: the environment
    assert _plain_help.plain_width(stream, environ) == width


def test_rich_draws_on_windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")  # a pipe there is a legacy console to rich: other width, boxes
    assert _plain_help.plain_width(Stream(tty=False), {"COLUMNS": "100"}) is None


def test_help_with_markup_or_emoji_codes_is_left_to_rich(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    app = typer.Typer(name="demo")

    @app.command(cls=Command)
    def show() -> None:
        """显示[bold]重要[/bold]的内容 :thumbs_up:"""

    @app.command(cls=Command)
    def hide() -> None:
        """隐藏内容。"""

    result = CliRunner().invoke(app, ["show", "--help"])
    assert "显示重要的内容 👍" in result.stdout  # rich's markup and emoji, drawn by rich
    group = typer.main.get_command(app)
    with pytest.raises(_plain_help.Unsupported):
        _plain_help.help_text(group.commands["show"], group.make_context("demo", ["show"]), 80)


def test_rich_s_console_is_not_imported_for_piped_help(tmp_path):
    code = ("import sys; from jobpolicy.cli import main; sys.argv = ['jobpolicy', '--help']\n"
            "try:\n main()\nexcept SystemExit:\n pass\n"
            "print(*(m for m in sys.modules if m.startswith('rich')), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path,
                          env={"PATH": "", "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"})
    assert "╭─ 命令" in done.stdout
    loaded = set(done.stderr.split()) - {"rich", "rich._extension", "rich.cells", "rich._wrap", "rich._loop"}
    assert all(name.startswith("rich._unicode_data") for name in loaded), loaded  # character widths only


def test_should_the_plain_drawing_break_rich_draws_the_help_instead_of_a_traceback(drawn, run, monkeypatch):
    def broken(stream):  # as a rich or typer release moving an internal the plain drawing follows would
        raise AttributeError("module 'rich._wrap' has no attribute 'divide_line'")

    expected = drawn(["status"], 80, rich=True)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(_plain_help, "plain_width", broken)
    result = run("status", "--help")
    assert result.exit_code == 0 and result.exception is None
    assert result.stdout == expected
