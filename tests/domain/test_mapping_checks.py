"""Mappings between catalogs are checked like a catalog: every problem with file, line and id."""

from pathlib import Path

import pytest

from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.mapping import Relation
from jobpolicy.domain.mapping_checks import parse_mapping
from jobpolicy.reference import bundled_policy_dir

MAPPINGS = Path(__file__).parent.parent / "data" / "mappings"
OPINION = load_policy_file(bundled_policy_dir() / "gse-2025-2025.2.yaml")
OLDER = load_policy_file(bundled_policy_dir() / "gse-2025-2025.1.yaml")


def check(folder: str, name: str = "plan.yaml", *, host: bool = True):
    path = MAPPINGS / folder / name
    plan = load_policy_file(MAPPINGS / folder / "plan.yaml") if host else None
    known = [OPINION, OLDER] + ([] if host else [load_policy_file(MAPPINGS / "good_file" / "plan.yaml")])
    return parse_mapping(path.read_text(encoding="utf-8"), str(path), known=known, host=plan)


def test_the_plan_maps_its_items_onto_the_opinion_naming_both_versions():
    mapping, problems = check("good_inline")

    assert problems == []
    assert mapping.key == "demo-province-2025@1 → gse-2025@2025.2"
    assert [(link.source, link.target, link.relation) for link in mapping.links][:2] == [
        ("guide.1.a", "guidance.4.a", Relation.SUPERSET), ("guide.1.b", "guidance.4.b", Relation.SUBSET)]


def test_a_mapping_file_of_its_own_gives_the_same_links():
    inline, _ = check("good_inline")
    own, problems = check("good_file", "mapping.yaml", host=False)

    assert problems == []
    assert own.links == inline.links and (own.source, own.target) == (inline.source, inline.target)


def test_a_catalog_without_a_mapping_block_holds_no_mapping():
    assert check("good_file") == (None, [])


@pytest.mark.parametrize(("folder", "name", "host", "expected"), [
    ("bad_unknown_items", "plan.yaml", True, [
        (67, "guide.1.z", "检查项“guide.1.z”不在政策 demo-province-2025@1 中"),
        (68, "support.99.a", "检查项“support.99.a”不在政策 gse-2025@2025.2 中")]),
    ("bad_versions", "plan.yaml", True, [(64, "gse-2025", "mapping.to 缺少必填字段“version”")]),
    ("bad_unknown_version", "plan.yaml", True, [
        (64, "gse-2025", "mapping.to 政策 gse-2025 没有版本“2030.1”（已知版本：2025.1、2025.2）")]),
    ("bad_relation", "plan.yaml", True, [
        (67, "guide.1.b", "关系“contains”无效（可选：equal（等同）、subset（被包含）、superset（包含）、intersect（交叉））")]),
    ("bad_file_version", "mapping.yaml", False, [
        (5, "demo-province-2025", "mapping.from 政策 demo-province-2025 没有版本“7”（已知版本：1）")]),
])
def test_a_bad_mapping_is_refused_with_file_line_and_id(folder, name, host, expected):
    if folder == "bad_file_version":
        path = MAPPINGS / folder / name
        known = [OPINION, load_policy_file(MAPPINGS / "good_file" / "plan.yaml")]
        mapping, problems = parse_mapping(path.read_text(encoding="utf-8"), str(path), known=known)
    else:
        mapping, problems = check(folder, name, host=host)

    assert mapping is None
    assert [(p.line, p.id, p.message) for p in problems] == expected
    assert {p.file for p in problems} == {str(MAPPINGS / folder / name)}


def test_the_same_link_twice_is_refused():
    text = (MAPPINGS / "good_file" / "mapping.yaml").read_text(encoding="utf-8")
    text += "    - {item: guide.1.a, to: guidance.4.a, relation: equal}\n"
    known = [OPINION, load_policy_file(MAPPINGS / "good_file" / "plan.yaml")]

    _, problems = parse_mapping(text, "m.yaml", known=known)

    assert [(p.line, p.id, p.message) for p in problems] == [
        (13, "guide.1.a", "guide.1.a → guidance.4.a 的关系已在第 8 行写过")]


def test_a_mapping_onto_its_own_policy_is_refused():
    text = (MAPPINGS / "good_file" / "mapping.yaml").read_text(encoding="utf-8")
    text = text.replace('to: {policy: gse-2025, version: "2025.2"}', 'to: {policy: demo-province-2025, version: "1"}')
    known = [load_policy_file(MAPPINGS / "good_file" / "plan.yaml")]

    _, problems = parse_mapping(text, "m.yaml", known=known)

    assert problems[0].message == "mapping.to 与 from 是同一项政策；映射须在两项政策之间"


@pytest.mark.parametrize(("relation", "inverse", "full"), [
    (Relation.EQUAL, Relation.EQUAL, True), (Relation.SUPERSET, Relation.SUBSET, True),
    (Relation.SUBSET, Relation.SUPERSET, False), (Relation.INTERSECT, Relation.INTERSECT, False)])
def test_a_relation_read_the_other_way_round(relation, inverse, full):
    assert relation.inverse is inverse
    assert relation.full is full
