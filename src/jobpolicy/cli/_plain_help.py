"""Help drawn as plain text, byte for byte as typer's rich help draws it without colour, without importing rich's
console.

Piped, redirected, or on a terminal rich treats as dumb, typer's help is rich's panels with no escape codes. Rich's
console, text, table and emoji modules take half of ``jobpolicy --help``'s CPU beyond ``import typer``; this draws
the same boxes, column widths and folded Chinese lines with rich's own character widths (``rich.cells``) and line
breaking (``rich._wrap``), the two small modules that need neither console nor styles. Anything it does not draw
(a colour terminal, Windows, a non-UTF-8 stream, markup, emoji codes, tabs, deprecated commands, custom panels, an
epilog) returns ``None`` and rich draws the help as before. ``tests/cli/test_plain_help.py`` renders every command
both ways at several widths and compares.

The layout follows rich 15's ``Table``, ``Columns``, ``Padding`` and ``Panel`` for the settings typer uses (no box
between columns, padding (0, 1), no padded edge): each function names the rich method it follows.
"""

from __future__ import annotations

import builtins
import inspect
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from rich._wrap import divide_line  # rich's own line breaking, so lines break where rich breaks them
from rich.cells import cell_len, set_cell_size  # rich's own character widths (CJK double width)
from typer.core import TyperArgument, TyperGroup, TyperOption

from jobpolicy.cli._help_strings import RANGE_STRING, REQUIRED_SHORT_STRING, RICH_STRINGS

# What rich's markup and emoji codes would change in a help text (``rich.markup.RE_TAGS``, ``rich._emoji_replace``):
# a text with either is left to rich.
_MARKUP = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])|(:(\S*?)(?:-(?:emoji|text))?:)")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029]")  # tabs, escapes, backspace: rich's own business
_TYPER_TERMINAL_ENV = ("GITHUB_ACTIONS", "FORCE_COLOR", "PY_COLORS")  # typer.rich_utils.FORCE_TERMINAL


class Unsupported(Exception):
    """Something in the help this module does not draw; rich draws it."""


# --- the console: whether rich would draw without colour, and how wide -------------------------------------------


def plain_width(stream: Any, environ: Any = os.environ) -> int | None:
    """The width rich would draw typer's help at on ``stream``, if it would draw it without colour; else ``None``.

    Follows ``typer.rich_utils._get_rich_console`` and ``rich.console.Console``: ``is_terminal``,
    ``_detect_color_system`` (none off a terminal or on a dumb one) and ``size``.
    """
    if sys.platform == "win32" or stream is None or hasattr(builtins, "get_ipython") \
            or getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None  # legacy console detection, Jupyter, IDLE: rich's own
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None  # rich would draw ASCII boxes
    terminal = _is_terminal(stream, environ)
    dumb = terminal and environ.get("TERM", "").lower() in ("dumb", "unknown")
    if terminal and not dumb:
        return None
    forced = _typer_width(environ)
    if forced == -1:
        return None
    width = forced if forced is not None else _digits(environ.get("COLUMNS"))
    height = _digits(environ.get("LINES"))
    if width is not None and height is not None:
        return width
    if dumb:
        return 80
    measured = None
    for fd in _std_fds():
        try:
            measured = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width if width is not None else measured or 80


def _typer_width(environ: Any) -> int | None:
    """``typer.rich_utils.MAX_WIDTH``: read from the environment when typer imports it (-1: not a number)."""
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        return rich_utils.MAX_WIDTH
    forced = environ.get("TERMINAL_WIDTH")
    return (int(forced) if forced.isdigit() else -1) if forced else None


def _is_terminal(stream: Any, environ: Any) -> bool:
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None and rich_utils.COLOR_SYSTEM != "auto":
        return True  # someone changed typer's colours: rich's own business
    forced = rich_utils.FORCE_TERMINAL if rich_utils is not None else (
        False if environ.get("_TYPER_FORCE_DISABLE_TERMINAL") else
        True if any(environ.get(name) for name in _TYPER_TERMINAL_ENV) else None)
    if forced is not None:
        return forced
    if environ.get("TTY_COMPATIBLE", "") in ("0", "1"):
        return environ["TTY_COMPATIBLE"] == "1"
    if environ.get("FORCE_COLOR") is not None:
        return environ["FORCE_COLOR"] != ""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _digits(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def _std_fds() -> tuple[int, ...]:
    fds = []
    for stream, default in ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2)):
        try:
            fds.append(stream.fileno())  # type: ignore[union-attr]
        except Exception:  # as rich: no stream, or one without a descriptor
            fds.append(default)
    return tuple(fds)


