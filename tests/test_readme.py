"""The README has exactly two set-up commands, and .ci/run runs the test one verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert "jobpolicy" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    assert setup_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
