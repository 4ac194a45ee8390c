"""``jobpolicy review submit | accept | return``."""

from codes import SHANXI


def test_submit_return_accept(run_db):
    for item in ("support.16.a", "guidance.4.a"):
        run_db("record", "set", SHANXI, item, "--status", "已完成")
    assert run_db("review", "submit", SHANXI).stdout == "已报送: 山西大学 2 条记录\n"
    returned = run_db("review", "return", SHANXI, "support.16.a", "--reason", "缺少人员名单", "--by", "省厅")
    assert returned.stdout == "已退回: 山西大学 support.16.a（1 条记录）\n"
    assert run_db("review", "accept", SHANXI, "--by", "省厅").stdout == "已审核通过: 山西大学 1 条记录\n"
    shown = run_db("record", "show", SHANXI, "support.16.a").stdout
    assert "已完成｜已退回" in shown and "审核意见：缺少人员名单" in shown


def test_return_needs_a_reason(run_db):
    result = run_db("review", "return", SHANXI, "support.16.a")
    assert result.exit_code == 2  # a missing required option is a usage error


def test_nothing_to_submit(run_db):
    result = run_db("review", "submit", SHANXI)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == ["错误: 山西大学 没有待报送的记录", "提示: 先用 jobpolicy record set 填报"]
