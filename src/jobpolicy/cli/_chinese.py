"""Typer's own words in Chinese: help panels, usage lines, kinds of value, and usage errors.

Every hook is typer's own: the fixed strings and the highlighter in ``typer.rich_utils``, the command and group
classes (``cls=``), ``options_metavar`` and ``subcommand_metavar``, and the methods Click's parser and help call on
commands and parameters. Typer 0.29 vendors a Click without gettext, so its messages cannot be translated by a
catalog; :func:`usage_error_text` builds each message in Chinese from the exception's own fields instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache, partial
from pathlib import PurePath
from types import ModuleType
from typing import Any, get_args

import typer
from typer._click.exceptions import (  # typer exports no public names for these
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._coercion import RuntimeParam, build_runtime_param  # typer's value checks (see _AsGiven)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from jobpolicy.cli._help_strings import RICH_STRINGS
from jobpolicy.domain.matching import did_you_mean, nearest

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
USAGE_PREFIX = "用法: "
HELP_OPTION_HELP = "显示本帮助并退出。"

# The kind of value an option takes, as its help shows it; a flag takes none.
KINDS: dict[type, str] = {str: "文本", int: "整数", float: "数字", date: "日期", datetime: "时间"}


@cache
def use_chinese_help() -> None:
    """Make typer's rich help and errors print Chinese, and fold long Chinese lines (once).

    Called when help is printed, not at import: rich is loaded only then, so commands start fast.
    """
    rich_utils = _rich_utils()

    class FoldingHighlighter(rich_utils.OptionHighlighter):
        """typer's highlighter, also letting a run of Chinese longer than its column fold instead of being cut.

        Rich breaks lines only at spaces, and a table cell crops a longer "word" with an ellipsis; Chinese has no
        spaces, so without this most option help is cut off at 80 columns.
        """

        def highlight(self, text: Any) -> None:
            super().highlight(text)
            text.overflow = "fold"

    for name, value in RICH_STRINGS.items():
        setattr(rich_utils, name, value)
    rich_utils.highlighter = FoldingHighlighter()


# What typer.rich_utils imports at its top for Markdown help and pretty tracebacks, neither of which jobpolicy uses
# (plain ``rich`` markup; ``pretty_exceptions_enable=False``): markdown-it and pygments, 45 ms of CPU of a 230 ms
# ``jobpolicy --help``.
_UNUSED_RICH = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


class _Unused:
    """Stands in for a rich class that typer imports and jobpolicy's help never uses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("jobpolicy 的帮助不使用 Markdown 或 rich 的调用栈显示")


def _rich_utils() -> Any:
    """``typer.rich_utils``, imported without loading the rich modules it would import for nothing.

    Stand-ins sit in ``sys.modules`` only while it is imported, then leave: anything importing ``rich.markdown``
    or ``rich.traceback`` later gets the real module (only typer.rich_utils keeps the stand-ins).
    """
    if "typer.rich_utils" in sys.modules:
        return sys.modules["typer.rich_utils"]
    stand_ins = {}
    for module, name in _UNUSED_RICH.items():
        if module not in sys.modules:
            stand_ins[module] = sys.modules[module] = ModuleType(module)
            setattr(stand_ins[module], name, _Unused)
    try:
        from typer import rich_utils
    finally:
        for module, stand_in in stand_ins.items():
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
    return rich_utils


# --- parameters --------------------------------------------------------------------------------------------------


def value_kind(param: Any) -> str:
    """The kind of value a parameter takes, in Chinese (文本, 整数, 日期, 文件…); empty for a flag."""
    if getattr(param, "is_flag", False):
        return ""
    desc = param.type_descriptor
    if desc.is_choice:
        return "|".join(str(c.value if isinstance(c, Enum) else c) for c in desc.choices or ())
    annotation = get_args(desc.annotation)[0] if desc.is_list else desc.annotation
    if isinstance(annotation, type) and issubclass(annotation, PurePath):
        info = desc.parameter_info
        return "文件" if not info.dir_okay else "文件夹" if not info.file_okay else "路径"
    return next((word for kind, word in KINDS.items() if annotation is kind), "值")


def _range(low: float | None, high: float | None) -> str | None:
    if low is None and high is None:
        return None
    if low is None:
        return f"不大于 {high}"
    if high is None:
        return f"不小于 {low}"
    return f"{low} 到 {high}"


def _display_type_rich(param: Any, ctx: Any) -> str | None:
    # An option shows the kind of value it takes (or its metavar); an argument only its name (its metavar),
    # which already says what it is.
    if isinstance(param, TyperArgument):
        return ""
    return param.metavar if param.metavar is not None else value_kind(param)


def _number_range(param: Any) -> str | None:
    return _range(param.min, param.max)


