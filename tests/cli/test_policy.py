"""``jobpolicy policy list | show | validate``."""

import json
from pathlib import Path

import pytest


def test_list(run):
    result = run("policy", "list")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "gse-2025@2025.1  高质量就业服务体系意见  （23 项举措，68 个检查项）",
        "gse-2025@2025.2  高质量就业服务体系意见  （20 项举措，97 个检查项）",
    ]


def test_list_json(run):
    rows = json.loads(run("policy", "list", "--json").stdout)
    assert [(r["id"], r["version"], r["sections"]) for r in rows] == [("gse-2025", "2025.1", 7), ("gse-2025", "2025.2", 6)]


def test_show_prints_the_tree(run):
    result = run("policy", "show", "gse-2025")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "二、优化培养供给体系  [supply]" in lines
    assert "  （二）以促进供需适配为导向动态调整高等教育专业和资源结构布局  [supply.2]" in lines
    assert any(line.startswith("          周期：每年 12月31日前") for line in lines)
    assert lines[-1] == "共 6 个部分、20 项举措、97 个检查项（高校 62 个）"


def test_show_reads_parts_two_to_seven_and_measures_one_to_twenty_by_their_official_headings(run):
    lines = run("policy", "show", "gse-2025").stdout.splitlines()
    parts = [line for line in lines if line and not line.startswith(" ") and line.endswith("]")]
    assert parts == ["二、优化培养供给体系  [supply]", "三、强化就业指导体系  [guidance]", "四、健全求职招聘体系  [recruitment]",
                     "五、完善帮扶援助体系  [assistance]", "六、创新监测评价体系  [evaluation]", "七、巩固支持保障体系  [support]"]
    assert "  （十一）健全困难帮扶机制  [assistance.11]" in lines
    assert "  （二十）强化组织实施  [support.20]" in lines
    assert not any("编号待核实" in line for line in lines)


def test_show_marks_only_the_unverified_numbering(run):
    lines = run("policy", "show", "gse-2025@2025.1").stdout.splitlines()
    assert "三、强化就业指导体系（编号待核实）  [guidance]" in lines
    assert "  强化生涯教育与就业指导（编号待核实）  [guidance.1]" in lines
    assert not any("编号待核实" in line for line in lines if "[supply" in line)  # 二 and its measures are verified


def test_show_labels_every_indicator_of_the_old_catalog_as_a_reference_with_its_source(run):
    lines = run("policy", "show", "gse-2025@2025.1").stdout.splitlines()
    start = lines.index("      support.1.b  [高校] 按与应届毕业生不低于1:500的比例配备校级专职就业工作人员")
    assert lines[start + 1] == ("          参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员"
                                "（来源：教育部关于做好2013届全国普通高等学校毕业生就业工作的通知（2012年））")
    assert "          依据：教育部关于做好2013届全国普通高等学校毕业生就业工作的通知（2012年）" in lines[start:start + 5]
    indicators = [line for line in lines if line.startswith("          ") and "指标：" in line]
    assert indicators and all(line.startswith("          参考指标：") for line in indicators)


def test_show_names_each_items_basis_and_the_source_of_each_reference_indicator(run):
    lines = run("policy", "show", "gse-2025").stdout.splitlines()
    start = lines.index("      support.16.a  [高校] 按规定配齐校级专职就业工作人员")
    assert lines[start + 1] == ("          参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员"
                                "（来源：教育部关于做好2013年全国普通高等学校毕业生就业工作的通知（教学〔2012〕11号，2012年））")
    assert any(line.startswith("          依据：政策原文") and "高校按规定配齐校级专职就业指导教师和专职就业工作人员" in line
               for line in lines[start:start + 5])


def test_show_json_is_complete(run):
    doc = json.loads(run("policy", "show", "gse-2025", "--json").stdout)
    assert doc["format"] == 1
    assert doc["policy"]["key"] == "gse-2025@2025.2"
    assert len(doc["sections"]) == 6
    measures = [m for s in doc["sections"] for m in s["measures"]]
    items = [i for m in measures for i in m["items"]]
    assert doc["counts"] == {"sections": 6, "measures": len(measures), "items": len(items),
                             "university_items": sum(i["actor"] == "university" for i in items)}
    assert all(m["items"] for m in measures)
    assert set(items[0]) == {"id", "actor", "actor_label", "title", "evidence", "basis", "indicator", "due",
                             "cadence", "weight", "applies_to", "replaces", "wording_hash"}
    assert (doc["sections"][0]["heading"], measures[0]["heading"]) == ("二、优化培养供给体系", "（一）科学研判人才发展趋势及供需状况")


def test_show_json_says_which_indicators_are_references(run):
    doc = json.loads(run("policy", "show", "gse-2025@2025.1", "--json").stdout)
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
        "提示: 可用的政策：gse-2025@2025.1、gse-2025@2025.2；运行 jobpolicy policy list 查看",
    ]


def test_show_unknown_policy_json_error_on_stdout(run):
    result = run("policy", "show", "nope", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": {
        "code": "not_found", "message": "没有政策“nope”",
        "hint": "可用的政策：gse-2025@2025.1、gse-2025@2025.2；运行 jobpolicy policy list 查看"}}


