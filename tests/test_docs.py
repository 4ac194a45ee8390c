"""Docs stay honest: the CLI reference is generated, lists every command, and exit codes match the code."""

import subprocess
import sys
from pathlib import Path

import typer

from jobpolicy.cli import app
from jobpolicy.errors import ExitCode

ROOT = Path(__file__).parents[1]


def command_paths():
    def walk(command, path):
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return [" ".join(["jobpolicy", *p]) for p in walk(typer.main.get_command(app), [])]


def test_cli_reference_is_up_to_date():
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", "docs/cli.md"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, "docs/cli.md is stale: run `cog -r docs/cli.md`\n" + result.stdout + result.stderr


def test_every_command_is_in_the_cli_reference():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path in command_paths():
        assert f"## `{path}`" in text, path


def test_exit_codes_are_documented():
    text = (ROOT / "docs" / "exit-codes.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} | `{code.name}` |" in text, code


GUIDE = ROOT / "docs" / "guide-zh.md"


def test_the_chinese_guide_runs_only_commands_and_options_that_exist():
    """Every ``jobpolicy …`` line the guide tells an office to type parses: its command exists, and so does
    each option it uses (a guide that names a removed option sends the reader to an error)."""
    root = typer.main.get_command(app)
    blocks = GUIDE.read_text(encoding="utf-8").split("```")[1::2]  # the code blocks: what a reader types
    typed = [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("jobpolicy ")]
    assert len(typed) >= 12  # the guide has its examples in code blocks
    for line in typed:
        command, options = root, []
        for word in line.split()[1:]:
            if word.startswith("--"):
                options.append((command, word))
            elif word in getattr(command, "commands", {}):
                command = command.commands[word]
        assert not hasattr(command, "commands"), f"not a command: {line}"
        for owner, option in options:
            assert option in {name for param in owner.params for name in param.opts}, f"{option}: {line}"


def test_the_chinese_guide_links_resolve():
    import re

    for target in re.findall(r"\]\(([^)#]+)", GUIDE.read_text(encoding="utf-8")):
        assert (GUIDE.parent / target).exists(), target


RELIABILITY = ROOT / "docs" / "reliability.md"


def _defined_tests(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}


def test_every_test_the_reliability_table_names_exists():
    """A row naming a test that was renamed or removed proves nothing: every ``tests/….py`` and every
    ``::test_…`` after it (a bare ``::test_…`` belongs to the file named last before it) must exist."""
    import re

    text = RELIABILITY.read_text(encoding="utf-8")
    missing, current, checked = [], None, 0
    for path, name in re.findall(r"(tests/[\w/]+\.py)|::(test_\w+)", text):
        if path:
            current = ROOT / path
            if not current.exists():
                missing.append(path)
            continue
        checked += 1
        if current is None or not current.exists() or name not in _defined_tests(current):
            missing.append(f"{current and current.relative_to(ROOT)}::{name}")
    assert checked > 100  # the pattern still finds the table's tests
    assert missing == []
