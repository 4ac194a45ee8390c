"""A whole office-and-province session through the CLI, giving the same answers on SQLite and PostgreSQL.

Init, three 山西 institutions, two dozen changes over several dates, submit, return one, accept the rest,
deadlines with an iCalendar file, status, diff, and status as of an earlier date.
"""

import json
import os
from datetime import UTC, datetime

import pytest
import time_machine
from icalendar import Calendar
from typer.testing import CliRunner

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.cli import app


def beijing(month, day, hour=10):
    return datetime(2025, month, day, hour - 8, tzinfo=UTC)


END_OF_JUNE = beijing(6, 30, 17)

# (when, code, item, options): twenty-four changes by three offices over four months.
CHANGES = [
    (beijing(3, 3), SHANXI, "support.16.a", ["--status", "推进中", "--value", "560", "--department", "人事处"]),
    (beijing(3, 3), SHANXI, "support.15.c", ["--status", "已完成", "--value", "1.2", "--department", "财务处"]),
    (beijing(3, 10), SHANXI, "guidance.4.a", ["--status", "推进中", "--department", "教务处"]),
    (beijing(3, 20), SHANXI, "guidance.4.b", ["--status", "已完成", "--evidence", "https://jy.sxu.edu.cn/sy"]),
    (beijing(4, 2), SHANXI, "support.16.a", ["--value", "520", "--owner", "王老师"]),
    (beijing(4, 15), SHANXI, "guidance.4.a", ["--status", "已完成", "--value", "38",
                                              "--evidence", "https://jy.sxu.edu.cn/kc"]),
    (beijing(4, 20), SHANXI, "recruitment.7.a", ["--status", "推进中", "--due", "2025/5/31"]),
    (beijing(5, 6), SHANXI, "support.16.a", ["--status", "已完成", "--value", "480",
                                            "--evidence", "https://jy.sxu.edu.cn/ry"]),
    (beijing(5, 20), SHANXI, "supply.2.a", ["--status", "不适用", "--reason", "本年度无新设专业"]),
    (beijing(6, 3), SHANXI, "assistance.11.a", ["--status", "已完成", "--department", "学生工作部"]),
    (beijing(3, 5), TAIYUAN_TECH, "support.16.a", ["--status", "已完成", "--value", "450"]),
    (beijing(3, 5), TAIYUAN_TECH, "support.15.c", ["--status", "推进中", "--value", "0.8"]),
    (beijing(3, 18), TAIYUAN_TECH, "guidance.4.a", ["--status", "已完成", "--value", "36"]),
    (beijing(4, 8), TAIYUAN_TECH, "recruitment.7.b", ["--status", "推进中", "--value", "60", "--period", "2025"]),
    (beijing(5, 12), TAIYUAN_TECH, "support.15.c", ["--value", "1.0", "--status", "已完成"]),
    (beijing(6, 9), TAIYUAN_TECH, "recruitment.7.b", ["--value", "104", "--status", "已完成", "--period", "2025"]),
    (beijing(3, 7), CHANGZHI_VOCATIONAL, "support.16.a", ["--status", "推进中", "--value", "700"]),
    (beijing(3, 25), CHANGZHI_VOCATIONAL, "guidance.4.a", ["--status", "推进中", "--due", "2025-04-30"]),
    (beijing(4, 28), CHANGZHI_VOCATIONAL, "support.16.a", ["--value", "650"]),
    (beijing(5, 15), CHANGZHI_VOCATIONAL, "guidance.4.b", ["--status", "已完成"]),
    (beijing(5, 30), CHANGZHI_VOCATIONAL, "supply.3.c", ["--status", "推进中", "--progress", "40"]),
    (beijing(6, 5), CHANGZHI_VOCATIONAL, "supply.3.c", ["--progress", "80"]),
    (beijing(6, 18), CHANGZHI_VOCATIONAL, "support.16.a", ["--status", "已完成", "--value", "500"]),
    (beijing(6, 20), CHANGZHI_VOCATIONAL, "guidance.4.a", ["--status", "已完成"]),
]


