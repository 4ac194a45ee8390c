"""``jobpolicy policy validate | load`` of mappings, and ``policy coverage``."""

import json
from pathlib import Path

from jobpolicy.render.status_views import width

MAPPINGS = Path(__file__).parent.parent / "data" / "mappings"
PLAN = MAPPINGS / "good_inline" / "plan.yaml"


def test_validate_passes_a_plan_and_a_mapping_file(run):
    result = run("policy", "validate", MAPPINGS / "good_file")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"通过: {MAPPINGS / 'good_file' / 'mapping.yaml'}（demo-province-2025@1 → gse-2025@2025.2）",
        f"通过: {MAPPINGS / 'good_file' / 'plan.yaml'}（demo-province-2025@1）"]


def test_validate_refuses_a_bad_mapping_with_file_line_and_id(run):
    result = run("policy", "validate", MAPPINGS / "bad_unknown_items" / "plan.yaml")

    assert result.exit_code == 3
    assert result.stderr.splitlines()[:2] == [
        f"{MAPPINGS / 'bad_unknown_items' / 'plan.yaml'}:67 [guide.1.z]: 检查项“guide.1.z”不在政策 demo-province-2025@1 中",
        f"{MAPPINGS / 'bad_unknown_items' / 'plan.yaml'}:68 [support.99.a]: 检查项“support.99.a”不在政策 gse-2025@2025.2 中"]


def test_load_says_the_mapping_was_stored(run_db):
    result = run_db("policy", "load", PLAN, "--by", "测试")

    assert result.exit_code == 0
    assert "映射 demo-province-2025@1 → gse-2025@2025.2：5 条对应关系已保存" in result.stdout.splitlines()


def test_coverage_in_the_terminal_measure_by_measure(run_db):
    run_db("policy", "load", PLAN, "--by", "测试")

    result = run_db("policy", "coverage", "demo-province-2025", "gse-2025")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == ("gse-2025@2025.2 共 20 项举措：已覆盖 0 项，部分覆盖 3 项，未覆盖 17 项；"
                        "demo-province-2025@1 新增 2 项，更高要求 1 项")
    assert lines[3].split() == ["举措", "覆盖情况", "省级检查项", "关系", "意见检查项"]
    row = next(line for line in lines if line.startswith("（十六）"))
    assert row.split() == ["（十六）打造专业化就业指导教师队伍", "部分覆盖", "service.1.a", "等同", "support.16.a"]
    # aligned in a terminal, where a Chinese character takes two columns
    assert width(row[:row.index("部分覆盖")]) == width(lines[3][:lines[3].index("覆盖情况")])
    assert any(line.startswith("service.1.c  新增") for line in lines)


def test_coverage_as_json(run_db):
    run_db("policy", "load", PLAN, "--by", "测试")

    data = json.loads(run_db("policy", "coverage", "demo-province-2025", "gse-2025", "--json").stdout)

    assert data["counts"] == {"covered": 0, "partly": 3, "not_covered": 17}
    [guidance] = [m for m in data["measures"] if m["id"] == "guidance.4"]
    assert guidance["items"][0] == {"id": "guidance.4.a", "state": "covered",
                                    "links": [{"item": "guide.1.a", "relation": "superset"}]}
    assert {"plan_item": "service.1.a", "policy_item": "support.16.a", "what": "指标",
            "plan": "≤ 400 名毕业生/每名专职人员",
            "policy": "≤ 500 名毕业生/每名专职人员"} in data["targets"]


def test_coverage_without_a_mapping_says_how_to_load_one(run_db):
    run_db("policy", "load", MAPPINGS / "good_file" / "plan.yaml", "--by", "测试")

    result = run_db("policy", "coverage", "demo-province-2025", "gse-2025")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "错误: demo-province-2025@1 与 gse-2025@2025.2 之间没有映射",
        "提示: 在省级清单中写 mapping，或用 jobpolicy policy load 映射文件 加载映射"]
