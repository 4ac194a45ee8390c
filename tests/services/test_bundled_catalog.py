"""The bundled catalogs: 2025.2 is the opinion as officially numbered and sourced; 2025.1 stays loadable."""

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from jobpolicy.domain.catalog import Actor, BasisKind
from jobpolicy.domain.catalog_build import parse_checked
from jobpolicy.domain.catalog_diff import successors
from jobpolicy.domain.catalog_loader import parse_catalog
from jobpolicy.domain.periods import occurrences
from jobpolicy.reference import bundled_policy_dir
from jobpolicy.render.catalog_views import policy_json
from jobpolicy.services.catalog import get_policy, validate_policy_files

PARTS = [("二", "优化培养供给体系"), ("三", "强化就业指导体系"), ("四", "健全求职招聘体系"),
         ("五", "完善帮扶援助体系"), ("六", "创新监测评价体系"), ("七", "巩固支持保障体系")]

# The official headings of items （一）–（二十）: the first sentence of each, without its 。
HEADINGS = [
    "（一）科学研判人才发展趋势及供需状况", "（二）以促进供需适配为导向动态调整高等教育专业和资源结构布局",
    "（三）完善招生计划、人才培养与就业联动机制", "（四）强化生涯教育与就业指导", "（五）加强就业教育引导",
    "（六）健全就业实习与见习制度", "（七）强化校园招聘和就业市场服务", "（八）推进重点领域人才服务",
    "（九）优化规范招聘安排和秩序", "（十）发挥多元主体作用", "（十一）健全困难帮扶机制", "（十二）加强帮扶对象能力培训",
    "（十三）加强就业形势研判和进展监测", "（十四）推进就业评价改革", "（十五）建强高校毕业生就业服务机构",
    "（十六）打造专业化就业指导教师队伍", "（十七）深化高校毕业生就业研究", "（十八）推广数字化就业服务新模式",
    "（十九）营造公平就业环境和良好氛围", "（二十）强化组织实施",
]

# What the opinion asks of universities that 2025.1 missed: each must be a university item of 2025.2.
UNIVERSITY_DUTIES = [
    "寒暑假至少开展1次就业实习", "实习责任保险", "就业实习见习基地", "就业心理健康教育", "个性化求职心理疏导",
    "校内外招聘资源共享", "创新创业服务", "供需对接就业育人项目", "求职预留时间", "协同联动并共享帮扶信息",
    "毕业去向登记", "就业状况跟踪调查", "按学费收入的一定比例安排就业经费预算", "专职就业指导教师",
    "校外专家担任兼职就业指导教师", "职称评审", "攻读博士学位", "互联共享", "人工智能", "就业政策宣传月",
    "主要负责同志亲自部署", "人才培养方案", "职业规划大赛",
]


@pytest.fixture(scope="module")
def policy():
    return get_policy("gse-2025")


@pytest.fixture(scope="module")
def previous():
    return get_policy("gse-2025@2025.1")


def test_both_bundled_versions_validate_and_the_newest_is_2025_2(policy):
    files = sorted(bundled_policy_dir().glob("gse-2025-*.yaml"))
    assert [r.problems for r in validate_policy_files(files)] == [[], []]
    assert policy.key == "gse-2025@2025.2"
    assert policy.previous_version == "2025.1"
    assert policy.source_path().is_file()


def test_metadata(policy):
    assert policy.title == "中共中央办公厅 国务院办公厅关于加快构建普通高等学校毕业生高质量就业服务体系的意见"
    assert (policy.issued.isoformat(), policy.published.isoformat()) == ("2024-11-03", "2025-04-08")


def test_parts_two_to_seven_with_their_official_titles(policy):
    assert [(s.number, s.title) for s in policy.sections] == PARTS
    assert [o.ref for o in policy.source_text.out_of_scope] == ["一"]  # 总体要求 has no numbered item


def test_measures_one_to_twenty_with_their_official_headings_all_verified(policy):
    measures = list(policy.measures())
    assert [m.heading for m in measures] == HEADINGS
    assert all(m.verified for m in measures) and all(s.verified for s in policy.sections)
    # the measure id carries the official number: （十一） is assistance.11
    assert [m.id.rsplit(".", 1)[1] for m in measures] == [str(n) for n in range(1, 21)]


def test_every_item_says_where_it_comes_from(policy):
    for item in policy.items():
        assert item.basis is not None and item.basis.kind is not None, item.id
        if item.basis.kind is BasisKind.OPINION:
            assert item.basis.quotes, item.id
        else:
            assert item.basis.source and item.basis.year, item.id


