"""History only grows: every command, run as its own help's 示例 shows (and again on a school with records, submitted
and reviewed), leaves the event log as it was or longer, every earlier event unchanged."""

from __future__ import annotations

import shlex

import typer
from sqlalchemy import text

from codes import SHANXI
from jobpolicy.cli import app


def examples() -> dict[str, list[str]]:
    """Every command's path and the 示例 line its help ends with, as arguments."""
    found: dict[str, list[str]] = {}

    def walk(command, path: list[str]) -> None:
        if hasattr(command, "commands"):  # a group
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
            return
        [line] = [line for line in (command.help or "").splitlines() if line.strip().startswith("示例：")]
        found[" ".join(path)] = shlex.split(line.strip().removeprefix("示例："))[1:]  # without "jobpolicy"

    walk(typer.main.get_command(app), [])
    return found


# Before the examples: a school with records, a submission and a review, so the examples have history to keep.
FIRST = [
    ["record", "set", SHANXI, "support.16.a", "--status", "已完成", "--value", "480", "--by", "张老师"],
    ["record", "set", SHANXI, "supply.2.a", "--status", "推进中", "--note", "初稿", "--by", "张老师"],
    ["review", "submit", SHANXI, "--by", "张老师"],
    ["review", "return", SHANXI, "supply.2.a", "--reason", "缺少名单", "--by", "省厅"],
    ["checklist", "export", "--out", "清单"],
    ["db", "backup", "备份.db"],
]


def event_rows(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT * FROM event ORDER BY id"))]


def test_every_command_leaves_the_event_count_the_same_or_higher(run_db, engine):
    commands = examples()
    assert len(commands) >= 35  # the walk found the commands (each one has its 示例)
    history = event_rows(engine)
    ran = []
    for args in [*FIRST, *commands.values(), *FIRST[:3]]:
        result = run_db(*args)
        ran.append(" ".join(args))
        now = event_rows(engine)
        assert len(now) >= len(history), f"{ran[-1]}: {len(history)} events before, {len(now)} after"
        assert now[: len(history)] == history, f"{ran[-1]} changed an earlier event"
        assert "内部错误" not in result.output, ran[-1]
        history = now
    assert len(history) > 5  # the commands wrote history, so keeping it was tested
    assert {path for path, args in commands.items() if " ".join(args) in ran} == set(commands)
