"""``jobpolicy institution add | import | list``."""

import json


def test_add_from_the_list(run_db):
    result = run_db("institution", "add", "4111010001")
    assert (result.exit_code, result.stdout) == (0, "已添加: 4111010001 北京大学（北京市北京市，本科）\n")


def test_add_unlisted_without_a_name(run_db):
    result = run_db("institution", "add", "4199999999")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "错误: 学校标识码 4199999999 不在教育部 2026 年高校名单中，需用 --name 写明学校名称",
        "提示: 例如 jobpolicy institution add 4199999999 --name 学校全称 --province 山西省 --level 本科",
    ]


def test_add_a_malformed_code(run_db):
    result = run_db("institution", "add", "41140101")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "错误: 学校标识码“41140101”格式不对：应为 10 位数字"


def test_import_and_list(run_db):
    assert run_db("institution", "import", "--province", "山西").stdout == "新增 81 所，按新名单更新 0 所，未变 3 所\n"
    rows = json.loads(run_db("institution", "list", "--province", "山西", "--json").stdout)
    assert len(rows) == 84 and rows[0].keys() >= {"code", "name", "province", "level", "listed"}
    text = run_db("institution", "list", "--province", "山西").stdout.splitlines()
    assert "4114010108  山西大学  山西省太原市  本科" in text