# --- text: rich.text.Text, as far as typer's help uses it ---------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of plain text; ``overflow`` as rich's (``fold`` for typer's highlighted text, else the column's)."""

    plain: str
    overflow: str | None = None

    def measure(self) -> tuple[int, int]:
        """``Text.__rich_measure__``: the widest word, the widest line."""
        lines = self.plain.splitlines()
        widest = max(cell_len(line) for line in lines) if lines else 0
        words = self.plain.split()
        return (max(cell_len(word) for word in words) if words else widest), widest

    def lines(self, width: int, *, overflow: str = "fold", no_wrap: bool = False) -> list[str]:
        """``Text.__rich_console__`` and ``Text.wrap``, then padded to the width (``Console.render_lines``)."""
        if width < 1:
            return []
        overflow = self.overflow or overflow
        out = []
        for line in self.plain.split("\n"):
            if no_wrap:
                pieces = [line]
            else:
                offsets = divide_line(line, width, fold=overflow == "fold")
                ends = [*offsets, len(line)]
                pieces = [_rstrip_end(line[a:b], width) for a, b in zip([0, *offsets], ends, strict=True)]
            out.extend(_truncate(piece, width, overflow) for piece in pieces)
        return [set_cell_size(line, width) for line in out]


def _rstrip_end(line: str, width: int) -> str:
    """``Text.rstrip_end``: trailing spaces beyond the width go (counted in characters, as rich does)."""
    excess = len(line) - width
    if excess > 0:
        spaces = len(line) - len(line.rstrip())
        return line[: len(line) - min(spaces, excess)] if spaces else line
    return line


