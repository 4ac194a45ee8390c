"""A school added today: nothing from before its start is overdue in deadlines, status or record show; and status
and deadlines agree on both overdue counts (当期逾期, 累计逾期) on the same data."""

import json
from datetime import UTC, datetime

import pytest
import time_machine

from codes import SHANXI, TAIYUAN_TECH

TODAY = datetime(2026, 11, 29, 2, tzinfo=UTC)  # 10:00 in Beijing
PEKING = "4111010001"  # 北京大学, 本科


@pytest.fixture
def today(run_db):
    """Run commands on 2026-11-29 with the clock stopped."""
    with time_machine.travel(TODAY, tick=False):
        yield run_db


def test_a_school_added_today_owes_nothing_from_before_it_was_added(today):
    assert today("institution", "add", PEKING).exit_code == 0
    deadlines = json.loads(today("deadlines", "--institution", PEKING, "--json").stdout)
    assert (deadlines["overdue_cumulative"], deadlines["overdue_current"]) == (0, 0)
    status = json.loads(today("status", PEKING, "--json").stdout)
    assert (status["tracking_start"], status["total"]["overdue_current"], status["total"]["overdue_cumulative"]) == (
        "2026-11-29", 0, 0)
    shown = json.loads(today("record", "show", PEKING, "--json").stdout)
    assert [line["item"] for line in shown["lines"] if line["standing"] == "overdue"] == []
    # This year's annual report counts (due 31 December), not last year's.
    report = {line["period"]: line for line in shown["lines"] if line["item"] == "evaluation.14.a"}
    assert (report["2026"]["counted"], report["2026"]["standing"]) == (True, "not_due")
    assert "2025" not in report
    text = today("deadlines", "--institution", PEKING, "--within", "40").stdout.splitlines()
    assert text[-1] == "截至 2026-11-29（北京大学）：累计逾期 0 项（含往期；其中当期逾期 0 项），40 天内到期 1 项"


def test_what_fell_due_before_the_start_is_shown_apart_and_can_still_be_recorded(today):
    today("institution", "add", PEKING)
    listed = today("deadlines", "--institution", PEKING, "--before-start", "--json")
    before = [(o["item"]["id"], o["period"], o["standing_label"]) for o in json.loads(listed.stdout)["before_start"]]
    assert ("evaluation.14.a", "2025", "启用前") in before and ("support.15.b", "2026", "启用前") in before
    text = today("deadlines", "--institution", PEKING, "--before-start").stdout.splitlines()
    assert text[0] == "启用前（截止日期早于开始跟踪日期，不算逾期、不计入比率，仍可补填）："  # nothing else is owed
    assert any(line.startswith("【启用前】  2025-12-31  北京大学（4111010001）  evaluation.14.a [2025]") for line in text)
    recorded = today("record", "set", PEKING, "evaluation.14.a", "--period", "2025", "--status", "已完成")
    assert recorded.exit_code == 0
    shown = today("record", "show", PEKING, "evaluation.14.a").stdout.splitlines()
    assert shown[1] == "【启用前】截止日期早于开始跟踪日期，不算逾期、不计入比率，仍可补填。"
    assert any("evaluation.14.a [2025]  已完成｜草稿  截止 2025-12-31  【启用前】" in line for line in shown)
    status = json.loads(today("status", PEKING, "--json").stdout)["total"]
    assert (status["done"], status["overdue_cumulative"]) == (0, 0)  # 2026's report counts, not the one recorded


def test_record_show_puts_the_plan_beside_the_deadline_and_marks_late_work(today):
    today("record", "set", SHANXI, "evaluation.14.b", "--period", "2026", "--status", "推进中", "--due", "2026-12-15")
    shown = today("record", "show", SHANXI, "evaluation.14.b").stdout.splitlines()
    assert any("evaluation.14.b [2026]  推进中｜草稿  截止 2026-09-30（完成时限 2026-12-15）  【逾期】" in line
               for line in shown)
    today("record", "set", SHANXI, "evaluation.14.b", "--period", "2026", "--status", "已完成")
    shown = today("record", "show", SHANXI, "evaluation.14.b", "--json").stdout
    line = next(x for x in json.loads(shown)["lines"] if x["period"] == "2026")
    assert (line["deadline"], line["plan"], line["standing"], line["standing_label"]) == (
        "2026-09-30", "2026-12-15", "done_late", "逾期完成")
    status = json.loads(today("status", SHANXI, "--json").stdout)["total"]
    assert (status["done"], status["done_late"]) == (1, 1)


def test_status_and_deadlines_agree_on_both_counts(today):
    today("record", "set", SHANXI, "evaluation.14.a", "--period", "2025", "--status", "推进中")
    today("record", "set", TAIYUAN_TECH, "recruitment.7.b", "--period", "2026", "--status", "已完成")
    today("institution", "set-start", TAIYUAN_TECH, "2026-01-01")
    today("institution", "add", PEKING)
    for as_of in ("2025-12-25", "2026-03-01", "2026-11-29"):
        check_agreement(today, as_of)


def test_status_and_deadlines_agree_on_every_past_month(run_monthly):
    with time_machine.travel(TODAY, tick=False):
        run_monthly("record", "set", SHANXI, "assistance.1.a", "--period", "2025-08", "--status", "已完成")
        for as_of in ("2025-11-01", "2026-08-15", "2026-11-29"):
            check_agreement(run_monthly, as_of)


def check_agreement(run, as_of):
    status = json.loads(run("status", "--as-of", as_of, "--json").stdout)
    deadlines = json.loads(run("deadlines", "--as-of", as_of, "--json").stdout)
    for key in ("overdue_current", "overdue_cumulative"):
        assert status["total"][key] == deadlines[key], (as_of, key)
    for row in status["institutions"]:
        mine = [o for o in deadlines["obligations"]
                if o["institution"]["code"] == row["code"] and o["standing"] == "overdue"]
        assert (row["total"]["overdue_cumulative"], row["total"]["overdue_current"]) == (
            len(mine), len([o for o in mine if o["current"]])), (as_of, row["code"])
