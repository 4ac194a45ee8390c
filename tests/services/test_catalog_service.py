"""Catalog use cases: bundled policies, lookup by id and version, validating files and folders, source texts."""

import pytest

from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.reference import bundled_policy_dir
from jobpolicy.services.catalog import (
    bundled_policies,
    catalog_file,
    get_policy,
    looks_like_path,
    newest_bundled,
    policy_source_text,
    validate_policy_files,
)


def test_bundled_policies_include_both_versions_of_gse_2025_oldest_first():
    assert [p.key for p in bundled_policies()] == ["gse-2025@2025.1", "gse-2025@2025.2"]


@pytest.mark.parametrize(("name", "key"), [("gse-2025", "gse-2025@2025.2"), ("gse-2025@2025.1", "gse-2025@2025.1"),
                                           ("gse-2025@2025.2", "gse-2025@2025.2")])
def test_get_policy_by_id_gives_the_newest_and_by_key_that_version(name, key):
    assert get_policy(name).key == key


def test_the_newest_bundled_version_of_each_policy():
    assert [p.key for p in newest_bundled()] == ["gse-2025@2025.2"]


@pytest.mark.parametrize("spec", ["gse-2025@2025.2", "gse-2025"])
def test_a_catalog_file_can_be_named_by_a_bundled_version(spec):
    assert catalog_file(spec) == bundled_policy_dir() / "gse-2025-2025.2.yaml"


@pytest.mark.parametrize("spec", ["new.yaml", "drafts/gse-2025", "drafts\\gse-2025", "C:\\政策\\新版.yaml", "D:新版",
                                  "C:\\政策\\gse-2025@2025.2", "新版.YML", "~/政策/新版"])
def test_a_path_that_does_not_exist_is_not_taken_for_a_policy_name(spec):
    with pytest.raises(NotFound) as caught:
        catalog_file(spec)
    assert (caught.value.message, caught.value.hint) == (
        f"清单文件 {spec} 不存在", "检查路径，或给出内置政策，如 gse-2025@2025.2")


def test_an_existing_file_is_that_file(catalogs):
    assert catalog_file(catalogs / "good_minimal" / "demo.yaml") == catalogs / "good_minimal" / "demo.yaml"


def test_an_unknown_bundled_version_is_not_found():
    with pytest.raises(NotFound) as caught:
        catalog_file("gse-2025@2030.1")
    assert caught.value.message == "没有政策“gse-2025@2030.1”"


def test_unknown_policy_names_the_known_ones():
    with pytest.raises(NotFound) as caught:
        get_policy("gse-2030")
    assert caught.value.message == "没有政策“gse-2030”"
    assert caught.value.hint == "可用的政策：gse-2025@2025.1、gse-2025@2025.2；运行 jobpolicy policy list 查看"


def test_validate_a_folder_checks_every_file_and_replaces_against_its_sibling(catalogs):
    results = validate_policy_files([catalogs / "bad_replaces"])
    assert [(r.path.rsplit("/", 1)[-1], len(r.problems)) for r in results] == [
        ("demo-v2.yaml", 0), ("demo-v3.yaml", 2), ("demo.yaml", 2),
    ]


def test_validate_versions_together(catalogs):
    results = validate_policy_files([catalogs / "good_versions"])
    assert [r.policy.key for r in results] == ["demo-2025@1", "demo-2025@2"]


def test_a_folder_without_catalogs_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInput, match="中没有 .yaml 清单文件"):
        validate_policy_files([tmp_path])


# --- the official text ------------------------------------------------------------------------------------------

OPINION = bundled_policy_dir() / "sources" / "gse-2025-opinion.txt"

# The 2025.1 catalog quotes a newspaper summary, not the text: these measures' quotes are not verbatim. Most join
# the item's heading and a later sentence with "，" where the text has "。" (and skip what lies between);
# recruitment.3 adds a 等; assistance.3, evaluation.2 and support.1 use ASCII quotation marks for “”.
NOT_VERBATIM_2025_1 = ["supply.1", "supply.2", "supply.3", "guidance.3", "recruitment.3", "recruitment.5",
                       "assistance.1", "assistance.3", "evaluation.2", "support.1", "support.4", "organisation.1"]
