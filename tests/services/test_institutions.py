"""Institutions: from the bundled list or by hand; imports by province and level; renames keep records."""

import pytest
from sqlmodel import Session

from codes import SHANXI
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.errors import Ambiguous, InvalidInput, NotFound
from jobpolicy.services.history import show_records
from jobpolicy.services.institutions import (
    add_institution,
    import_institutions,
    list_institutions,
    search_institutions,
)
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


# --- by name ---------------------------------------------------------------------------------------------------------


def test_add_by_the_exact_name_or_a_part_only_one_listed_school_has(engine):
    assert add_institution(engine, "北京大学").institution.code == "4111010001"
    assert add_institution(engine, "中国人民大").institution.name == "中国人民大学"
    assert add_institution(engine, "山西大学").outcome == "exists"
    assert add_institution(engine, "南开大学").institution.code == "4112010055"  # though 南开大学滨海学院 contains it


def test_a_name_several_listed_schools_fit_adds_nothing_and_lists_them(engine):
    with pytest.raises(Ambiguous) as caught:
        add_institution(engine, "山西")
    error = caught.value
    assert error.message.startswith("“山西”对应教育部名单中的 ") and error.message.endswith(" 所学校，请写全称或学校标识码")
    assert error.candidates[0] == "4114010108 山西大学（山西省，本科）" and len(error.candidates) == 10
    assert error.more > 0
    assert error.hint == "例如 jobpolicy institution add 4114010108；jobpolicy institution search 山西 列出全部"
    assert [s.code for s in list_institutions(engine)] == [SHANXI, "4114010112", "4114012388"]


def test_a_name_no_listed_school_has_suggests_the_nearest(engine):
    with pytest.raises(NotFound) as caught:
        add_institution(engine, "北京大雪")
    assert caught.value.message == "教育部 2026 年高校名单中没有“北京大雪”"
    assert caught.value.hint.startswith("您是不是要找：北京大学")
    assert caught.value.hint.endswith("；名单外的学校用 10 位学校标识码和 --name 添加")


def test_search_marks_the_schools_already_added(engine):
    result = search_institutions(engine, "理工", province="山西")
    assert [(h.school.name, h.added) for h in result.hits] == [("太原理工大学", True), ("山西晋中理工学院", False)]
    assert [h.school.name for h in search_institutions(engine, "南开大学").hits] == ["南开大学", "南开大学滨海学院"]


def test_search_with_no_hit_offers_near_names(engine):
    result = search_institutions(engine, "山西大雪", province="山西省")
    assert (result.hits, result.near[0]) == ([], "山西大学")
    with pytest.raises(InvalidInput, match="没有给出要查找的学校名称"):
        search_institutions(engine, " ")
