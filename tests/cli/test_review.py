"""``jobpolicy review submit | accept | return``."""

from codes import SHANXI


def test_submit_return_accept(run_db):
    for item in ("support.16.a", "guidance.4.a"):
        run_db("record", "set", SHANXI, item, "--status", "已完成")
    submitted = run_db("review", "submit", SHANXI, "--by", "张老师")
    assert submitted.stdout.splitlines() == ["已报送: 山西大学 2 条记录", "  guidance.4.a  已完成", "  support.16.a  已完成",
                                             "报送人：张老师"]
    assert submitted.stderr.splitlines() == ["注意: 还有 60 项未填报", f"提示: 运行 jobpolicy todo {SHANXI} 查看待办"]
    returned = run_db("review", "return", SHANXI, "support.16.a", "--reason", "缺少人员名单", "--by", "省厅")
    assert returned.stdout == "已退回: 山西大学 support.16.a（1 条记录）\n审核人：省厅\n"
    assert run_db("review", "accept", SHANXI, "--by", "省厅").stdout == "已审核通过: 山西大学 1 条记录\n审核人：省厅\n"
    shown = run_db("record", "show", SHANXI, "support.16.a").stdout
    assert "已完成｜已退回" in shown and "审核意见：缺少人员名单" in shown


def test_return_needs_a_reason(run_db):
    result = run_db("review", "return", SHANXI, "support.16.a")
    assert result.exit_code == 2  # a missing required option is a usage error


def test_nothing_to_submit(run_db):
    result = run_db("review", "submit", SHANXI)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == ["错误: 山西大学 没有待报送的记录", "提示: 先用 jobpolicy record set 填报"]


def test_a_returned_item_is_resent_only_once_changed_or_with_a_note(run_db):
    for item in ("support.16.a", "guidance.4.a"):
        run_db("record", "set", SHANXI, item, "--status", "已完成")
    run_db("review", "submit", SHANXI)
    run_db("review", "return", SHANXI, "support.16.a", "--reason", "缺少人员名单", "--by", "省厅")
    run_db("review", "return", SHANXI, "guidance.4.a", "--reason", "缺少课程表", "--by", "省厅")
    run_db("record", "set", SHANXI, "guidance.4.a", "--evidence", "https://jy.sxu.edu.cn/kc")  # fixed: a draft again

    sent = run_db("review", "submit", SHANXI, "--by", "张老师")
    assert sent.stdout.splitlines() == ["已报送: 山西大学 1 条记录", "  guidance.4.a  已完成", "报送人：张老师"]
    assert sent.stderr.splitlines()[:2] == [
        "注意: 1 项已退回但尚未修改，未再报送：support.16.a",
        "提示: 按审核意见修改后再报送；确认原内容无误时加 --resend 说明"]
    nothing = run_db("review", "submit", SHANXI, "--by", "张老师")
    assert nothing.exit_code == 3
    assert nothing.stderr.splitlines() == [
        "错误: 山西大学 没有可报送的记录：1 项已退回但尚未修改（support.16.a）",
        f"提示: 按审核意见修改后再报送；确认原内容无误时加 --resend 说明（jobpolicy todo {SHANXI} 列出审核意见）"]
    assert run_db("review", "submit", SHANXI, "--resend", " ").exit_code == 3
    resent = run_db("review", "submit", SHANXI, "--resend", "名单已在佐证中", "--by", "张老师")
    assert resent.stdout.splitlines() == ["已报送: 山西大学 1 条记录", "  support.16.a  已完成  （原样再报送）",
                                          "报送人：张老师"]
    history = run_db("record", "history", SHANXI, "support.16.a").stdout.splitlines()
    assert history[-1].endswith("张老师  support.16.a 审核意见：缺少人员名单 → （空）  "
                                "（命令 review submit --resend（说明：名单已在佐证中））")
