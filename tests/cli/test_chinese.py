"""Every string the CLI shows is Chinese: every command's --help and every kind of usage error, typer's own words
included; and the help stays whole at 80 columns.

A word is a run of ASCII letters. It may stand only if it is the name of a command, a choice an option takes, or a
product or file-format name that Chinese software also writes in Latin letters (PROPER_NAMES), a parameter's default
path, or what the user typed. Runs that hold a digit or one of ``. _ @ / : - \\`` (after a trailing ``.`` or ``:``
is dropped) are ids, option names, file names, URLs or environment variable names, and are skipped.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import PurePath

import pytest
import typer
from rich.cells import cell_len

from jobpolicy.cli import app

# Names Chinese users meet in Latin letters in their own software; each one is a product, a format or a catalog key.
PROPER_NAMES = {
    "Excel", "WPS", "Outlook", "CSV", "JSON", "HTML", "YAML", "UTF", "BOM", "SQLite", "PostgreSQL",
    "PDF", "Word", "PowerPoint", "OFD", "MB",  # the formats offices send as evidence (佐证材料), and their size
    # keys of the catalog format (docs/catalog-format.md), written as the catalog author types them
    "replaces", "notes",
}
WIDTH = 80
TOKEN = re.compile(r"[A-Za-z0-9._@/:\\\-]+")


def tree():
    """Every command path, groups included, discovered from the app."""
    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def allowed_words() -> set[str]:
    words = set(PROPER_NAMES) | {"jobpolicy"}
    for path, command in tree():
        words.update(path)
        for param in command.params:
            if isinstance(param.default, PurePath):
                words.add(str(param.default))
            desc = getattr(param, "type_descriptor", None)
            for choice in (desc.choices if desc is not None and desc.choices else ()):
                words.add(str(choice.value if isinstance(choice, Enum) else choice))
    return words


ALLOWED = allowed_words()


def english_words(text: str, typed: tuple[str, ...] = ()) -> list[str]:
    """The English words in ``text`` that are not allowed (see the module docstring)."""
    found = []
    for token in TOKEN.findall(text):
        token = token.rstrip(".:")
        if not token or re.search(r"[0-9._@/:\\\-]", token):
            continue  # an id, option, file name, URL or environment variable
        if token not in ALLOWED and token not in typed:
            found.append(token)
    return found


@pytest.fixture
def at_80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("TERMINAL_WIDTH", str(WIDTH))


def squeeze(text: str) -> str:
    return re.sub(r"[\s│╭╮╰╯─]", "", text)


@pytest.mark.parametrize(("path", "command"), tree(), ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_help_is_chinese_and_whole_at_80_columns(run, at_80_columns, path, command):
    result = run(*path, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert english_words(text) == [], text
    assert max(cell_len(line) for line in text.splitlines()) <= WIDTH, text
    shown = squeeze(text)
    for param in command.params:  # nothing cut off with an ellipsis: every help text is there in full
        if getattr(param, "help", None):
            assert squeeze(param.help) in shown, (param.name, text)
    assert squeeze(command.help.split("\n\n")[0]) in shown, text


USAGE_ERRORS = {
    "missing argument": (["record", "set", "4114010108"], "错误: 缺少参数“检查项”"),
    "missing arguments (several)": (["checklist", "import"], "错误: 缺少参数“清单文件”"),
    "missing option": (["review", "return", "4114010108", "support.16.a"], "错误: 缺少选项 --reason"),
    "missing option with choices": (["export", "--out", "x"], "错误: 缺少选项 --format（可选: json、csv）"),
    "missing option value": (["record", "set", "4114010108", "support.16.a", "--status"],
                             "错误: 选项 --status 后面缺少值"),
    "value given to a flag": (["db", "info", "--json=yes"], "错误: 选项 --json 不带值"),
    "bad choice": (["checklist", "export", "4114010108", "--out", "x", "--format", "pdf"],
                   "错误: --format 不能是“pdf”，只能是 xlsx、csv"),
    "bad integer": (["deadlines", "--within", "三十"], "错误: --within 应为整数，不能是“三十”"),
    "bad number": (["status", "--fail-under", "八十"], "错误: --fail-under 应为数字，不能是“八十”"),
    "number out of range": (["status", "--fail-under", "101"], "错误: --fail-under 超出范围（0 到 100），不能是 101"),
    "unknown option": (["record", "set", "4114010108", "support.16.a", "--stat", "已完成"],
                       "错误: 没有选项 --stat"),
    "unknown short option": (["record", "show", "-x"], "错误: 没有选项 -x"),
    "unknown option of a group": (["record", "--all"], "错误: 没有选项 --all"),
    "extra argument": (["record", "set", "4114010108", "support.16.a", "--note", "很好", "真的"],
                       "错误: 多余的参数：真的"),
    "no such command": (["nonsense"], "错误: 没有命令“nonsense”"),
    "near miss of a command": (["record", "sett"], "错误: 没有命令“sett”，您是不是要找：set"),
    "near miss of a top-level command": (["stauts"], "错误: 没有命令“stauts”，您是不是要找：status"),
    "options but no command": (["--debug"], "错误: 缺少命令"),
    "options that cannot go together": (["status", "4114010108", "--province", "山西"],
                                        "错误: 指定学校时不能再用 --province"),
}


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_are_chinese(run, args, line):
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("用法: jobpolicy")
    assert line in lines
    assert lines[-1].startswith("提示: ") and lines[-1].endswith("查看帮助")
    assert english_words(result.stdout + result.stderr, typed=tuple(args)) == [], result.stderr


def test_a_near_miss_of_an_option_is_named(run):
    result = run("record", "set", "4114010108", "support.16.a", "--stat", "已完成")
    assert result.stderr.splitlines()[-1] == "提示: 您是不是要找：--status；运行 jobpolicy record set -h 查看帮助"


def test_a_value_with_a_space_gets_a_quoting_hint(run):
    result = run("record", "set", "4114010108", "support.16.a", "--note", "很好", "真的")
    assert result.stderr.splitlines()[-1] == (
        '提示: 含空格的内容要用英文双引号括起来，如 --note "两个 词"；运行 jobpolicy record set -h 查看帮助')


def test_usage_errors_are_json_in_json_mode(run):
    import json

    result = run("db", "info", "--json", "--nonsense")
    assert result.exit_code == 2 and result.stderr == ""
    assert json.loads(result.stdout) == {"error": {
        "code": "usage_error", "message": "没有选项 --nonsense", "hint": "运行 jobpolicy db info -h 查看帮助"}}


def test_no_arguments_shows_the_help(run):
    result = run("record")
    assert result.exit_code == 2
    assert "用法: jobpolicy record [选项] 命令 [参数]..." in result.stdout
    assert result.stderr == ""


def test_the_word_check_finds_typers_english():
    assert english_words("Usage: jobpolicy [OPTIONS] <str> Show this message and exit. 0<=x<=100") == [
        "Usage", "OPTIONS", "str", "Show", "this", "message", "and", "exit", "x"]
    assert english_words("gse-2025@2025.1 support.16.a 山西大学.xlsx https://x.cn/a JOBPOLICY_DB --dry-run") == []
