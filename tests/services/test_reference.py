"""The bundled MOE institution list (2026): complete, keyed by string codes, looked up exactly."""

import pytest

from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.reference import institution_list, lookup_institution


def test_totals_match_the_moe_notice():
    rows = list(institution_list().values())
    levels = [r.level for r in rows]
    assert (len(rows), levels.count("本科"), levels.count("专科"), levels.count("成人")) == (3196, 1412, 1540, 244)
    assert len({r.province for r in rows}) == 31


def test_codes_are_strings_and_not_all_start_with_41():
    codes = institution_list().keys()
    assert all(isinstance(c, str) and len(c) == 10 for c in codes)
    assert sum(c.startswith("42") for c in codes if institution_list()[c].is_regular) == 15


def test_lookup_by_code():
    shanxi = lookup_institution("4114010108")
    assert (shanxi.name, shanxi.province, shanxi.city, shanxi.level) == ("山西大学", "山西省", "太原市", "本科")


def test_province_comes_from_the_list_not_the_code():
    assert lookup_institution("4111012802").province == "四川省"  # 吉利学院, Beijing digits


def test_full_width_digits_are_accepted():
    assert lookup_institution("４１１４０１０１０８").name == "山西大学"


def test_bad_code_shape():
    with pytest.raises(InvalidInput) as caught:
        lookup_institution("41140101")
    assert caught.value.message == "学校标识码“41140101”格式不对：应为 10 位数字"


def test_code_not_on_the_list():
    with pytest.raises(NotFound) as caught:
        lookup_institution("4114099999")
    assert caught.value.message == "学校标识码 4114099999 不在教育部 2026 年高校名单中"