@dataclass(frozen=True)
class _AsGiven(RuntimeParam):
    """A text or a flag taken as given, without the pydantic TypeAdapter typer would build to check it.

    Typer 0.29 checks every value through pydantic: importing it and building an adapter per parameter cost more
    CPU than ``jobpolicy status --help`` needs in all (the root's options are checked before a command's help).
    A value that already is a ``str`` (from the command line or the environment) or a ``bool`` (a flag) needs no
    checking; anything else goes through typer's own conversion.
    """

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is self.annotation:
            return value
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)


def _runtime_param(param: Any) -> Any:
    desc = param.type_descriptor
    if param._runtime_param is None and desc.annotation in (str, bool) and desc.parameter_info.parser is None \
            and desc.file_annotation is None:
        param._runtime_param = _AsGiven(annotation=desc.annotation, parameter_info=desc.parameter_info)
    return type(param).__mro__[1].get_runtime_param(param)  # typer's own, which keeps one already made


class ChineseArgument(TyperArgument):
    """A typer argument whose help is in Chinese, and whose text is taken as given (``_AsGiven``)."""

    __slots__ = ()  # no state of its own, so a typer argument can become one (see _adopt)
    display_type_rich = _display_type_rich
    _get_number_range_help_str = _number_range
    get_runtime_param = _runtime_param


class ChineseOption(TyperOption):
    """A typer option whose help is in Chinese, and whose text or flag is taken as given (``_AsGiven``)."""

    __slots__ = ()
    display_type_rich = _display_type_rich
    _get_number_range_help_str = _number_range
    get_runtime_param = _runtime_param


def _adopt(param: Any) -> None:
    # typer builds TyperArgument/TyperOption itself and offers no hook for the class; help asks the parameter
    # for its type display, so each parameter joins the subclass that answers in Chinese (same data, no copy).
    if type(param) is TyperArgument:
        param.__class__ = ChineseArgument
    elif type(param) is TyperOption:
        param.__class__ = ChineseOption


# --- commands and groups -----------------------------------------------------------------------------------------


class ExtraArguments(UsageError):
    """More arguments than the command takes (often a value with a space, not quoted)."""


def _drew_plain_help(command: Any, ctx: Any) -> bool:
    """Draw the help without loading rich's console where rich would draw it without colour (piped, redirected);
    imported here, as rich is, so that a command that shows no help loads neither. The plain drawing follows rich's
    and typer's internals: should a release move one, rich draws the help instead of the user meeting a traceback
    (nothing is written before the whole text is built; tests/cli/test_plain_help.py fails on the fallback)."""
    try:
        from jobpolicy.cli._plain_help import print_plain_help

        return print_plain_help(command, ctx)
    except Exception:  # rich's own drawing is the fallback for anything the copy cannot do
        return False