# Their refs (三（据摘要第二段） …) name no unit of the text; only the three measures of part 二 have real ones.
BAD_REFS_2025_1 = ["guidance.1", "guidance.2", "guidance.3", "guidance.4", "recruitment.1", "recruitment.2",
                   "recruitment.3", "recruitment.4", "recruitment.5", "assistance.1", "assistance.2", "assistance.3",
                   "evaluation.1", "evaluation.2", "support.1", "support.2", "support.3", "support.4", "support.5",
                   "organisation.1"]


@pytest.fixture(scope="module")
def checked_2025_1():
    [result] = validate_policy_files([bundled_policy_dir() / "gse-2025-2025.1.yaml"], source=OPINION)
    return result


def test_2025_1_against_the_text_quotes(checked_2025_1):
    quotes = [p.id for p in checked_2025_1.problems if p.message.startswith("basis.quote")]
    assert quotes == NOT_VERBATIM_2025_1
    assert sum(1 for _ in get_policy("gse-2025@2025.1").measures()) == 23


def test_2025_1_against_the_text_refs(checked_2025_1):
    refs = [p.id for p in checked_2025_1.problems if p.message.startswith("basis.ref")]
    assert refs == BAD_REFS_2025_1


def test_2025_1_against_the_text_coverage(checked_2025_1):
    uncovered = [p.message.split("「")[0] for p in checked_2025_1.problems if p.line is None]
    items = ["三（四）", "三（五）", "三（六）", "四（七）", "四（八）", "四（九）", "四（十）", "五（十一）", "五（十二）",
             "六（十三）", "六（十四）", "七（十五）", "七（十六）", "七（十七）", "七（十八）", "七（十九）", "七（二十）"]
    assert uncovered == ["原文部分 一"] + [f"原文条目 {ref}" for ref in items]


def test_2025_1_against_the_text_has_no_other_problem(checked_2025_1):
    assert checked_2025_1.policy is None
    assert len(checked_2025_1.problems) == len(NOT_VERBATIM_2025_1) + len(BAD_REFS_2025_1) + 18 == 50


def test_a_catalog_that_names_its_source_is_checked_against_its_own(catalogs):
    results = validate_policy_files([catalogs / "good_source"], source=OPINION)
    assert [r.problems for r in results] == [[]]


def test_a_given_source_that_cannot_be_read_is_invalid_input(catalogs, tmp_path):
    with pytest.raises(InvalidInput) as caught:
        validate_policy_files([catalogs / "good_minimal"], source=tmp_path / "nope.txt")
    assert (caught.value.message, caught.value.hint) == (f"原文文件 {tmp_path / 'nope.txt'} 不存在",
                                                         "检查 --source 给出的原文文件（UTF-8 纯文本）")


def test_the_source_text_of_a_bundled_policy(bundled_with_source, catalogs):
    shipped = policy_source_text("demo-2025")
    assert (shipped.key, shipped.file) == ("demo-2025@1", "source.txt")
    assert shipped.text == (catalogs / "good_source" / "source.txt").read_text(encoding="utf-8")


def test_a_policy_without_source_text_has_none_to_show():
    with pytest.raises(NotFound) as caught:
        policy_source_text("gse-2025@2025.1")
    assert caught.value.message == "政策 gse-2025@2025.1 没有附带原文"
    assert caught.value.hint == "清单须在 policy.source_text.file 中写明原文文件（放在 policies/sources/ 下）"


@pytest.mark.parametrize(("text", "path"), [
    ("gse-2025", False), ("gse-2025@2025.2", False), ("C:\\政策\\新版.yaml", True), ("C:新版", True),
    ("\\\\服务器\\共享\\新版.yaml", True), ("policies/gse-2025-2025.2.yaml", True), ("新版.yml", True)])
def test_what_looks_like_a_path_the_windows_way(text, path):
    assert looks_like_path(text) is path
