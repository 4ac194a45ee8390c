"""``jobpolicy policy load`` and ``jobpolicy policy diff``: the lines people read, JSON, and errors."""

import json

import pytest

from codes import SHANXI


@pytest.fixture
def versions(catalogs):
    return catalogs / "good_versions"


@pytest.fixture
def with_records(run_db, versions):
    """demo v1 loaded, with records of guidance.1.a, 1.b and 1.c for 山西大学."""
    assert run_db("policy", "load", versions / "demo-v1.yaml", "--by", "李老师").stdout == (
        "已加载 demo-2025@1（数据库中此前没有该政策，没有需要迁移的记录）\n操作人：李老师\n")
    for item, extra in (("guidance.1.a", ()), ("guidance.1.b", ()), ("guidance.1.c", ("--period", "2025"))):
        result = run_db("record", "set", SHANXI, item, "--status", "推进中", "--policy", "demo-2025", *extra)
        assert result.exit_code == 0, result.stderr
    return run_db


def test_load_prints_what_was_carried_flagged_moved_and_left(with_records, versions):
    result = with_records("policy", "load", versions / "demo-v2.yaml", "--by", "李老师")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "已加载 demo-2025@2（上一版本 demo-2025@1）",
        "已沿用 1 条记录",
        "待重新评估 2 条记录",
        "  guidance.1.a（1 条）：版本 1→2：指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”",
        "  guidance.1.e（1 条）：版本 1→2：guidance.1.b 改为 guidance.1.e；"
        "标题由“建设就业实习基地”改为“建设就业实习与见习基地”；佐证材料由“实习基地协议”改为“实习基地协议、见习基地名单”",
        "已迁移 1 条记录",
        "  guidance.1.b → guidance.1.e（1 条）",
        "保留未计入 0 条记录（仍在数据库中，不再计入统计）",
        "操作人：李老师",
    ]


def test_history_of_a_moved_record_shows_the_move(with_records, versions):
    with_records("policy", "load", versions / "demo-v2.yaml", "--by", "李老师")
    result = with_records("record", "history", SHANXI, "guidance.1.e", "--policy", "demo-2025", "--json")
    events = json.loads(result.stdout)
    assert [(e["field"], e["old"], e["new"]) for e in events][:2] == [
        ("status", None, "in_progress"), ("item_id", "guidance.1.b", "guidance.1.e")]
    text = with_records("record", "history", SHANXI, "guidance.1.e", "--policy", "demo-2025").stdout
    assert "李老师  guidance.1.e 检查项编号：guidance.1.b → guidance.1.e  （政策版本 demo-2025@2）" in text


def test_load_json_lists_every_record(with_records, versions):
    result = with_records("policy", "load", versions / "demo-v2.yaml", "--json")
    report = json.loads(result.stdout)
    assert (report["policy"], report["previous"], report["loaded"]) == ("demo-2025@2", "demo-2025@1", True)
    assert report["counts"] == {"carried": 1, "flagged": 2, "moved": 1, "left": 0}
    assert report["moved"] == [
        {"institution": SHANXI, "from": "guidance.1.b", "to": "guidance.1.e", "period": "once", "copied": False}]
    assert report["carried"] == [{"institution": SHANXI, "item": "guidance.1.c", "period": "2025"}]
    assert [f["item"] for f in report["flagged"]] == ["guidance.1.a", "guidance.1.e"]


def test_loading_again_changes_nothing(with_records, versions):
    with_records("policy", "load", versions / "demo-v2.yaml")
    result = with_records("policy", "load", versions / "demo-v2.yaml")
    assert (result.exit_code, result.stdout) == (0, "未变化: demo-2025@2 已加载过（内容相同），没有改动任何记录\n")


def test_split_lists_copies_and_records_left(run_db, catalogs):
    folder = catalogs / "good_split"
    run_db("policy", "load", folder / "demo-v1.yaml")
    for item in ("guidance.1.a", "guidance.1.m"):
        run_db("record", "set", SHANXI, item, "--status", "已完成", "--policy", "demo-2025")
    lines = run_db("policy", "load", folder / "demo-v2.yaml", "--by", "李老师").stdout.splitlines()
    assert lines[lines.index("已迁移 2 条记录"):] == [
        "已迁移 2 条记录",
        "  guidance.1.a → guidance.1.e（1 条）",
        "  guidance.1.a → guidance.1.f（复制，1 条）",
        "保留未计入 1 条记录（仍在数据库中，不再计入统计）",
        "  guidance.1.m（1 条）",
        "操作人：李老师",
    ]


def test_a_renumbering_lists_each_move_from_its_old_id(run_db, catalogs):
    folder = catalogs / "good_reuse"
    run_db("policy", "load", folder / "demo-v1.yaml")
    for item, status in (("guidance.1.a", "推进中"), ("guidance.4.a", "已完成"), ("guidance.1.b", "已完成")):
        run_db("record", "set", SHANXI, item, "--status", status, "--policy", "demo-2025")
    result = run_db("policy", "load", folder / "demo-v2.yaml", "--by", "李老师")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "已加载 demo-2025@2（上一版本 demo-2025@1）",
        "已沿用 1 条记录",
        "待重新评估 1 条记录",
        "  guidance.6.a（1 条）：版本 1→2：guidance.4.a 改为 guidance.6.a；"
        "佐证材料由“管理办法文件”改为“管理办法文件、实习见习台账”",
        "已迁移 2 条记录",
        "  guidance.1.a → guidance.4.a（1 条）",
        "  guidance.4.a → guidance.6.a（1 条）",
        "保留未计入 0 条记录（仍在数据库中，不再计入统计）",
        "操作人：李老师",
    ]
    # guidance.4.a now names the course: its history is the course's, moved from guidance.1.a.
    history = json.loads(run_db("record", "history", SHANXI, "guidance.4.a", "--policy", "demo-2025", "--json").stdout)
    assert [(e["item"], e["field"], e["old"], e["new"]) for e in history] == [
        ("guidance.1.a", "status", None, "in_progress"), ("guidance.4.a", "item_id", "guidance.1.a", "guidance.4.a")]


