"""The 学校标识码 rule (ten digits, nothing narrower), and finding a school by its name."""

import pytest

from jobpolicy.domain.institution import (
    ListedInstitution,
    candidate_line,
    find_by_name,
    is_valid_code,
    names_containing,
    similar_names,
)


@pytest.mark.parametrize("code", ["4114010108", "4214050164", "3611000001", "0000000000"])
def test_ten_digit_codes_are_valid(code):
    assert is_valid_code(code)


@pytest.mark.parametrize("code", ["411401010", "41140101080", "41140101O8", " 4114010108", "４１１４０１０１０８", ""])
def test_other_shapes_are_not(code):
    assert not is_valid_code(code)


# --- finding a school by name --------------------------------------------------------------------------------------

def school(code, name, province="山西省", level="本科"):
    return ListedInstitution(code, name, "", province, "", level, "", 2026)


SCHOOLS = [school("4114010108", "山西大学"), school("4114010118", "山西师范大学"),
           school("4112010055", "南开大学", "天津市"), school("4112013663", "南开大学滨海学院", "天津市"),
           school("4114010110", "中北大学"), school("4214050164", "太原钢铁(集团)有限公司职工钢铁学院", level="成人")]


def names(found):
    return [s.name for s in found]


def test_an_exact_name_wins_over_longer_names_that_contain_it():
    assert names(find_by_name("南开大学", SCHOOLS)) == ["南开大学"]
    assert names(find_by_name(" 南开 大学 ", SCHOOLS)) == ["南开大学"]


def test_a_part_of_a_name_finds_every_school_that_has_it():
    assert names(find_by_name("山西", SCHOOLS)) == ["山西大学", "山西师范大学"]
    assert names(find_by_name("滨海", SCHOOLS)) == ["南开大学滨海学院"]
    assert names(find_by_name("太原钢铁（集团）", SCHOOLS)) == ["太原钢铁(集团)有限公司职工钢铁学院"]  # any width
    assert find_by_name("", SCHOOLS) == [] and names_containing("  ", SCHOOLS) == []


def test_a_search_lists_all_names_containing_it():
    assert names(names_containing("南开大学", SCHOOLS)) == ["南开大学", "南开大学滨海学院"]


def test_similar_names_for_a_name_that_matched_none():
    assert similar_names("山西大雪", SCHOOLS)[0] == "山西大学"
    assert similar_names("北京大学", SCHOOLS)[0] == "中北大学"
    assert similar_names("完全无关", SCHOOLS) == []


def test_a_candidate_line():
    assert candidate_line(SCHOOLS[0]) == "4114010108 山西大学（山西省，本科）"
    assert candidate_line(school("4199999999", "某学院", province="", level="")) == "4199999999 某学院（省份未填，层次未填）"
