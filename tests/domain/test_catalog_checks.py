"""Catalog validation, one fixture per concern: every problem is found at once, with line, id and message."""

from pathlib import Path

import pytest

from jobpolicy.domain.catalog_checks import rrule_problem
from jobpolicy.domain.catalog_loader import read_catalog


def problems_of(path: Path) -> list[tuple[int | None, str | None, str]]:
    policy, problems = read_catalog(path)
    assert policy is None
    return [(p.line, p.id, p.message) for p in problems]


def test_good_minimal_has_no_problem(catalogs):
    policy, problems = read_catalog(catalogs / "good_minimal" / "demo.yaml")
    assert problems == [] and policy is not None


def test_yaml_syntax_error(catalogs):
    assert problems_of(catalogs / "bad_syntax" / "demo.yaml") == [
        (12, None, "YAML 语法错误（第 13 列）：expected ',' or ']', but got ':'"),
    ]


def test_unknown_missing_and_mistyped_keys(catalogs):
    assert problems_of(catalogs / "bad_keys" / "demo.yaml") == [
        (3, None, "policy 缺少必填字段“issuer”"),
        (4, None, "policy 字段“version”应为文本"),
        (8, None, "policy 有未知字段“author”（允许：id、version、title、short_title、issuer、issued、published、"
                  "source、scope、previous_version、applies_to、notes、source_text）"),
        (15, "guidance.1", "举措的 basis 缺少必填字段“ref”"),
        (21, "guidance.1.a", "检查项有未知字段“deadline”（允许：id、actor、title、evidence、basis、indicator、due、"
                             "cadence、weight、applies_to、replaces）"),
        (22, "guidance.1.a", "检查项有未知字段“verified”（允许：id、actor、title、evidence、basis、indicator、due、"
                             "cadence、weight、applies_to、replaces）"),
        (23, "guidance.1.b", "检查项缺少必填字段“title”"),
    ]


def test_duplicate_and_misplaced_ids(catalogs):
    assert problems_of(catalogs / "bad_duplicate_ids" / "demo.yaml") == [
        (21, "guidance.1.a", "编号重复：“guidance.1.a”已在第 17 行使用"),
        (25, None, "字段“title”在同一层重复出现"),
        (26, "guidance.1", "编号重复：“guidance.1”已在第 13 行使用"),
        (30, "guidance.2.a", "编号“guidance.2.a”不在举措“guidance.1”之下，应以“guidance.1.”开头"),
        (34, "Guidance", "体系编号应为小写英文单词（如 supply）"),
        (37, "Guidance.x", "编号格式不对，应为“Guidance.1”这样的形式"),
        (41, "Guidance.x.1", "编号格式不对，应为“Guidance.x.a”这样的形式"),
    ]


def test_section_without_measure_and_measure_without_item(catalogs):
    assert problems_of(catalogs / "bad_empty" / "demo.yaml") == [
        (16, "guidance.1", "举措没有任何检查项"),
        (19, "support", "体系没有任何举措"),
    ]


def test_unknown_actor_and_university_item_without_evidence(catalogs):
    assert problems_of(catalogs / "bad_unknown_actor" / "demo.yaml") == [
        (18, "guidance.1.a", "未知的执行主体“school”（可选：university、province、local、ministry）"),
        (21, "guidance.1.b", "高校检查项缺少佐证要求 evidence（写明什么材料能证明已完成）"),
    ]


def test_rrules_dateutil_rejects_or_that_never_occur(catalogs):
    assert problems_of(catalogs / "bad_rrule" / "demo.yaml") == [
        (21, "guidance.1.a", "周期规则“FREQ=YEARLY;BYMONTH=13”从 2025-01-01 起不会产生任何日期（检查月份和日期）"),
        (26, "guidance.1.b", "周期规则“BYMONTH=12;BYMONTHDAY=31”缺少 FREQ（如 FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31）"),
        (31, "guidance.1.c", "周期规则 rrule 中不要写 DTSTART，请用 cadence.start"),
        (36, "guidance.1.d", "周期规则“FREQ=FORTNIGHTLY”的频率 FREQ 只能是 YEARLY、MONTHLY、WEEKLY、DAILY"),
    ]


