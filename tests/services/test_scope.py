"""The filter in SQL: the names matched against the bundled MOE list, one condition on ``institution``, the schools
it selects on SQLite and PostgreSQL, and the plain message when it selects none."""

import pytest
from sqlalchemy import event, func, select
from sqlmodel import Session

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.scope import codes_within, resolve_scope, schools_in, scope_condition
from jobpolicy.storage.models import Institution, Record

PEKING = "4111010001"  # 北京大学: 北京市, 本科, 教育部
SHANXI_INFO = "4114013541"  # 山西信息职业技术学院: 山西省, 专科, 山西省教育厅
SHANXI_APPLIED = "4114012779"  # 山西应用科技学院: 山西省, 本科, 山西省教育厅


@pytest.fixture
def mixed(engine):
    """The three 山西 schools run by the provincial government (two 本科, one 专科), two 山西 schools run by its
    education department (本科, 专科), and 北京大学 (教育部)."""
    for code in (PEKING, SHANXI_INFO, SHANXI_APPLIED):
        add_institution(engine, code)
    return engine


@pytest.mark.parametrize(("options", "scope"), [
    ({}, EVERYWHERE),
    ({"province": "山西"}, InstitutionScope(province="山西省")),
    ({"province": "内蒙古", "level": "专科"}, InstitutionScope(province="内蒙古自治区", level="专科")),
    ({"authority": "工业和信息化"}, InstitutionScope(authority="工业和信息化部")),
    ({"province": "山西", "authority": "教育厅"}, InstitutionScope(province="山西省", authority="山西省教育厅")),
    ({"authority": "上海市 中国科学院"}, InstitutionScope(authority="上海市 中国科学院")),
])
def test_the_options_are_matched_against_the_bundled_list(options, scope):
    assert resolve_scope(**options) == scope


def test_a_part_every_province_shares_is_refused_without_a_province():
    with pytest.raises(InvalidInput) as caught:
        resolve_scope(authority="教育厅")
    assert caught.value.message.startswith("主管部门“教育厅”不唯一，可指 ")


@pytest.mark.parametrize(("scope", "codes"), [
    (EVERYWHERE, {SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL, PEKING, SHANXI_INFO, SHANXI_APPLIED}),
    (InstitutionScope(province="山西省"), {SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL, SHANXI_INFO, SHANXI_APPLIED}),
    (InstitutionScope(level="专科"), {CHANGZHI_VOCATIONAL, SHANXI_INFO}),
    (InstitutionScope(authority="山西省"), {SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL}),
    (InstitutionScope(authority="教育部"), {PEKING}),
    (InstitutionScope(province="山西省", level="本科", authority="山西省教育厅"), {SHANXI_APPLIED}),
])
def test_one_condition_selects_the_schools_on_both_back_ends(mixed, scope, codes):
    with Session(mixed) as session:
        assert {school.code for school in schools_in(session, scope)} == codes
        condition = scope_condition(scope)
        query = select(Institution.code) if condition is None else select(Institution.code).where(condition)
        assert set(session.scalars(query)) == codes


def test_tables_keyed_by_school_are_narrowed_by_the_same_condition(mixed):
    for code in (SHANXI, CHANGZHI_VOCATIONAL, PEKING):
        set_record(mixed, code, "support.16.a", RawChange(status="推进中"), actor="张老师")
    with Session(mixed) as session:
        within = codes_within(InstitutionScope(level="专科"), Record.institution_code)
        assert list(session.scalars(select(Record.institution_code).where(within))) == [CHANGZHI_VOCATIONAL]
        assert codes_within(EVERYWHERE, Record.institution_code) is None
        assert session.scalar(select(func.count()).select_from(Record)) == 3


def test_the_schools_are_read_in_one_query(mixed):
    statements = []
    event.listen(mixed, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with Session(mixed) as session:
        schools_in(session, InstitutionScope(province="山西省"))
    assert len([s for s in statements if "FROM institution" in s]) == 1


def test_a_filter_that_matches_no_stored_school_says_whether_the_list_has_any(mixed):
    with Session(mixed) as session, pytest.raises(NotFound) as caught:
        schools_in(session, InstitutionScope(province="北京市", level="专科"))
    assert (caught.value.message, caught.value.hint) == (
        "没有符合条件（北京市 · 专科）的学校（2026 年高校名单中有 23 所，尚未添加）",
        "运行 jobpolicy institution import --province 北京市 --level 专科 添加")
    with Session(mixed) as session, pytest.raises(NotFound) as caught:
        schools_in(session, InstitutionScope(province="山西省", authority="教育部"))
    assert (caught.value.message, caught.value.hint) == (
        "没有符合条件（山西省 · 主管部门 教育部）的学校，2026 年高校名单中也没有",
        "检查筛选条件；运行 jobpolicy institution list 查看已添加的学校")


def test_no_filter_on_an_empty_database_is_no_school_not_an_error(db_url):
    from jobpolicy.services.database import init_database
    from jobpolicy.storage.db import make_engine

    empty = make_engine(db_url)
    init_database(empty, load_bundled=False)
    with Session(empty) as session:
        assert schools_in(session, EVERYWHERE) == []
    empty.dispose()