def session(url: str, tmp_path) -> dict[str, object]:
    """Run the whole session against one database; return the answers that must agree across back ends."""
    runner = CliRunner()

    def run(*args, when=END_OF_JUNE, ok=(0,)):
        with time_machine.travel(when, tick=False):
            result = runner.invoke(app, ["--db", url, *map(str, args)])
        assert result.exit_code in ok, (args, result.stdout, result.stderr)
        return result

    run("db", "init")
    for code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL):
        run("institution", "add", code, "--start", "2025-03-01")  # the offices began recording in March
    for when, code, item, options in CHANGES:
        run("record", "set", code, item, *options, "--by", f"{code[-3:]}办", when=when)
    run("review", "submit", SHANXI, "--by", "张老师", when=beijing(6, 21))
    run("review", "return", SHANXI, "support.15.c", "--reason", "缺少预算批复", "--by", "省厅", when=beijing(6, 25))
    run("review", "accept", SHANXI, "--by", "省厅", when=beijing(6, 25))
    ics = tmp_path / f"{len(os.listdir(tmp_path))}.ics"
    # The plan dates set in April (完成时限) have passed by now, but no policy deadline has: nothing is late yet.
    run("deadlines", "--within", "60", "--as-of", "2025-06-30", "--fail-on-overdue")
    deadlines = run("deadlines", "--within", "60", "--as-of", "2025-09-01", "--ics", ics, "--json", "--detail",
                    "--fail-on-overdue", when=beijing(9, 1), ok=(4,))
    return {
        "deadlines": json.loads(deadlines.stdout),
        "calendar": sorted(str(e["UID"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")),
        "status": json.loads(run("status", "--as-of", "2025-06-30", "--json").stdout),
        "status_shanxi": json.loads(run("status", SHANXI, "--as-of", "2025-06-30", "--json").stdout),
        "status_april": json.loads(run("status", "--as-of", "2025-04-30", "--json").stdout),
        "diff": json.loads(run("diff", SHANXI, "--since", "2025-04-01", "--until", "2025-05-31", "--json").stdout),
        "show": json.loads(run("record", "show", SHANXI, "--as-of", "2025-06-30", "--json").stdout),
    }


def test_the_session_answers_are_consistent(tmp_path):
    answers = session(f"sqlite:///{tmp_path / 'session.db'}", tmp_path)
    shanxi = next(row for row in answers["status"]["institutions"] if row["code"] == SHANXI)
    april = next(row for row in answers["status_april"]["institutions"] if row["code"] == SHANXI)
    assert shanxi["total"]["done"] > april["total"]["done"]  # the past is rebuilt, not today's state
    lines = {line["item"]: line for line in answers["show"]["lines"] if line["recorded"]}
    assert lines["support.15.c"]["review"] == "returned" and lines["support.16.a"]["review"] == "accepted"
    changed = {item["item"] for item in answers["diff"]["items"]}
    assert changed == {"support.16.a", "guidance.4.a", "recruitment.7.a", "supply.2.a"}
    assert any(o["standing"] == "overdue" for o in answers["deadlines"]["obligations"])
    assert sum(s["overdue_cumulative"] for s in answers["deadlines"]["schools"]) == len(
        [o for o in answers["deadlines"]["obligations"] if o["standing"] == "overdue"])
    assert answers["calendar"] and all(uid.endswith("@jobpolicy") for uid in answers["calendar"])


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_answers(tmp_path, request):
    postgres = request.getfixturevalue("postgres_url")
    on_sqlite = session(f"sqlite:///{tmp_path / 'session.db'}", tmp_path)
    on_postgres = session(postgres, tmp_path)
    for key in on_sqlite:
        assert without_by_design(on_postgres[key]) == without_by_design(on_sqlite[key]), key


BY_DESIGN = {
    "change_id",  # each command's random change id
    "login",  # the database login that wrote an event: PostgreSQL's session_user; an SQLite file has no logins
}


def without_by_design(answer):
    """Drop the values that differ by design (``BY_DESIGN``)."""
    if isinstance(answer, dict):
        return {k: without_by_design(v) for k, v in answer.items() if k not in BY_DESIGN}
    if isinstance(answer, list):
        return [without_by_design(v) for v in answer]
    return answer
