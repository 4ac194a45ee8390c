"""``jobpolicy policy list | show | validate``."""

import json

import pytest


def test_list(run):
    result = run("policy", "list")
    assert result.exit_code == 0
    assert result.stdout.startswith("gse-2025@2025.1  高质量就业服务体系意见  （23 项举措，")


def test_list_json(run):
    rows = json.loads(run("policy", "list", "--json").stdout)
    assert [(r["id"], r["version"], r["sections"]) for r in rows] == [("gse-2025", "2025.1", 7)]


def test_show_prints_the_tree(run):
    result = run("policy", "show", "gse-2025")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "二、优化培养供给体系  [supply]" in lines
    assert "  （二）以促进供需适配为导向动态调整高等教育专业和资源结构布局  [supply.2]" in lines
    assert any(line.startswith("          周期：每年 12月31日前") for line in lines)
    assert lines[-1].startswith("共 7 个部分、23 项举措、")


def test_show_marks_only_the_unverified_numbering(run):
    lines = run("policy", "show", "gse-2025").stdout.splitlines()
    assert "三、强化就业指导体系（编号待核实）  [guidance]" in lines
    assert "  强化生涯教育与就业指导（编号待核实）  [guidance.1]" in lines
    assert not any("编号待核实" in line for line in lines if "[supply" in line)  # 二 and its measures are verified


def test_show_labels_every_indicator_of_the_old_catalog_as_a_reference_with_its_source(run):
    lines = run("policy", "show", "gse-2025").stdout.splitlines()
    start = lines.index("      support.1.b  [高校] 按与应届毕业生不低于1:500的比例配备校级专职就业工作人员")
    assert lines[start + 1] == ("          参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员"
                                "（来源：教育部关于做好2013届全国普通高等学校毕业生就业工作的通知（2012年））")
    assert "          依据：教育部关于做好2013届全国普通高等学校毕业生就业工作的通知（2012年）" in lines[start:start + 5]
    indicators = [line for line in lines if line.startswith("          ") and "指标：" in line]
    assert indicators and all(line.startswith("          参考指标：") for line in indicators)


def test_show_json_is_complete(run):
    doc = json.loads(run("policy", "show", "gse-2025", "--json").stdout)
    assert doc["format"] == 1
    assert doc["policy"]["key"] == "gse-2025@2025.1"
    assert len(doc["sections"]) == 7
    measures = [m for s in doc["sections"] for m in s["measures"]]
    items = [i for m in measures for i in m["items"]]
    assert doc["counts"] == {"sections": 7, "measures": len(measures), "items": len(items),
                             "university_items": sum(i["actor"] == "university" for i in items)}
    assert all(m["items"] for m in measures)
    assert set(items[0]) == {"id", "actor", "actor_label", "title", "evidence", "basis", "indicator", "due",
                             "cadence", "weight", "applies_to", "replaces", "wording_hash"}
    assert (doc["sections"][0]["heading"], measures[0]["heading"]) == ("二、优化培养供给体系", "（一）科学研判人才发展趋势及供需状况")


def test_show_json_says_which_indicators_are_references(run):
    doc = json.loads(run("policy", "show", "gse-2025", "--json").stdout)
    items = {i["id"]: i for s in doc["sections"] for m in s["measures"] for i in m["items"]}
    indicator = items["support.1.b"]["indicator"]
    assert (indicator["reference"], indicator["display"]) == (True, "专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员")
    assert indicator["basis"]["citation"] == "教育部关于做好2013届全国普通高等学校毕业生就业工作的通知（2012年）"
    assert indicator["label"].startswith("参考指标：专职就业工作人员")
    assert set(items["support.1.b"]["basis"]) >= {"source", "year", "quote", "kind", "citation"}


def test_show_json_is_stable(run):
    assert run("policy", "show", "gse-2025", "--json").stdout == run("policy", "show", "gse-2025", "--json").stdout


def test_show_unknown_policy(run):
    result = run("policy", "show", "nope")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误: 没有政策“nope”",
        "提示: 可用的政策：gse-2025@2025.1；运行 jobpolicy policy list 查看",
    ]


def test_show_unknown_policy_json_error_on_stdout(run):
    result = run("policy", "show", "nope", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": {
        "code": "not_found", "message": "没有政策“nope”",
        "hint": "可用的政策：gse-2025@2025.1；运行 jobpolicy policy list 查看"}}


def test_validate_good(run, catalogs):
    result = run("policy", "validate", catalogs / "good_minimal" / "demo.yaml")
    assert result.exit_code == 0
    assert result.stdout == f"通过: {catalogs / 'good_minimal' / 'demo.yaml'}（demo-2025@1）\n"


@pytest.mark.parametrize(
    ("fixture", "count"),
    [("bad_syntax", 1), ("bad_keys", 7), ("bad_duplicate_ids", 7), ("bad_empty", 2), ("bad_unknown_actor", 2),
     ("bad_rrule", 4), ("bad_dates", 5), ("bad_numbers", 5), ("bad_replaces", 4), ("bad_not_mapping", 3)],
)
def test_validate_bad_lists_every_problem_and_exits_3(run, catalogs, fixture, count):
    result = run("policy", "validate", catalogs / fixture)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[-1] == f"错误: 共 {count} 处问题；请按上面的行号修改后重新校验"
    problems = [line for line in lines if line.startswith(str(catalogs / fixture))]
    assert len(problems) == count
    assert "Traceback" not in result.stderr + result.stdout


def test_validate_line_format(run, catalogs):
    path = catalogs / "bad_unknown_actor" / "demo.yaml"
    result = run("policy", "validate", path)
    assert result.stderr.splitlines()[0] == (
        f"{path}:18 [guidance.1.a]: 未知的执行主体“school”（可选：university、province、local、ministry）")


def test_validate_json(run, catalogs):
    result = run("policy", "validate", catalogs / "bad_empty", "--json")
    assert result.exit_code == 3
    [report] = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"][0] == {"file": str(catalogs / "bad_empty" / "demo.yaml"), "line": 16,
                                     "id": "guidance.1", "message": "举措没有任何检查项"}


def test_validate_missing_file(run, tmp_path):
    result = run("policy", "validate", tmp_path / "missing.yaml")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == f"{tmp_path / 'missing.yaml'}: 文件不存在"


def test_validate_needs_a_path(run):
    result = run("policy", "validate")
    assert result.exit_code == 2
