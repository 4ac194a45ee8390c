"""The filter a command takes (--province, --level, --authority): parsed in one place, named in one set of words."""

from types import SimpleNamespace

import pytest

from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope, parse_scope
from jobpolicy.errors import InvalidInput

# The shape of the MOE list: each province's schools' 主管部门 (山西省 is the provincial government).
AUTHORITIES = {
    "山西省": {"山西省", "山西省教育厅"},
    "北京市": {"教育部", "北京市", "北京市教委", "工业和信息化部"},
    "江苏省": {"江苏省", "江苏省教育厅", "教育部"},
    "江西省": {"江西省", "江西省教育厅"},
    "西藏自治区": {"西藏自治区"},
}


def parse(**options):
    return parse_scope(authorities=AUTHORITIES, **options)


def refused(**options) -> tuple[str, str | None]:
    with pytest.raises(InvalidInput) as caught:
        parse(**options)
    return caught.value.message, caught.value.hint


@pytest.mark.parametrize("typed", ["山西", "山西省", " 山西 ", "山西省　"])
def test_a_province_by_its_short_or_full_name(typed):
    assert parse(province=typed) == InstitutionScope(province="山西省")


def test_a_province_the_start_of_two_names_is_refused_naming_both():
    assert refused(province="江") == ("省份“江”不唯一，可指 江苏省、江西省", "写全称，如 --province 江苏省")


def test_an_unknown_province_lists_every_province():
    message, hint = refused(province="火星")
    assert message == "省份“火星”无法识别"
    assert hint == "可选：北京市、山西省、江苏省、江西省、西藏自治区"


@pytest.mark.parametrize("level", ["本科", "专科", "专科 "])
def test_the_two_levels(level):
    assert parse(level=level).level == level.strip()


@pytest.mark.parametrize("level", ["成人", "高职", "undergraduate", ""])
def test_any_other_level_is_refused_with_the_two_it_may_be(level):
    assert refused(level=level) == (f"办学层次“{level}”无效", "--level 可选：本科、专科")


@pytest.mark.parametrize(("typed", "found"), [
    ("教育部", "教育部"),
    ("山西省", "山西省"),  # exact beats being part of 山西省教育厅
    ("山西省教育厅", "山西省教育厅"),
    ("工业和信息", "工业和信息化部"),  # the only one it is part of
    ("\u3000教育部\u3000", "教育部"),  # ideographic spaces typed with a Chinese input method
])
def test_an_authority_exactly_or_by_a_part_only_it_has(typed, found):
    assert parse(authority=typed).authority == found


def test_a_part_several_authorities_share_is_refused_naming_them():
    assert refused(authority="教育厅") == (
        "主管部门“教育厅”不唯一，可指 山西省教育厅、江苏省教育厅、江西省教育厅", "写全称，如 --authority 山西省教育厅")


def test_the_province_asked_about_narrows_a_part_to_its_own_authority():
    assert parse(province="山西", authority="教育厅") == InstitutionScope(province="山西省", authority="山西省教育厅")
    # An authority named in full is taken as it is, even if none of that province's schools has it.
    assert parse(province="山西", authority="教育部").authority == "教育部"


def test_an_unknown_authority_suggests_a_close_one_and_says_how_authorities_are_written():
    message, hint = refused(authority="工信部")
    assert message == "主管部门“工信部”无法识别"
    assert hint.startswith("是不是 工业和信息化部？主管部门按教育部《全国高等学校名单》填写，如 教育部、山西省教育厅；")


def test_no_option_is_every_school():
    assert parse() == EVERYWHERE and EVERYWHERE.everything
    assert not InstitutionScope(level="本科").everything


@pytest.mark.parametrize(("scope", "schools", "label", "counted", "stem"), [
    (EVERYWHERE, 3, "全部学校", "全部 3 所学校", "全部学校"),
    (InstitutionScope(province="山西省"), 84, "山西省", "山西省 · 84 所", "山西省"),
    (InstitutionScope(province="山西省", level="专科"), 12, "山西省 · 专科", "山西省 · 专科 · 12 所", "山西省-专科"),
    (InstitutionScope(level="本科", authority="上海市 中国科学院"), 1, "本科 · 主管部门 上海市 中国科学院",
     "本科 · 主管部门 上海市 中国科学院 · 1 所", "本科-上海市 中国科学院"),
])
def test_the_words_that_name_a_scope(scope, schools, label, counted, stem):
    assert (scope.label, scope.counted(schools), scope.file_stem) == (label, counted, stem)
    assert scope.as_dict() == {"province": scope.province, "level": scope.level, "authority": scope.authority,
                               "label": label}


def test_a_listed_school_matches_on_every_filter_set():
    school = SimpleNamespace(province="山西省", level="专科", authority="山西省教育厅")
    assert EVERYWHERE.matches(school)
    assert InstitutionScope(province="山西省", level="专科", authority="山西省教育厅").matches(school)
    assert not InstitutionScope(province="山西省", level="本科").matches(school)
    assert not InstitutionScope(authority="山西省").matches(school)