def test_validate_good(run, catalogs):
    result = run("policy", "validate", catalogs / "good_minimal" / "demo.yaml")
    assert result.exit_code == 0
    assert result.stdout == f"通过: {catalogs / 'good_minimal' / 'demo.yaml'}（demo-2025@1）\n"


@pytest.mark.parametrize(
    ("fixture", "count"),
    [("bad_syntax", 1), ("bad_keys", 7), ("bad_duplicate_ids", 7), ("bad_empty", 2), ("bad_unknown_actor", 2),
     ("bad_rrule", 4), ("bad_dates", 5), ("bad_numbers", 5), ("bad_replaces", 4), ("bad_not_mapping", 3),
     ("bad_bases", 4), ("bad_quotes", 8), ("bad_refs", 9), ("bad_headings", 5), ("bad_coverage", 4), ("bad_source_file", 3)],
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


# --- the official text ------------------------------------------------------------------------------------------

BUNDLED = Path(__file__).parents[2] / "policies"


def test_validate_2025_1_against_the_official_text(run):
    catalog, opinion = BUNDLED / "gse-2025-2025.1.yaml", BUNDLED / "sources" / "gse-2025-opinion.txt"
    result = run("policy", "validate", catalog, "--source", opinion)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[-1] == "错误: 共 50 处问题；请按上面的行号修改后重新校验"
    assert f"{catalog}:242 [recruitment.3]: basis.quote「挖掘国家重大战略等对…」不是原文的原话：与原文 四（八） 一致到「挖掘国家重大战略」为止，其后引文为「等对高校毕业生的需求」，原文为「对高校毕业生的需求，…」（引文多了「等」）" in lines
    assert f"{catalog}:109 [guidance.1]: basis.ref「三（据摘要第二段）」不是原文的编号（部分写作 一，条目写作 二（一））；引文在 三（四） 中" in lines
    assert lines[0] == f"{catalog}: 原文部分 一「总体要求」（原文第 8 行）没有体系以它为编号（number: 一），也未列入 policy.source_text.out_of_scope（写明 ref 和不纳入的理由 reason）"


def test_validate_2025_1_without_the_text_passes(run):
    result = run("policy", "validate", BUNDLED / "gse-2025-2025.1.yaml")
    assert (result.exit_code, result.stdout) == (0, f"通过: {BUNDLED / 'gse-2025-2025.1.yaml'}（gse-2025@2025.1）\n")


def test_validate_2025_2_passes_with_its_own_official_text(run):
    result = run("policy", "validate", BUNDLED / "gse-2025-2025.2.yaml")
    assert (result.exit_code, result.stdout) == (0, f"通过: {BUNDLED / 'gse-2025-2025.2.yaml'}（gse-2025@2025.2）\n")


def test_validate_json_carries_the_line_of_each_quote(run, catalogs):
    result = run("policy", "validate", catalogs / "bad_quotes", "--json")
    [report] = json.loads(result.stdout)
    assert [(p["line"], p["id"]) for p in report["problems"]][:3] == [(26, "guidance.1"), (39, "guidance.1.a"),
                                                                    (46, "guidance.2")]


def test_validate_with_a_source_that_does_not_exist(run, catalogs, tmp_path):
    result = run("policy", "validate", catalogs / "good_minimal", "--source", tmp_path / "nope.txt")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [f"错误: 原文文件 {tmp_path / 'nope.txt'} 不存在",
                                          "提示: 检查 --source 给出的原文文件（UTF-8 纯文本）"]


def test_show_source_prints_the_text_as_shipped(run, bundled_with_source):
    result = run("policy", "show", "demo-2025", "--source")
    assert result.exit_code == 0
    assert result.stdout == (bundled_with_source / "source.txt").read_text(encoding="utf-8")


def test_show_source_json(run, bundled_with_source):
    doc = json.loads(run("policy", "show", "demo-2025", "--source", "--json").stdout)
    assert (doc["policy"], doc["file"]) == ("demo-2025@1", "source.txt")
    assert doc["text"].startswith("来源：测试用的政策文本")


def test_show_source_of_a_policy_without_one(run):
    result = run("policy", "show", "gse-2025@2025.1", "--source")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误: 政策 gse-2025@2025.1 没有附带原文",
        "提示: 清单须在 policy.source_text.file 中写明原文文件（放在 policies/sources/ 下）",
    ]


def test_items_by_keyword_number_or_none(run_db):
    lines = run_db("policy", "items", "离校").stdout.splitlines()
    assert "  assistance.11.d  （高校）落实离校未就业毕业生实名就业帮扶要求：毕业生离校前完成离校未就业毕业生实名登记，" \
           "并与人力资源社会保障部门做好信息衔接" in lines
    assert lines[-1] == "共 7 个检查项（高校 2 个）  gse-2025@2025.2"
    data = json.loads(run_db("policy", "items", "（十一）", "--json").stdout)
    assert data["matched_by"] == "measure" and [i["id"] for i in data["items"]][:2] == ["assistance.11.a", "assistance.11.b"]
    assert run_db("policy", "items").stdout.splitlines()[-1] == "共 97 个检查项（高校 62 个）  gse-2025@2025.2"
    assert run_db("policy", "items", "guidanc.4").stdout == (
        "gse-2025@2025.2 中没有“guidanc.4”对应的检查项；您是不是要找：guidance.4、guidance.4.a、guidance.4.b\n")
