"""A mapping is stored when its catalog (or its mapping file) is loaded, checked against the database's policies."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from jobpolicy.errors import CatalogError, CatalogInvalid
from jobpolicy.services._uow import reading
from jobpolicy.services.mappings import stored_mappings
from jobpolicy.services.policies import load_policy_version
from jobpolicy.storage.models import PolicyMapping, PolicyVersion

MAPPINGS = Path(__file__).parent.parent / "data" / "mappings"
PLAN = "demo-province-2025"


def stored(engine):
    with reading(engine) as session:
        return stored_mappings(session, "gse-2025")


def test_loading_a_plan_stores_its_mapping(engine):
    report = load_policy_version(engine, MAPPINGS / "good_inline" / "plan.yaml", actor="测试")

    assert report.mapping.key == "demo-province-2025@1 → gse-2025@2025.2"
    [mapping] = stored(engine)
    assert mapping == report.mapping
    assert len(mapping.links) == 5


def test_loading_the_same_plan_again_changes_nothing(engine):
    load_policy_version(engine, MAPPINGS / "good_inline" / "plan.yaml", actor="测试")
    again = load_policy_version(engine, MAPPINGS / "good_inline" / "plan.yaml", actor="测试")

    assert again.loaded is False
    with Session(engine) as session:
        assert len(session.exec(select(PolicyMapping)).all()) == 1


def test_a_mapping_file_is_stored_once_its_plan_is_loaded(engine):
    with pytest.raises(CatalogInvalid) as refused:
        load_policy_version(engine, MAPPINGS / "good_file" / "mapping.yaml", actor="测试")
    assert [(p.line, p.id) for p in refused.value.problems] == [(5, PLAN)]

    load_policy_version(engine, MAPPINGS / "good_file" / "plan.yaml", actor="测试")
    report = load_policy_version(engine, MAPPINGS / "good_file" / "mapping.yaml", actor="测试")

    assert report.mapping_only and report.mapping.key == "demo-province-2025@1 → gse-2025@2025.2"
    assert [m.links for m in stored(engine)] == [report.mapping.links]
    again = load_policy_version(engine, MAPPINGS / "good_file" / "mapping.yaml", actor="测试")
    assert again.mapping_only and not again.loaded


def test_a_mapping_file_changed_after_loading_is_refused(engine, tmp_path):
    load_policy_version(engine, MAPPINGS / "good_file" / "plan.yaml", actor="测试")
    load_policy_version(engine, MAPPINGS / "good_file" / "mapping.yaml", actor="测试")
    changed = tmp_path / "mapping.yaml"
    changed.write_text((MAPPINGS / "good_file" / "mapping.yaml").read_text(encoding="utf-8")
                       .replace("relation: subset", "relation: intersect"), encoding="utf-8")

    with pytest.raises(CatalogError, match="已加载过，但内容不同"):
        load_policy_version(engine, changed, actor="测试")


def test_a_plan_with_a_bad_mapping_is_refused_and_nothing_is_stored(engine):
    with pytest.raises(CatalogInvalid) as refused:
        load_policy_version(engine, MAPPINGS / "bad_unknown_items" / "plan.yaml", actor="测试")

    assert [(p.line, p.id) for p in refused.value.problems] == [(67, "guide.1.z"), (68, "support.99.a")]
    with Session(engine) as session:
        assert session.exec(select(PolicyVersion).where(PolicyVersion.policy_id == PLAN)).all() == []
        assert session.exec(select(PolicyMapping)).all() == []