@pytest.mark.parametrize("duty", UNIVERSITY_DUTIES)
def test_every_requirement_on_universities_is_a_checkable_item(policy, duty):
    found = [i for i in policy.items() if i.actor is Actor.UNIVERSITY and duty in i.title]
    assert found, duty
    assert all(i.evidence for i in found)


@pytest.mark.parametrize(
    ("name", "target", "comparator", "kind", "cited"),
    [("专职就业工作人员", 500, "<=", BasisKind.NOTICE, "教学〔2012〕11号"),
     ("经费", 1, ">=", BasisKind.PRACTICE, "陕西"),
     ("学时", 38, ">=", BasisKind.NOTICE, "教高厅〔2007〕7号"),
     ("访企拓岗", 100, ">=", BasisKind.NOTICE, "教学厅函〔2022〕3号"),
     ("推送岗位数", 5, ">=", BasisKind.PRACTICE, "陕西"),
     ("联系服务率", 98, ">=", BasisKind.PRACTICE, "山东")],
)
def test_targets_not_in_the_opinion_are_reference_indicators_with_their_source(policy, name, target, comparator,
                                                                                kind, cited):
    [item] = [i for i in policy.items() if i.indicator and name in i.indicator.name]
    assert (item.indicator.target, item.indicator.comparator) == (target, comparator)
    assert item.reference_indicator
    assert item.indicator_basis.kind is kind and cited in item.indicator_basis.citation


def test_no_indicator_claims_to_be_the_opinions_own(policy):
    assert all(i.reference_indicator for i in policy.items() if i.indicator)


def test_what_contradicted_the_text_is_corrected(policy):
    text = json.dumps(policy_json(policy), ensure_ascii=False)
    assert "一次性求职补贴" in policy.item("assistance.11.c").title and "求职创业补贴" not in text
    assert "脱贫家庭、低保家庭、低保边缘家庭、刚性支出困难家庭、零就业家庭以及有残疾的、较长时间未就业的" in (
        policy.item("assistance.11.a").title)
    assert "一把手" not in text
    # follow-up after graduation is the human-resources departments' (七（二十）), not a university duty
    contact = [i for i in policy.items() if i.indicator and "联系" in i.indicator.name]
    assert [i.actor for i in contact] == [Actor.LOCAL]
    assert policy.item("supply.2.c").basis.kind is BasisKind.OPINION


def test_every_item_of_2025_1_is_continued_by_an_item_of_2025_2(previous, policy):
    assert [old for old, found in successors(previous, policy).items() if not found] == []


def test_university_items_of_2025_1_continue_as_university_items(previous, policy):
    new = {i.id: i for i in policy.items()}
    for old_id, found in successors(previous, policy).items():
        if previous.item(old_id).actor is Actor.UNIVERSITY:
            assert new[found[0]].actor is Actor.UNIVERSITY, old_id


@pytest.mark.parametrize(
    ("fragment", "first_due"),
    [("就业质量年度报告", "2025-12-31"), ("四到位", "2025-10-10"), ("访企拓岗", "2025-08-31")],
)
def test_recurring_obligations_have_cadences(policy, fragment, first_due):
    item = next(i for i in policy.items() if i.cadence and fragment in i.title)
    assert occurrences(item.cadence, date(2025, 1, 1), date(2025, 12, 31))[0].isoformat() == first_due


def test_scope_is_regular_institutions_not_adult_colleges(policy):
    assert policy.applies_to.levels == ("本科", "专科")
    assert policy.institution_items(level="成人", province="山西省") == []
    assert len(policy.institution_items(level="专科", province="山西省")) > 0


def test_the_official_text_is_shipped_unchanged_with_its_provenance():
    data = (bundled_policy_dir() / "sources" / "gse-2025-opinion.txt").read_bytes()
    # Kept byte for byte as taken from the People's Daily page; fix catalogs, never the text.
    assert hashlib.sha256(data).hexdigest() == "e5f98d12b96527faccdaa1043e2dca5b3b1253d3ed64e31a5594b03b4cc09978"
    assert data.decode("utf-8").startswith("来源：《人民日报》2025年4月9日第1版（要闻），新华社北京2025年4月8日电")


def test_the_sources_folder_is_not_taken_for_catalogs():
    folder = bundled_policy_dir()
    assert (folder / "sources" / "README.md").is_file()
    checked = [Path(r.path) for r in validate_policy_files([folder])]
    assert checked and all(p.parent == folder and p.suffix == ".yaml" for p in checked)


def test_the_bundled_catalog_builds_the_same_policy_as_stored_text_without_its_checks():
    path = sorted(bundled_policy_dir().glob("gse-2025-*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    assert parse_checked(text, "x") == parse_catalog(text, "x")