def test_same_version_with_different_content_is_refused(run_db, versions, tmp_path):
    run_db("policy", "load", versions / "demo-v1.yaml")
    changed = tmp_path / "demo-v1.yaml"
    changed.write_text((versions / "demo-v1.yaml").read_text(encoding="utf-8").replace("必修课", "选修课"),
                       encoding="utf-8")
    result = run_db("policy", "load", changed)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误: 政策 demo-2025@1 已加载过，但文件内容不同",
        "提示: 修改清单后请提高 version 版本号，并写明 previous_version",
    ]


def test_a_bad_file_lists_every_problem_and_exits_3(run_db, catalogs):
    path = catalogs / "bad_keys" / "demo.yaml"
    result = run_db("policy", "load", path)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith(f"{path}:")]) == 7
    assert lines[-2:] == [f"错误: 政策清单有 7 处问题（{path}）",
                          f"提示: 运行 jobpolicy policy validate {path} 查看全部问题"]
    assert result.stdout == ""


def test_a_version_that_does_not_follow_the_stored_one_exits_3(run_db, versions, catalogs):
    run_db("policy", "load", versions / "demo-v1.yaml")
    path = catalogs / "bad_replaces" / "demo-v3.yaml"
    result = run_db("policy", "load", path, "--json")
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert (error["code"], error["hint"]) == ("catalog_invalid", "按上面列出的问题修改清单后重新加载")
    assert [p["message"] for p in error["problems"]] == [
        "previous_version 为“2”，但数据库中政策 demo-2025 的当前版本是“1”",
        "replaces 指向的“guidance.1.z”在上一版本 1 中不存在",
    ]


def test_diff_lists_added_removed_reworded_and_replaced(run, versions):
    result = run("policy", "diff", versions / "demo-v1.yaml", versions / "demo-v2.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "demo-2025@1 → demo-2025@2",
        "新增 0 项",
        "删除 0 项",
        "措辞变化 1 项",
        "  guidance.1.a  开设职业发展与就业指导必修课",
        "    指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”",
        "替代 1 项",
        "  guidance.1.e ← guidance.1.b  建设就业实习与见习基地",
        "    与 guidance.1.b 相比：标题由“建设就业实习基地”改为“建设就业实习与见习基地”；"
        "佐证材料由“实习基地协议”改为“实习基地协议、见习基地名单”",
        "未变 2 项",
    ]


def test_diff_json(run, catalogs):
    folder = catalogs / "good_split"
    doc = json.loads(run("policy", "diff", folder / "demo-v1.yaml", folder / "demo-v2.yaml", "--json").stdout)
    assert (doc["old"], doc["new"], doc["added"], doc["reworded"], doc["unchanged"]) == (
        "demo-2025@1", "demo-2025@2", [], [], 0)
    assert [i["id"] for i in doc["removed"]] == ["guidance.1.m"]
    merged = next(r for r in doc["replaced"] if r["id"] == "guidance.1.g")
    assert [(o["id"], [c["part"] for c in o["changes"]]) for o in merged["replaces"]] == [
        ("guidance.1.b", ["title", "evidence"]), ("guidance.1.c", ["title", "evidence"])]


def test_diff_of_a_bundled_version_with_itself(run):
    result = run("policy", "diff", "gse-2025@2025.2", "gse-2025")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "gse-2025@2025.2 → gse-2025@2025.2"
    assert result.stdout.splitlines()[-1].startswith("未变 97 项")


def test_diff_of_the_two_bundled_versions(run):
    lines = run("policy", "diff", "gse-2025@2025.1", "gse-2025@2025.2").stdout.splitlines()
    counts = [line for line in lines if not line.startswith(" ")]
    # 2025.2 adds 29 items the opinion asks for, keeps every old one: 8 as they were, 3 reworded, 57 moved to the
    # official numbering (guidance.1.a → guidance.4.a; assistance.2.a and 2.b merged; support.2.a split)
    assert counts == ["gse-2025@2025.1 → gse-2025@2025.2", "新增 29 项", "删除 0 项", "措辞变化 3 项", "替代 57 项",
                      "未变 8 项"]
    assert "  assistance.11.d ← assistance.2.a、assistance.2.b  " in "\n".join(lines)


def test_diff_of_a_missing_file(run, tmp_path):
    missing = tmp_path / "gse-2026.yaml"
    result = run("policy", "diff", "gse-2025", missing)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"错误: 清单文件 {missing} 不存在",
        "提示: 检查路径，或给出内置政策，如 gse-2025@2025.2",
    ]


def test_diff_of_an_unknown_policy(run):
    result = run("policy", "diff", "gse-2025", "gse-2030")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "错误: 没有政策“gse-2030”"


def test_diff_of_a_bad_file_exits_3(run, catalogs):
    result = run("policy", "diff", "gse-2025", catalogs / "bad_keys" / "demo.yaml")
    assert result.exit_code == 3
