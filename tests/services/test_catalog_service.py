"""Catalog use cases: bundled policies, lookup by id and version, validating files and folders."""

import pytest

from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services.catalog import bundled_policies, get_policy, validate_policy_files


def test_bundled_policies_include_gse_2025():
    assert [p.key for p in bundled_policies()] == ["gse-2025@2025.1"]


@pytest.mark.parametrize("name", ["gse-2025", "gse-2025@2025.1"])
def test_get_policy_by_id_or_key(name):
    assert get_policy(name).key == "gse-2025@2025.1"


def test_unknown_policy_names_the_known_ones():
    with pytest.raises(NotFound) as caught:
        get_policy("gse-2030")
    assert caught.value.message == "没有政策“gse-2030”"
    assert caught.value.hint == "可用的政策：gse-2025@2025.1；运行 jobpolicy policy list 查看"


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
