"""record show and record history reach the records a newer catalog version left behind."""

from __future__ import annotations

import json

from codes import SHANXI


def test_record_show_lists_them_after_the_checklist(run_db, left_behind):
    result = run_db("record", "show", SHANXI, "--policy", "demo-2025")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    head = lines.index("不在当前清单上的记录（3 条）：政策修订时删除或合并的检查项，或不再适用于本校的检查项；"
                       "记录保留，不计入比率，可用 jobpolicy record history 学校 检查项编号 查看变更")
    assert lines[head + 1].startswith("  guidance.1.c  已完成｜草稿  ")
    assert lines[head + 2] == "      当前版本 demo-2025@2 中已没有此检查项（删除，或合并到其他检查项）"
    assert "      备注：guidance.1.m 的备注" in lines[head:]
    shown = json.loads(run_db("record", "show", SHANXI, "--policy", "demo-2025", "--json").stdout)
    assert [(r["item"], r["status"]) for r in shown["left_behind"]] == [
        ("guidance.1.c", "done"), ("guidance.1.k", "done"), ("guidance.1.m", "done")]


def test_one_is_shown_and_its_history_read_by_its_old_id(run_db, left_behind):
    shown = run_db("record", "show", SHANXI, "guidance.1.m", "--policy", "demo-2025")
    assert shown.exit_code == 0, shown.stderr
    assert "  guidance.1.m  已完成｜草稿" in "\n".join(shown.stdout.splitlines())
    history = run_db("record", "history", SHANXI, "guidance.1.m", "--policy", "demo-2025")
    assert history.exit_code == 0, history.stderr
    assert len(history.stdout.splitlines()) == 2 and "guidance.1.m 的备注" in history.stdout