def test_impossible_and_malformed_dates(catalogs):
    assert problems_of(catalogs / "bad_dates" / "demo.yaml") == [
        (7, None, "issued 日期“2025-02-30”不存在"),
        (8, None, "published 日期“2025/4/8”格式应为 YYYY-MM-DD"),
        (22, "guidance.1.a", "due 日期“2025-13-01”不存在"),
        (28, "guidance.1.b", "start 日期“2025-06-31”不存在"),
        (28, "guidance.1.b", "不能同时设置一次性截止日期 due 和周期 cadence"),
    ]


def test_targets_comparators_weights_and_levels(catalogs):
    assert problems_of(catalogs / "bad_numbers" / "demo.yaml") == [
        (9, None, "适用层次“研究生”无效（可选：本科、专科、成人）"),
        (22, "support.1.a", "指标目标值 target“一比五百”不是数字"),
        (27, "support.1.b", "比较符“=>”无效（可选：>=、<=、>、<、==）"),
        (28, "support.1.b", "权重 weight“0”应为正数"),
        (33, "support.1.c", "权重 weight“高”应为正数"),
    ]


def test_replaces_without_previous_version_or_not_an_item_id(catalogs):
    assert problems_of(catalogs / "bad_replaces" / "demo.yaml") == [
        (21, "guidance.1.a", "replaces 中的“not-an-id”不是检查项编号（如 supply.1.a）"),
        (21, "guidance.1.a", "使用 replaces 时须在 policy 中写明上一版本 previous_version"),
    ]


def test_replaces_checked_against_the_previous_version(catalogs):
    previous, _ = read_catalog(catalogs / "good_versions" / "demo-v2.yaml")
    policy, problems = read_catalog(catalogs / "bad_replaces" / "demo-v3.yaml", previous=previous)
    assert [(p.line, p.message) for p in problems] == [
        (22, "replaces 指向的“guidance.1.b”在上一版本 2 中不存在"),
        (22, "replaces 指向的“guidance.1.z”在上一版本 2 中不存在"),
    ]


def test_elements_that_are_not_mappings(catalogs):
    assert problems_of(catalogs / "bad_not_mapping" / "demo.yaml") == [
        (10, None, "sections 的每一项应为键值映射（section）"),
        (16, "guidance.1", "举措字段“basis”应为键值映射"),
        (18, None, "items 的每一项应为键值映射（item）"),
    ]


def test_a_file_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert problems_of(path) == [(1, None, "文件内容应为一个键值映射（format、policy、sections）")]


def test_unsupported_format_version(tmp_path, catalogs):
    text = (catalogs / "good_minimal" / "demo.yaml").read_text(encoding="utf-8")
    path = tmp_path / "future.yaml"
    path.write_text(text.replace("format: 1", "format: 2"), encoding="utf-8")
    assert problems_of(path) == [(1, None, "不支持的清单格式版本 2（本程序支持：1）；请升级 jobpolicy")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.yaml", None, "文件不存在"),
        ("gbk.yaml", "标题: 示例".encode("gbk"), "文件不是 UTF-8 编码；请用 UTF-8 保存"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert problems_of(path) == [(None, None, message)]


@pytest.mark.parametrize(
    ("rule", "ok"),
    [
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", True),
        ("RRULE:FREQ=MONTHLY;BYMONTH=7,8,9,10,11,12;BYMONTHDAY=-1", True),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", False),
        ("FREQ=YEARLY;UNTIL=20250101", False),  # ends before the start
        ("FREQ=WEEKLY;BYDAY=XX", False),
    ],
)
def test_rrule_problem(rule, ok):
    from datetime import date

    assert (rrule_problem(rule, date(2025, 6, 1)) is None) is ok


def test_item_and_indicator_bases_have_what_their_kind_needs(catalogs):
    assert problems_of(catalogs / "bad_bases" / "demo.yaml") == [
        (24, "guidance.1.a", "basis 缺少必填字段“year”"),
        (29, "guidance.1.b", "basis 缺少来源类型为 opinion 的必填字段“quote”"),
        (38, "guidance.1.c", "basis 的 ref 只用于来源类型 opinion（政策原文中的位置）"),
        (48, "guidance.1.d", "indicator.basis 的来源类型“law”无效（可选：opinion、notice、practice）"),
    ]