def _truncate(line: str, width: int, overflow: str) -> str:
    """``Text.truncate``."""
    if cell_len(line) > width:
        return set_cell_size(line, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(line, width)
    return line


def plain(text: str, overflow: str | None = "fold") -> Text:
    """Text typer shows as it is (a name, the usage line), if it holds no control character."""
    if _CONTROL.search(text):
        raise Unsupported(text)
    return Text(text, overflow)


def checked(text: str) -> Text:
    """Help text as rich would show it from markup (``Text.from_markup``), if it holds no markup or emoji code."""
    if _MARKUP.search(text):
        raise Unsupported(text)
    return plain(text)


# --- measuring and laying out: rich.measure, rich.padding, rich.table, rich.columns --------------------------------


@dataclass
class Columns:
    """``rich.columns.Columns`` of texts (a parameter's help, default and 必填), padding (0, 1)."""

    items: list[Text]


def _normal(low: int, high: int, max_width: int) -> tuple[int, int]:
    """``Measurement.get``'s normalising of what a renderable measured."""
    low = min(max(0, low), high)
    low, high = max(0, low), max(0, max(low, high))
    low, high = min(low, max_width), min(high, max_width)
    if high < 1:
        return 0, 0
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _measure(cell: Text | Columns, max_width: int) -> tuple[int, int]:
    if max_width < 1:
        return 0, 0
    if isinstance(cell, Columns):
        return 0, max_width  # rich's Columns cannot be measured: all the width
    return _normal(*cell.measure(), max_width)


def _measure_padded(cell: Text | Columns, extra: int, max_width: int) -> tuple[int, int]:
    """``Padding.__rich_measure__`` through ``Measurement.get``."""
    if max_width < 1:
        return 0, 0
    if max_width - extra < 1:
        return _normal(max_width, max_width, max_width)
    low, high = _measure(cell, max_width)
    return _normal(min(low + extra, max_width), min(high + extra, max_width), max_width)


@dataclass
class Column:
    """``rich.table.Column``: its cells, a fixed width or a ratio, whether it wraps."""

    cells: list[Text | Columns]
    width: int | None = None
    ratio: int | None = None
    no_wrap: bool = False
    overflow: str = "ellipsis"


@dataclass
class Table:
    """``rich.table.Table`` without box or header, padding (0, 1), ``pad_edge=False``."""

    columns: list[Column]
    expand: bool
    collapse_padding: bool = False

    def _pads(self, index: int) -> tuple[int, int]:
        """``Table._get_cells``' left and right padding of a column's cells (their sum is
        ``_get_padding_width``)."""
        last = index == len(self.columns) - 1
        left = 0 if self.collapse_padding or index == 0 else 1
        return left, 0 if last else 1

    def _measure_column(self, index: int, max_width: int) -> tuple[int, int]:
        """``Table._measure_column``."""
        if max_width < 1:
            return 0, 0
        column = self.columns[index]
        extra = sum(self._pads(index))
        if column.width is not None:
            return min(column.width + extra, max_width), min(column.width + extra, max_width)
        sizes = [_measure_padded(cell, extra, max_width) for cell in column.cells]
        low = max((s[0] for s in sizes), default=1)
        high = max((s[1] for s in sizes), default=max_width)
        return min(low, max_width), min(high, max_width)

    def widths(self, max_width: int) -> list[int]:
        """``Table._calculate_column_widths``."""
        columns = self.columns
        ranges = [self._measure_column(i, max_width) for i in range(len(columns))]
        widths = [high or 1 for _, high in ranges]
        if self.expand:
            ratios = [c.ratio or 0 for c in columns if c.ratio is not None]
            if any(ratios):
                fixed = [0 if c.ratio is not None else high for (_, high), c in zip(ranges, columns, strict=True)]
                minimums = [(c.width or 1) + sum(self._pads(i)) for i, c in enumerate(columns) if c.ratio is not None]
                flexible = iter(ratio_distribute(max_width - sum(fixed), ratios, minimums))
                widths = [f + next(flexible) if c.ratio is not None else w
                          for w, f, c in zip(widths, fixed, columns, strict=True)]
        table_width = sum(widths)
        if table_width > max_width:
            widths = _collapse_widths(widths, [c.width is None and not c.no_wrap for c in columns], max_width)
            table_width = sum(widths)
            if table_width > max_width:
                widths = ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
                table_width = sum(widths)
            widths = [self._measure_column(i, w)[1] or 0 for i, w in enumerate(widths)]
        if table_width < max_width and self.expand:
            widths = [w + pad for w, pad in zip(widths, ratio_distribute(max_width - table_width, widths), strict=True)]
        return widths

    def lines(self, max_width: int) -> list[str]:
        """``Table.__rich_console__`` and ``Table._render``: each row's cells side by side, top-aligned."""
        widths = self.widths(max_width)
        out = []
        for row in zip(*(c.cells for c in self.columns), strict=True):
            cells = [self._cell_lines(i, cell, width) for i, (cell, width) in enumerate(zip(row, widths, strict=True))]
            height = max(1, *(len(c) for c in cells))
            shaped = [[set_cell_size(line, w) for line in c[:height]] + [" " * w] * (height - len(c))
                      for c, w in zip(cells, widths, strict=True)]
            out.extend("".join(parts) for parts in zip(*shaped, strict=True))
        return out

    def _cell_lines(self, index: int, cell: Text | Columns, width: int) -> list[str]:
        """``Padding`` around the cell, rendered at the column's width."""
        left, right = self._pads(index)
        inner = width - left - right
        if width < 1 or inner < 1:
            return []
        column = self.columns[index]
        if isinstance(cell, Columns):
            grid = _columns_table(cell, inner) if cell.items else None
            lines = [set_cell_size(line, inner) for line in grid.lines(inner)] if grid else []
        else:
            lines = cell.lines(inner, overflow=column.overflow, no_wrap=column.no_wrap)
        return [" " * left + line + " " * right for line in lines]


def _columns_table(columns: Columns, max_width: int) -> Table:
    """``Columns.__rich_console__``: as many texts side by side as fit the width, in a collapsed grid."""
    widths = [_measure(item, max_width)[1] for item in columns.items]
    count = len(widths)
    while count > 1:
        used: dict[int, int] = {}
        for i, width in enumerate(widths + [0] * ((-len(widths)) % count)):
            used[i % count] = max(used.get(i % count, 0), width)
            if sum(used.values()) + (len(used) - 1) > max_width:
                count = len(used) - 1
                break
        else:
            break
    items: list[Text] = columns.items + [Text("")] * ((-len(columns.items)) % count)
    return Table([Column(items[i::count]) for i in range(count)], expand=False, collapse_padding=True)


def _collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """``Table._collapse_widths``: narrow the widest wrapping columns first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wraps in zip(widths, wrapable, strict=True) if wraps)
            second = max(w if wraps and w != widest else 0 for w, wraps in zip(widths, wrapable, strict=True))
            ratios = [1 if (w == widest and wraps) else 0 for w, wraps in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not widest - second:
                break
            widths = ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """``rich._ratio.ratio_reduce``."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, result = total, []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def ratio_distribute(total: int, ratios: Sequence[int], minimums: Sequence[int] | None = None) -> list[int]:
    """``rich._ratio.ratio_distribute``."""
    if minimums:
        ratios = [ratio if minimum else 0 for ratio, minimum in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    remaining, result = total, []
    for ratio, minimum in zip(ratios, minimums or [0] * len(ratios), strict=True):
        distributed = max(minimum, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        result.append(distributed)
        total_ratio -= ratio
        remaining -= distributed
    return result


# --- the help: typer.rich_utils.rich_format_help ------------------------------------------------------------------


def _padded(lines: list[str], width: int, *, top: int, bottom: int) -> list[str]:
    """``Padding`` of one column each side (and ``top``/``bottom`` blank lines) at the console's width."""
    inner = [" " + set_cell_size(line, width - 2) + " " for line in lines] if width - 2 >= 1 else []
    return [" " * width] * top + inner + [" " * width] * bottom


def _panel(title: str, table: Table, width: int) -> list[str]:
    """``Panel`` (rounded box, title on the left) around a table with one column of padding each side."""
    heading = set_cell_size(f" {title} ", width - 4) if cell_len(f" {title} ") > width - 4 else f" {title} "
    top = "╭─" + heading + "─" * (width - 4 - cell_len(heading)) + "─╮"
    body = [set_cell_size(line, width - 4) for line in table.lines(width - 4)] if width - 4 >= 1 else []
    middle = [f"│{line}│" for line in _padded(body, width - 2, top=0, bottom=0)] if width - 2 >= 1 else []
    return [top, *middle, "╰" + "─" * (width - 2) + "╯"]


def _help_lines(obj: Any, width: int) -> list[str]:
    """``_get_help_text``: the first paragraph as one line, the rest as written."""
    if obj.deprecated:
        raise Unsupported("deprecated")
    help_text = inspect.cleandoc(obj.help or "").partition("\f")[0]
    first, *rest = help_text.split("\n\n")
    if not first.startswith("\b"):
        first = first.replace("\n", " ")
    texts = [checked(inspect.cleandoc(first.strip()))]
    if rest:
        texts += [Text(""), checked(inspect.cleandoc("\n\n".join(rest)))]
    return [line for text in texts for line in text.lines(width - 2)]


def _parameter_help(param: Any, ctx: Any) -> Columns:
    """``_get_parameter_help``: the help, the environment variable, the default, 必填."""
    items = []
    envvar = getattr(param, "envvar", None)
    if envvar is None and getattr(param, "allow_from_autoenv", None) \
            and getattr(ctx, "auto_envvar_prefix", None) is not None and param.name:
        envvar = f"{ctx.auto_envvar_prefix}_{param.name.upper()}"
    if param.help:
        paragraphs = [p.replace("\n", " ").strip() if not p.startswith("\b") else "{}\n".format(p.strip("\b\n"))
                      for p in param.help.split("\n\n")]
        items.append(checked(inspect.cleandoc("\n".join(paragraphs).strip())))
    if envvar and getattr(param, "show_envvar", None):
        shown = envvar if isinstance(envvar, str) else ", ".join(str(d) for d in envvar)
        items.append(Text(RICH_STRINGS["ENVVAR_STRING"].format(shown)))
    default = param._extract_default_help_str(ctx=ctx)
    show_default_is_str = isinstance(param.show_default, str)
    if show_default_is_str or (default is not None and (param.show_default or ctx.show_default)):
        shown = param._get_default_string(ctx=ctx, show_default_is_str=show_default_is_str, default_value=default)
        if shown:
            items.append(Text(RICH_STRINGS["DEFAULT_STRING"].format(shown)))
    if param.required:
        items.append(Text(RICH_STRINGS["REQUIRED_LONG_STRING"]))
    return Columns(items)


def _parameters_panel(title: str, params: list[Any], ctx: Any, width: int) -> list[str]:
    """``_print_options_panel``: names, kind of value and help of each parameter, ``*`` if required."""
    rows = []
    for param in params:
        display = None
        if isinstance(param, TyperArgument):
            display = param.display_name_raw + ("..." if param.metavar is None and param.nargs != 1 else "")
        long = [o for o in param.opts if "--" in o]
        short = [display or o for o in param.opts if "--" not in o]
        if param.secondary_opts:
            raise Unsupported("secondary options")
        kind = param.display_type_rich(ctx=ctx) or ""
        number_range = param._get_number_range_help_str()
        if number_range:
            kind += RANGE_STRING.format(number_range)
        required = Text(REQUIRED_SHORT_STRING if param.required else "")
        rows.append([required, plain(",".join(long)), plain(",".join(short)), Text(""), Text(""), Text(kind, "fold"),
                     _parameter_help(param, ctx)])
    if not any(param.required for param in params):
        rows = [row[1:] for row in rows]
    if not rows:
        return []
    return _panel(title, Table([Column(list(cells)) for cells in zip(*rows, strict=True)], expand=True), width)


def _commands_panel(group: Any, ctx: Any, width: int) -> list[str]:
    """``_print_commands_panel``: each command's name and the first paragraph of its help."""
    commands = [c for c in (group.get_command(ctx, name) for name in group.list_commands(ctx)) if c and not c.hidden]
    if not commands:
        return []
    if any(c.deprecated or getattr(c, "rich_help_panel", None) for c in commands):
        raise Unsupported("deprecated command or own panel")
    names, helps = [], []
    for command in commands:
        paragraph = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        if paragraph.startswith("\b"):
            paragraph = paragraph.replace("\b\n", "")
        names.append(plain(command.name or "", overflow=None))
        helps.append(checked(inspect.cleandoc(paragraph.strip())))
    name_width = max(len(c.name or "") for c in commands)
    table = Table([Column(names, width=name_width, no_wrap=True), Column(helps, ratio=10)], expand=True)
    return _panel(RICH_STRINGS["COMMANDS_PANEL_TITLE"], table, width)


def help_text(obj: Any, ctx: Any, width: int) -> str:
    """The whole help of a command or group, as ``rich_format_help`` prints it without colour at ``width``."""
    if obj.epilog or width < 10:
        raise Unsupported("epilog or narrow console")
    lines = _padded(plain(obj.get_usage(ctx)).lines(width - 2), width, top=1, bottom=1)
    if obj.help:
        lines += _padded(_help_lines(obj, width), width, top=0, bottom=1)
    arguments, options = [], []
    for param in obj.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if getattr(param, "rich_help_panel", None):
            raise Unsupported("own panel")
        if isinstance(param, TyperArgument):
            arguments.append(param)
        elif isinstance(param, TyperOption):
            options.append(param)
    lines += _parameters_panel(RICH_STRINGS["ARGUMENTS_PANEL_TITLE"], arguments, ctx, width)
    lines += _parameters_panel(RICH_STRINGS["OPTIONS_PANEL_TITLE"], options, ctx, width)
    if isinstance(obj, TyperGroup):
        lines += _commands_panel(obj, ctx, width)
    return "".join((set_cell_size(line, width) if cell_len(line) > width else line) + "\n" for line in lines)


def print_plain_help(obj: Any, ctx: Any) -> bool:
    """Print the help of a command or group as rich would without colour, and say so; or print nothing and say
    that rich must (a colour terminal, Windows, or something this module does not draw)."""
    width = plain_width(sys.stdout)
    if width is None:
        return False
    try:
        text = help_text(obj, ctx, width)
    except Unsupported:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True
