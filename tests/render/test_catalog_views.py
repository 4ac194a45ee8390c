"""``policy show`` as text and JSON for a catalog checked against its official text: headings, 参考指标, 依据."""

from pathlib import Path

import pytest

from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.render.catalog_views import policy_json, policy_tree

NUMBERED = Path(__file__).parents[1] / "data" / "catalogs" / "good_numbered" / "numbered.yaml"


@pytest.fixture(scope="module")
def numbered():
    return load_policy_file(NUMBERED)


def test_tree_prints_official_headings_with_ids_beside_them(numbered):
    lines = policy_tree(numbered)
    assert lines[3:5] == ["五、完善帮扶援助体系  [assistance]", "  （十一）健全困难帮扶机制  [assistance.11]"]
    assert "  （二十五）建强高校毕业生就业服务机构  [support.25]" in lines
    assert not any("编号待核实" in line for line in lines)  # everything is verified


def test_tree_labels_indicators_and_prints_each_basis_by_kind(numbered):
    lines = policy_tree(numbered)
    first = lines.index("      assistance.11.a  [高校] 每月联系离校未就业毕业生并更新实名台账")
    assert lines[first + 1] == "          参考指标：联系服务率 ≥ 98 %（来源：山东省离校未就业高校毕业生实名服务做法（2021年））"
    assert lines[first + 4] == "          依据：政策原文　“对离校未就业毕业生开展实名服务”（五、（十一））"
    assert ("          依据：此前的国家通知　教育部关于做好2015届全国普通高等学校毕业生就业创业工作的通知"
            "（教学〔2014〕15号，2014年）　“为每名困难毕业生提供3—5个针对性岗位信息”") in lines
    assert "          指标：就业工作领导小组会议 ≥ 2 次/年" in lines  # the policy's own target: no 参考指标
    assert "          依据：政策原文　“定期研究部署就业工作”（七、（二十五）第二句）" in lines


def test_json_adds_headings_reference_flags_and_citations(numbered):
    doc = policy_json(numbered)
    section = doc["sections"][0]
    measure = section["measures"][0]
    assert (section["number"], section["title"], section["heading"]) == ("五", "完善帮扶援助体系", "五、完善帮扶援助体系")
    assert (measure["number"], measure["heading"]) == ("（十一）", "（十一）健全困难帮扶机制")
    contact, jobs = measure["items"]
    assert contact["indicator"]["reference"] is True
    assert contact["indicator"]["basis"] == {
        "source": "山东省离校未就业高校毕业生实名服务做法", "year": 2021, "quote": None, "kind": "practice",
        "kind_label": "地方做法", "number": None, "ref": None, "quotes": [],
        "citation": "山东省离校未就业高校毕业生实名服务做法（2021年）", "label": "地方做法　山东省离校未就业高校毕业生实名服务做法（2021年）"}
    assert (contact["basis"]["kind"], contact["basis"]["label"]) == (
        "opinion", "政策原文　“对离校未就业毕业生开展实名服务”（五、（十一））")
    assert (jobs["basis"]["kind"], jobs["basis"]["number"], jobs["indicator"]["basis"]["kind"]) == (
        "notice", "教学〔2014〕15号", "notice")  # the item's basis serves its indicator
    policy_set = doc["sections"][1]["measures"][0]["items"][0]["indicator"]
    assert (policy_set["reference"], policy_set["label"]) == (False, "指标：就业工作领导小组会议 ≥ 2 次/年")
