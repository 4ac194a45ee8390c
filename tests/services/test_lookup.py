"""Finding what a command names: a stored school by its code, its name, or a part of its name."""

import pytest

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.errors import Ambiguous, InvalidInput, NotFound
from jobpolicy.services._uow import reading
from jobpolicy.services.lookup import get_institution


def lookup(engine, text):
    with reading(engine) as session:
        return get_institution(session, text).code


@pytest.mark.parametrize(("text", "code"), [
    (SHANXI, SHANXI), ("４１１４０１０１０８", SHANXI), ("山西大学", SHANXI), ("太原理工", TAIYUAN_TECH),
    ("长治职业", CHANGZHI_VOCATIONAL), (" 太原 理工大学 ", TAIYUAN_TECH),
])
def test_a_stored_school_by_code_name_or_unique_part(engine, text, code):
    assert lookup(engine, text) == code


def test_a_part_several_stored_schools_share_lists_them(engine):
    with pytest.raises(Ambiguous) as caught:
        lookup(engine, "大学")
    assert caught.value.message == "“大学”对应 2 所已添加的学校，请写全称或学校标识码"
    assert caught.value.candidates == ["4114010108 山西大学（山西省，本科）", "4114010112 太原理工大学（山西省，本科）"]
    assert caught.value.more == 0 and caught.value.exit_code == 3


def test_a_listed_school_not_yet_added_is_named_with_how_to_add_it(engine):
    with pytest.raises(NotFound) as caught:
        lookup(engine, "北京大学")
    assert caught.value.message == "已添加的学校中没有“北京大学”"
    assert caught.value.hint == "教育部名单中有 4111010001 北京大学（北京市，本科）；先运行 jobpolicy institution add 4111010001"


def test_a_near_miss_of_a_stored_name_is_suggested(engine):
    with pytest.raises(NotFound) as caught:
        lookup(engine, "山西大雪")
    assert caught.value.hint == "您是不是要找：山西大学"


def test_text_without_chinese_is_a_code_and_checked_as_one(engine):
    with pytest.raises(InvalidInput, match="格式不对"):
        lookup(engine, "41140101O8")
    with pytest.raises(NotFound, match="尚未添加"):
        lookup(engine, "4111010001")
