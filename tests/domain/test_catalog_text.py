"""How a catalog's parts read to people: one wording of each heading, note and label, whatever the view."""

from dataclasses import replace
from pathlib import Path

import pytest

from jobpolicy.domain.catalog import Actor, BasisKind, Indicator, Item, ItemBasis
from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.catalog_text import (
    REFERENCE_LEGEND,
    UNVERIFIED,
    basis_label,
    heading_label,
    indicator_label,
    indicator_reading,
    indicator_source,
    indicator_target,
    indicator_verdict,
    item_measure,
    measure_number,
    missed_target,
    numbering_note,
    reference_legend,
    section_headings,
)

CATALOGS = Path(__file__).parents[1] / "data" / "catalogs"
BUNDLED = Path(__file__).parents[2] / "policies" / "gse-2025-2025.1.yaml"
STAFFING = Item("support.25.b", Actor.UNIVERSITY, "按1:500配备专职人员",
                indicator=Indicator("配比", "名毕业生/人", 500, "<="))
NOTICE = ItemBasis(BasisKind.NOTICE, source="教育部关于做好2013届毕业生就业工作的通知", number="教学〔2012〕11号",
                   year=2012)
PRACTICE = ItemBasis(BasisKind.PRACTICE, source="山东省实名服务做法", year=2021)
OPINION = ItemBasis(BasisKind.OPINION, quotes=("配备专职人员",))


@pytest.fixture(scope="module")
def numbered():
    return load_policy_file(CATALOGS / "good_numbered" / "numbered.yaml")


@pytest.fixture(scope="module")
def bundled():
    return load_policy_file(BUNDLED)


def test_verified_headings_carry_their_official_number_and_no_note(numbered):
    section = numbered.sections[0]
    measure = section.measures[0]
    assert (heading_label(section), heading_label(measure)) == ("五、完善帮扶援助体系", "（十一）健全困难帮扶机制")
    assert numbering_note(section) == numbering_note(measure) == ""
    assert measure_number(measure) == "（十一）"
    assert section_headings(numbered) == {"assistance": "五、完善帮扶援助体系", "support": "七、巩固支持保障体系"}


def test_unverified_parts_of_the_old_catalog_are_marked(bundled):
    supply, guidance = bundled.sections[0], bundled.sections[1]
    assert heading_label(supply) == "二、优化培养供给体系"  # verified in 2025.1
    assert heading_label(guidance) == f"三、强化就业指导体系{UNVERIFIED}"
    assert heading_label(guidance.measures[0]) == f"强化生涯教育与就业指导{UNVERIFIED}"
    assert measure_number(guidance.measures[0]) == ""  # no number to show
    assert measure_number(replace(guidance.measures[0], number="（四）")) == f"（四）{UNVERIFIED}"


def test_item_measure(numbered):
    assert item_measure(numbered, "assistance.11.b").heading == "（十一）健全困难帮扶机制"
    assert item_measure(numbered, "assistance.9.a") is None  # not (or no longer) in this policy


@pytest.mark.parametrize(
    ("item", "target", "source"),
    [
        (replace(STAFFING, basis=OPINION), "指标：配比 ≤ 500 名毕业生/人", ""),
        (replace(STAFFING, basis=NOTICE), "参考指标：配比 ≤ 500 名毕业生/人",
         "来源：教育部关于做好2013届毕业生就业工作的通知（教学〔2012〕11号，2012年）"),
        # the indicator's own basis wins over the item's
        (replace(STAFFING, basis=OPINION, indicator=replace(STAFFING.indicator, basis=PRACTICE)),
         "参考指标：配比 ≤ 500 名毕业生/人", "来源：山东省实名服务做法（2021年）"),
        (STAFFING, "参考指标：配比 ≤ 500 名毕业生/人", "来源：未注明"),
        (replace(STAFFING, indicator=None), "", ""),
    ],
)
def test_indicator_label_names_a_reference_and_its_source(item, target, source):
    assert (indicator_target(item), indicator_source(item)) == (target, source)
    assert indicator_label(item) == (f"{target}（{source}）" if source else target)


def test_every_indicator_of_the_old_catalog_is_a_reference(bundled):
    labels = [indicator_label(item) for item in bundled.items() if item.indicator]
    assert labels and all(label.startswith("参考指标：") and "（来源：" in label for label in labels)


def test_basis_label_by_kind(numbered):
    measure = numbered.sections[0].measures[0]
    assert basis_label(OPINION, measure) == "政策原文　“配备专职人员”（五、（十一））"  # the measure's unit
    assert basis_label(replace(OPINION, ref="五、（十一）第二句")) == "政策原文　“配备专职人员”（五、（十一）第二句）"
    assert basis_label(NOTICE) == "此前的国家通知　教育部关于做好2013届毕业生就业工作的通知（教学〔2012〕11号，2012年）"
    assert basis_label(replace(PRACTICE, quotes=("联系率98%",))) == "地方做法　山东省实名服务做法（2021年）　“联系率98%”"
    assert basis_label(ItemBasis(source="教育部通知", year=2014)) == "教育部通知（2014年）"  # a catalog without kinds


def test_reference_legend_only_when_a_reference_is_shown(numbered):
    assert reference_legend(numbered.items()) == REFERENCE_LEGEND
    assert reference_legend([numbered.item("support.25.a")]) == ""  # the policy sets that target
    assert "政策原文没有规定" in REFERENCE_LEGEND and "国家通知" in REFERENCE_LEGEND and "地方做法" in REFERENCE_LEGEND


@pytest.mark.parametrize(
    ("status", "value", "verdict", "reading", "warned"),
    [
        ("done", 480.0, "达标", "实际 480（达标）", False),
        ("done", 620.0, "未达标", "实际 620（未达标）", True),
        ("in_progress", 620.0, "未达标", "实际 620（未达标）", False),  # only 已完成 is judged on entry
        ("done", None, "", "未填", False),
    ],
)
def test_an_indicator_is_judged_in_one_wording_everywhere(status, value, verdict, reading, warned):
    assert (indicator_verdict(STAFFING, value), indicator_reading(STAFFING, value)) == (verdict, reading)
    warning = missed_target(STAFFING, status, value)
    assert warning == ("support.25.b 标为已完成，但指标值 620 未达到目标（参考指标：配比 ≤ 500 名毕业生/人）" if warned else "")


def test_an_item_without_an_indicator_reads_nothing():
    plain = replace(STAFFING, indicator=None)
    assert (indicator_verdict(plain, 1.0), indicator_reading(plain, 1.0), missed_target(plain, "done", 1.0)) == (
        "", "", "")
