"""``jobpolicy todo``: returned items with the reason, items due soon, items never filled, drafts; sheet order."""

import json
from datetime import UTC, datetime

import time_machine

from codes import SHANXI

AUGUST = datetime(2025, 8, 20, 2, tzinfo=UTC)  # 10:00 in Beijing, 11 days before recruitment.7.b is due


def test_todo_lists_what_needs_the_office_in_the_order_of_its_workbook(run_db):
    with time_machine.travel(AUGUST, tick=False):
        for item, status in (("support.16.a", "已完成"), ("guidance.4.a", "已完成"), ("guidance.4.b", "推进中")):
            run_db("record", "set", SHANXI, item, "--status", status)
        run_db("review", "submit", SHANXI)
        run_db("review", "return", SHANXI, "support.16.a", "--reason", "缺少人员名单", "--by", "省厅")
        run_db("record", "set", SHANXI, "recruitment.7.b", "--status", "推进中")
        # 完成时限 is the office's plan: it does not make an item due (the policy's deadline does)
        run_db("record", "set", SHANXI, "guidance.4.c", "--status", "推进中", "--due", "2025-08-25")
        result = run_db("todo", SHANXI, "--within", "14")
        data = json.loads(run_db("todo", SHANXI, "--within", "14", "--json").stdout)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and lines[0] == f"山西大学（{SHANXI}）的待办  gse-2025@2025.2  截至 2025-08-20"
    returned = lines.index("被退回，请按审核意见修改后报送（1 项）")
    assert lines[returned + 1:returned + 3] == [
        "  第 53 行  support.16.a  已完成  按规定配齐校级专职就业工作人员", "      审核意见：缺少人员名单"]
    assert [(d["item"], d["row"], d["reason"]) for d in data["returned"]] == [("support.16.a", 53, "缺少人员名单")]
    assert [(d["item"], d["days_left"]) for d in data["due"]] == [("recruitment.7.b", 11)]
    assert "  第 30 行  recruitment.7.b [2025]  推进中  截止 2025-08-31，还有 11 天  书记校长带头开展访企拓岗促就业专项行动，" \
           "校领导走访或新开拓用人单位不少于100家" in lines
    unfilled = [d["row"] for d in data["unfilled"]]
    assert unfilled == sorted(unfilled) and 6 in unfilled and 53 not in unfilled  # the workbook's order
    assert len(unfilled) == 62 - 5
    # recruitment.7.b is listed once, under what is due; guidance.4.c, planned for 08-25, is only a draft
    assert [d["item"] for d in data["drafts"]] == ["guidance.4.c"]


def test_an_unknown_school_or_a_negative_window_is_one_line_and_a_hint(run_db):
    unknown = run_db("todo", "4111010001")
    assert (unknown.exit_code, unknown.stderr.splitlines()) == (
        1, ["错误: 学校 4111010001 尚未添加", "提示: 先运行 jobpolicy institution add 4111010001"])
    assert run_db("todo", SHANXI, "--within", "-1").exit_code == 3
