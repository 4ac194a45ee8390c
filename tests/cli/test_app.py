"""The root command: help for every command, version, the error boundary, and a fast --help."""

import subprocess
import sys

import pytest
import typer

from jobpolicy import __version__
from jobpolicy.cli import app


def all_commands():
    root = typer.main.get_command(app)

    def walk(command, path):
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    return list(walk(root, []))


@pytest.mark.parametrize(("path", "command"), all_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_every_command_has_help_text_with_an_example(path, command):
    assert command.help and command.help.strip(), path
    assert "示例：jobpolicy " + " ".join(path) in command.help, path
    for param in command.params:
        if param.name not in ("help",):
            assert getattr(param, "help", None), f"{' '.join(path)} {param.name}"


def test_every_group_has_help_text():
    root = typer.main.get_command(app)
    assert root.help
    for name, group in root.commands.items():
        assert group.help, name


def test_version(run):
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"jobpolicy {__version__}\n")


def test_unknown_command_is_a_usage_error(run):
    assert run("nonsense").exit_code == 2


def test_unexpected_errors_are_one_line_without_traceback(run, monkeypatch):
    import jobpolicy.services.catalog as catalog

    monkeypatch.setattr(catalog, "bundled_policies", lambda: 1 / 0)
    result = run("policy", "list")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误: 内部错误（ZeroDivisionError: division by zero）",
        "提示: 请加 --debug 重新运行，并把输出发给维护人员",
    ]


def test_debug_shows_the_traceback(run, monkeypatch):
    import jobpolicy.services.catalog as catalog

    monkeypatch.setattr(catalog, "bundled_policies", lambda: 1 / 0)
    result = run("--debug", "policy", "list")
    assert isinstance(result.exception, ZeroDivisionError)


def fresh_python(code: str) -> subprocess.CompletedProcess:
    """``code`` run by a fresh interpreter (what it imports is what a command would), which must succeed."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["report", "institution", "--help"],
                                  ["status", "--no-such-option"], []])
def test_help_and_usage_errors_do_not_import_heavy_libraries(args):
    # ``jobpolicy --help`` must stay fast: SQLAlchemy, pydantic, jinja and openpyxl load only when a command runs;
    # rich loads for help only, without the Markdown and traceback modules typer would import for nothing.
    code = (
        "import sys\n"
        "from jobpolicy.cli import app\n"
        f"try:\n    app({args!r}, prog_name='jobpolicy')\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'pydantic', 'jinja2', 'openpyxl', 'yaml', 'dateutil', 'markdown_it',"
        " 'pygments', 'alembic')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}), file=sys.stderr)\n"
        "print(sorted(m for m in sys.modules if m in ('rich.markdown', 'rich.traceback')), file=sys.stderr)\n"
    )
    assert fresh_python(code).stderr.splitlines()[-2:] == ["[]", "[]"]


def test_rich_markdown_is_the_real_module_after_help():
    # The stand-ins typer.rich_utils is imported with leave sys.modules: a later import gets rich's own module.
    code = (
        "from jobpolicy.cli import app\n"
        "try:\n    app(['--help'], prog_name='jobpolicy')\nexcept SystemExit:\n    pass\n"
        "import rich.markdown, rich.traceback\n"
        "print(rich.markdown.Markdown.__module__, rich.traceback.Traceback.__module__)\n"
    )
    assert fresh_python(code).stdout.splitlines()[-1] == "rich.markdown rich.traceback"


def test_a_command_closes_its_database_before_the_process_ends(tmp_path):
    # main() skips the interpreter's final cycle collection (gc.freeze); the command's connections are closed
    # before that, so SQLite folds its write-ahead log back into the file: a copy of the .db alone is whole.
    database = tmp_path / "就业.db"
    done = subprocess.run([sys.executable, "-m", "jobpolicy", "--db", str(database), "db", "init"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("就业.db")) == ["就业.db"]


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "jobpolicy", "--version"], capture_output=True, text=True)
    assert result.stdout == f"jobpolicy {__version__}\n"


def test_a_group_builds_a_command_only_when_it_is_asked_for(monkeypatch):
    # Typer would build every command's parameters before parsing a word; ``status CODE`` needs ``status`` alone.
    built = []
    build = typer.main.get_command_from_info

    def counting(info, **settings):
        built.append(info.callback.__name__)
        return build(info, **settings)

    monkeypatch.setattr(typer.main, "get_command_from_info", counting)
    root = typer.main.get_command(app)
    assert built == []
    assert root.get_command(None, "status").name == "status"
    assert "policy" in root.commands and root.list_commands(None)[:2] == ["status", "diff"]
    assert built == ["status"]
    assert [c.name for c in root.commands["policy"].commands.values()][:1] == ["list"]
    assert built[0] == "status" and len(built) > 2


def test_reading_commands_do_not_import_the_catalog_load_machinery():
    # A stored catalog was checked when it was loaded: status and a school's report build it from its YAML alone.
    code = (
        "import sys\n"
        "import jobpolicy.cli.status, jobpolicy.services.status, jobpolicy.services.reports\n"
        "print(sorted(m for m in sys.modules if m in ('jobpolicy.domain.catalog_checks', 'jobpolicy.services.policies',"
        " 'jobpolicy.services.record_migration', 'jobpolicy.services.database')))\n"
    )
    assert fresh_python(code).stdout.splitlines()[-1] == "[]"
