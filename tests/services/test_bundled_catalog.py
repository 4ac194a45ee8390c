"""The bundled 2025 catalog: valid, complete against policy-basis.md, sourced, and scoped to 普通高校."""

import hashlib
import json
from pathlib import Path

import pytest

from jobpolicy.domain.catalog import Actor
from jobpolicy.domain.periods import occurrences
from jobpolicy.reference import bundled_policy_dir
from jobpolicy.render.catalog_views import policy_json
from jobpolicy.services.catalog import get_policy, validate_policy_files

# Every measure named in §1 of shared/policy-basis.md, by a phrase the catalog must carry.
KEY_PHRASES = [
    "人才需求数据库", "招生计划", "转专业", "生涯教育", "国家规划教材", "就业观", "实习与见习", "校园招聘",
    "区域性、行业性", "国家重大战略", "招聘安排和秩序", "多元主体", "就业增长点", "困难帮扶", "离校未就业",
    "宏志助航", "求职意向", "评价结果使用", "双一流", "四到位", "就业指导教师队伍", "就业研究",
    "国家大学生就业服务平台", "公平就业", "组织实施",
]

SEVEN_PARTS = ["优化培养供给体系", "强化就业指导体系", "健全求职招聘体系", "完善帮扶援助体系",
               "创新监测评价体系", "巩固支持保障体系", "强化组织实施"]


@pytest.fixture(scope="module")
def policy():
    return get_policy("gse-2025")


def test_bundled_file_validates():
    results = validate_policy_files([bundled_policy_dir() / "gse-2025.yaml"])
    assert [r.problems for r in results] == [[]]


def test_metadata(policy):
    assert policy.title == "中共中央办公厅 国务院办公厅关于加快构建普通高等学校毕业生高质量就业服务体系的意见"
    assert (policy.issued.isoformat(), policy.published.isoformat()) == ("2024-11-03", "2025-04-08")


def test_seven_parts_in_document_order(policy):
    titles = [s.title for s in policy.sections]
    assert [next(t for t in titles if part in t) for part in SEVEN_PARTS] == titles


@pytest.mark.parametrize("phrase", KEY_PHRASES)
def test_every_measure_of_the_summary_is_in_the_catalog(policy, phrase):
    text = json.dumps(policy_json(policy), ensure_ascii=False)
    assert phrase in text


def test_every_measure_quotes_its_basis_and_says_where(policy):
    for measure in policy.measures():
        assert measure.basis.quote and measure.basis.ref, measure.id
        assert measure.items, measure.id


def test_only_the_verified_part_claims_verified_numbering(policy):
    verified = {m.id for m in policy.measures() if m.verified}
    assert verified == {"supply.1", "supply.2", "supply.3"}
    assert [m.number for m in policy.sections[0].measures] == ["（一）", "（二）", "（三）"]


def test_university_items_say_what_evidence_shows_them_done(policy):
    university = [i for i in policy.items() if i.actor is Actor.UNIVERSITY]
    assert len(university) >= 30
    assert all(i.evidence for i in university)
    # national and provincial items stay in the catalog with their actor
    assert {i.actor for i in policy.items()} >= {Actor.MINISTRY, Actor.PROVINCE}


@pytest.mark.parametrize(
    ("fragment", "target", "comparator"),
    [("专职就业工作人员", 500, "<="), ("经费", 1, ">="), ("学时", 38, ">="), ("访企拓岗", 100, ">=")],
)
def test_long_standing_requirements_carry_indicator_source_and_year(policy, fragment, target, comparator):
    matches = [i for i in policy.items() if i.indicator and fragment in i.title + i.indicator.name]
    assert matches, fragment
    item = matches[0]
    assert (item.indicator.target, item.indicator.comparator) == (target, comparator)
    assert item.basis is not None and item.basis.source and 2000 < item.basis.year < 2026


@pytest.mark.parametrize(
    ("fragment", "first_due"),
    [("就业质量年度报告", "2025-12-31"), ("四到位", "2025-10-10"), ("访企拓岗", "2025-08-31")],
)
def test_recurring_obligations_have_cadences(policy, fragment, first_due):
    item = next(i for i in policy.items() if i.cadence and fragment in i.title)
    from datetime import date

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
