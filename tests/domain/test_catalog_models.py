"""Building frozen models from a valid catalog: applicability, indicators, wording hash."""

import dataclasses
from datetime import date

import pytest

from jobpolicy.domain.catalog import Actor, Indicator, Measure, MeasureBasis, Section, wording_hash
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.errors import CatalogInvalid


@pytest.fixture
def v1(catalogs):
    return load_policy_file(catalogs / "good_versions" / "demo-v1.yaml")


@pytest.fixture
def v2(catalogs):
    return load_policy_file(catalogs / "good_versions" / "demo-v2.yaml")


def test_models_are_frozen(v1):
    with pytest.raises(dataclasses.FrozenInstanceError):
        v1.title = "x"  # type: ignore[misc]


def test_tree_and_lookup(v1):
    assert v1.key == "demo-2025@1"
    assert [i.id for i in v1.items()] == ["guidance.1.a", "guidance.1.b", "guidance.1.c", "guidance.1.d"]
    item = v1.item("guidance.1.c")
    assert item.cadence.rrule == "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"
    assert item.cadence.start == date(2025, 1, 1)
    assert v1.section_of("guidance.1.c").title == "强化就业指导体系"
    assert v1.item("nope") is None


def test_institution_checklist_holds_matching_university_items(v1):
    ids = [i.id for i in v1.institution_items(level="本科", province="山西省")]
    assert ids == ["guidance.1.a", "guidance.1.b", "guidance.1.c"]  # guidance.1.d is the province's
    assert v1.institution_items(level="成人", province="山西省") == []  # policy default: 本科, 专科


def test_indicator_targets():
    ratio = Indicator("专职就业工作人员与毕业生之比", "名毕业生/人", 500, "<=")
    assert ratio.is_met(480) and ratio.is_met(500) and not ratio.is_met(501)
    assert ratio.display == "专职就业工作人员与毕业生之比 ≤ 500 名毕业生/人"


def test_wording_hash_ignores_whitespace_but_not_wording():
    base = wording_hash("开设必修课", ("课程表",), None)
    assert wording_hash("开设  必修课 ", (" 课程表",), None) == base
    assert wording_hash("开设选修课", ("课程表",), None) != base
    assert wording_hash("开设必修课", ("课程表", "教学大纲"), None) != base


def test_new_version_detects_reworded_and_replaced_items(v1, v2):
    assert v2.previous_version == "1"
    assert v1.item("guidance.1.c").wording_hash == v2.item("guidance.1.c").wording_hash  # unchanged
    assert v1.item("guidance.1.a").wording_hash != v2.item("guidance.1.a").wording_hash  # target 36 -> 38
    assert v2.item("guidance.1.e").replaces == ("guidance.1.b",)


def test_loading_a_bad_file_raises_with_every_problem(catalogs):
    with pytest.raises(CatalogInvalid) as caught:
        load_policy_file(catalogs / "bad_dates" / "demo.yaml")
    assert len(caught.value.problems) == 5
    assert caught.value.exit_code == 3


def test_actor_labels_are_chinese():
    assert [a.label for a in Actor] == ["高校", "省级教育部门", "地方政府", "国家有关部门"]


@pytest.mark.parametrize(("number", "heading"), [("五", "五、帮扶"), ("第二章", "第二章\u3000帮扶"), (None, "帮扶")])
def test_a_section_heading_reads_as_the_document_prints_it(number, heading):
    assert Section("s", "帮扶", (), number=number).heading == heading


def test_an_article_heading_keeps_its_number_apart_and_an_item_runs_on():
    basis = MeasureBasis(("x",), "第五条")
    assert Measure("s.5", "学校开课", basis, (), number="第五条").heading == "第五条\u3000学校开课"
    assert Measure("s.5", "学校开课", basis, (), number="（五）").heading == "（五）学校开课"
