"""Institutions: from the bundled list or by hand; imports by province and level; renames keep records."""

import pytest
from sqlmodel import Session

from codes import SHANXI
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.errors import InvalidInput
from jobpolicy.services.history import show_records
from jobpolicy.services.institutions import add_institution, import_institutions, list_institutions
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.scope import resolve_scope
from jobpolicy.storage.models import Institution


def test_add_fills_in_from_the_list(engine):
    result = add_institution(engine, "4111010001")
    school = result.institution
    assert (result.outcome, school.name, school.province, school.city, school.level, school.listed) == (
        "added", "北京大学", "北京市", "北京市", "本科", True)
    assert add_institution(engine, "4111010001").outcome == "exists"


def test_add_unlisted_needs_a_name(engine):
    with pytest.raises(InvalidInput) as caught:
        add_institution(engine, "4199999999")
    assert caught.value.message == "学校标识码 4199999999 不在教育部 2026 年高校名单中，需用 --name 写明学校名称"
    school = add_institution(engine, "4199999999", name="某新建学院", province="山西省", level="本科").institution
    assert (school.name, school.listed) == ("某新建学院", False)


def test_import_a_province_leaves_adult_colleges_out(engine):
    result = import_institutions(engine, province="山西")
    stored = list_institutions(engine, scope=InstitutionScope(province="山西省"))
    assert len(stored) == 84 and {s.level for s in stored} == {"本科", "专科"}
    assert len(result.added) == 81 and result.unchanged == 3  # the engine fixture added three already
    assert import_institutions(engine, province="山西").added == []


def test_import_by_level(engine):
    import_institutions(engine, province="山西省", level="专科")
    assert {s.level for s in list_institutions(engine, scope=resolve_scope(province="山西"))} == {"本科", "专科"}


def test_a_newer_list_renames_and_records_survive(engine):
    set_record(engine, SHANXI, "support.16.a", RawChange(status="已完成"), actor="张")
    with Session(engine) as session, session.begin():
        session.get(Institution, SHANXI).name = "山西大学（旧名）"
    assert add_institution(engine, SHANXI).outcome == "updated"
    view = show_records(engine, SHANXI)
    assert view.institution.name == "山西大学"
    assert next(e for e in view.lines if e.item.id == "support.16.a").state.status == "done"


def test_import_an_unknown_province(engine):
    with pytest.raises(InvalidInput, match="省份“火星”无法识别"):
        import_institutions(engine, province="火星")


def test_a_school_added_by_hand_is_stored_under_its_provinces_full_name(engine):
    add_institution(engine, "4199999998", name="某新建职业学院", province="山西", level="专科")
    found = list_institutions(engine, scope=resolve_scope(province="山西", level="专科"))
    assert [(s.code, s.province) for s in found if not s.listed] == [("4199999998", "山西省")]
    with pytest.raises(InvalidInput, match="省份“火星”无法识别"):
        add_institution(engine, "4199999997", name="某学院", province="火星")