class _ChineseCommandMixin:
    """Usage line, help option and unexpected-argument error of a command or group, in Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _adopt(param)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if not (typer.core.HAS_RICH and self.rich_markup_mode == "rich" and _drew_plain_help(self, ctx)):
            use_chinese_help()
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
            _adopt(option)
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        extra_allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True  # Click would refuse extra arguments in English; refuse them below instead
        try:
            rest = super().parse_args(ctx, args)
        except UsageError as exc:
            if exc.ctx is None:  # Click's parser raises without the context; the message needs its command
                exc.ctx, exc.cmd = ctx, self
            raise
        finally:
            ctx.allow_extra_args = extra_allowed
        if rest and not extra_allowed and not ctx.resilient_parsing:
            raise ExtraArguments(f"多余的参数：{' '.join(rest)}", ctx)
        return rest


class Command(_ChineseCommandMixin, TyperCommand):
    """A typer command whose help and usage errors are Chinese."""


class _Commands(MutableMapping):
    """A group's subcommands by name, in typer's order, each built by typer the first time it is asked for.

    Typer builds every command of the tree before it parses a word, inspecting each function's signature and
    making each parameter: 15 ms of CPU, a tenth of ``jobpolicy --help``. ``jobpolicy status CODE`` needs
    ``status`` alone, and the root's help its commands and groups but none of the groups' commands.
    """

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        self._makers = makers  # name -> what builds it, in the order typer lists them
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._makers[name]()
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._makers.setdefault(name, lambda: command)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._makers[name]
        self._built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


class Group(_ChineseCommandMixin, TyperGroup):
    """A typer group whose help and usage errors are Chinese, and which names a mistyped command's neighbours.

    Each ``App`` has its own subclass, which knows the App (``app``): the group builds its commands from the App's
    when they are asked for (``_Commands``), as typer would have built them all at once.
    """

    app: App | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.app is not None:
            self.commands = _Commands({**self.app.command_makers(self), **self.commands})

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # typer's own reads every command, which would build them all

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            near = did_you_mean(nearest(name, self.list_commands(ctx)))
            raise UsageError(f"没有命令“{name}”" + (f"，{near}" if near else ""), ctx)
        return super().resolve_command(ctx, args)


class App(typer.Typer):
    """typer.Typer whose groups and commands speak Chinese; every command group of jobpolicy is one.

    Its commands and groups are kept aside rather than in typer's lists, which typer would build all at once; the
    App's group builds each when it is first asked for (``Group``, ``_Commands``), with typer's own functions.
    """

    def __init__(self, **kwargs: Any) -> None:
        base = kwargs.pop("cls", Group)
        group = type(base.__name__, (base,), {})  # this App's own, so that its groups know it (``Group.app``)
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(cls=group, **kwargs)
        group.app = self
        self._commands: list[Any] = []  # typer's CommandInfo of each command, in the order they were added
        self._groups: list[Any] = []  # typer's TyperInfo of each group

    def command(self, name: str | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", Command)
        register = super().command(name, **kwargs)

        def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
            register(function)
            self._commands.append(self.registered_commands.pop())
            return function

        return decorator

    def add_typer(self, typer_instance: typer.Typer, **kwargs: Any) -> None:
        super().add_typer(typer_instance, **kwargs)
        self._groups.append(self.registered_groups.pop())

    def command_makers(self, group: Group) -> dict[str, Callable[[], Any]]:
        """What builds each of this App's commands and groups, by name, in typer's order (commands first), with the
        settings typer would pass down."""
        short = self.pretty_exceptions_short
        makers: dict[str, Callable[[], Any]] = {}
        for info in self._commands:
            name = info.name or typer.main.get_command_name(info.callback.__name__)
            makers[name] = partial(typer.main.get_command_from_info, info, pretty_exceptions_short=short,
                                   rich_markup_mode=group.rich_markup_mode)
        for info in self._groups:
            name = typer.main.solve_typer_info_defaults(info).name
            makers[name] = partial(typer.main.get_group_from_info, info, pretty_exceptions_short=short,
                                   suggest_commands=group.suggest_commands, rich_markup_mode=group.rich_markup_mode)
        return makers


# --- usage errors ------------------------------------------------------------------------------------------------


def _param_name(param: Any) -> str:
    if isinstance(param, TyperOption):
        return " / ".join(param.opts)
    return f"参数“{param.metavar or param.name}”"


def _invalid_value(exc: BadParameter) -> str:
    """What was wrong with a value typer could not convert, from pydantic's error (its type, input, limits)."""
    cause = exc.__cause__
    if exc.param is None or not hasattr(cause, "errors"):
        return exc.message  # raised by our own code, in Chinese
    error = cause.errors()[0]
    given = error.get("input")
    name = _param_name(exc.param)
    choices = exc.param.type_descriptor.choices
    if choices:
        allowed = "、".join(str(c.value if isinstance(c, Enum) else c) for c in choices)
        return f"{name} 不能是“{given}”，只能是 {allowed}"
    limits = error.get("ctx") or {}
    if error["type"] in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{name} 超出范围（{_range(exc.param.min, exc.param.max)}），不能是 {given}"
    kind = value_kind(exc.param)
    if error["type"] in ("int_parsing", "int_from_float", "float_parsing"):
        return f"{name} 应为{kind}，不能是“{given}”"
    return f"{name} 的值“{given}”无效" + (f"（{limits}）" if limits else "")


def usage_error_text(exc: ClickException) -> tuple[str, str | None]:
    """A usage error as (message, hint) in Chinese, built from the exception's fields rather than its English."""
    ctx = getattr(exc, "ctx", None)
    help_hint = f"运行 {ctx.command_path} {ctx.help_option_names[0]} 查看帮助" if ctx is not None else None
    if isinstance(exc, MissingParameter) and exc.param is not None:
        what = "选项 " if isinstance(exc.param, TyperOption) else ""
        message = f"缺少{what}{_param_name(exc.param)}"
        choices = exc.param.type_descriptor.choices
        if choices:
            message += f"（可选: {'、'.join(str(c.value if isinstance(c, Enum) else c) for c in choices)}）"
        return message, help_hint
    if isinstance(exc, NoSuchOption):
        near = f"{did_you_mean(sorted(exc.possibilities))}；" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}", near + (help_hint or "")
    if isinstance(exc, BadOptionUsage):
        option = _find_option(ctx, exc.option_name)
        if option is not None and option.is_flag:
            return f"选项 {exc.option_name} 不带值", help_hint
        return f"选项 {exc.option_name} 后面缺少值", help_hint
    if isinstance(exc, BadParameter):
        return _invalid_value(exc), help_hint
    if isinstance(exc, ExtraArguments):
        return exc.message, "含空格的内容要用英文双引号括起来，如 --note \"两个 词\"；" + (help_hint or "")
    return exc.message, help_hint


def is_help_shown(exc: ClickException) -> bool:
    """Whether the error is only "no arguments, so the help was shown" (nothing more to print)."""
    return isinstance(exc, NoArgsIsHelpError)


def _find_option(ctx: Any, name: str) -> Any:
    if ctx is None:
        return None
    return next((p for p in ctx.command.get_params(ctx) if name in getattr(p, "opts", ())), None)
