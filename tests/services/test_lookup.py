"""Finding what a command names: a stored school by code or name, an item by id, measure, number or keywords."""

import pytest

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.errors import Ambiguous, InvalidInput, NotFound
from jobpolicy.services._uow import reading
from jobpolicy.services.lookup import find_items, get_institution, resolve_item
from jobpolicy.services.stored_catalogs import current_policy


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
    assert caught.value.message == "“大学”对应已添加的 2 所学校，请写全称或学校标识码"
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


def shanxi(engine):
    """山西大学 and the policy its checklist is drawn from."""
    with reading(engine) as session:
        return get_institution(session, SHANXI), current_policy(session)


@pytest.mark.parametrize(("text", "item"), [
    ("support.16.a", "support.16.a"), ("Support.16.A", "support.16.a"), ("实名登记", "assistance.11.d"),
    ("专职就业工作人员", "support.16.a"), ("宏志助航", "assistance.12.a"), ("（十二）", "assistance.12.a"),
    ("12", "assistance.12.a"), ("support.17", "support.17.a"),
])
def test_one_item_by_id_keyword_or_measure(engine, text, item):
    institution, policy = shanxi(engine)
    assert resolve_item(policy, institution, text).id == item


def test_several_items_list_their_ids_and_titles(engine):
    institution, policy = shanxi(engine)
    text = "离校"
    assert [i.id for i in find_items(policy, institution, text)] == ["assistance.11.d", "evaluation.13.c"]
    with pytest.raises(Ambiguous) as caught:
        resolve_item(policy, institution, text)
    assert caught.value.message == "“离校”对应山西大学清单上的 2 个检查项，请写检查项编号"
    assert [c.split()[0] for c in caught.value.candidates] == ["assistance.11.d", "evaluation.13.c"]
    assert caught.value.hint == "例如 assistance.11.d"


def test_a_long_list_of_candidates_is_cut(engine):
    institution, policy = shanxi(engine)
    text = "guidance"
    with pytest.raises(Ambiguous) as caught:
        resolve_item(policy, institution, text)
    assert len(caught.value.candidates) == 10 and caught.value.more == len(find_items(policy, institution, text)) - 10


def test_an_unknown_id_suggests_the_nearest(engine):
    institution, policy = shanxi(engine)
    text = "suport.16.a"
    with pytest.raises(NotFound) as caught:
        resolve_item(policy, institution, text)
    assert caught.value.message.startswith("未知检查项“suport.16.a”，您是不是要找：support.16.a")


def test_an_item_not_on_a_universitys_checklist_says_who_carries_it_out(engine):
    institution, policy = shanxi(engine)
    with pytest.raises(InvalidInput, match="由国家有关部门落实"):
        resolve_item(policy, institution, "SUPPLY.1.A")
    with pytest.raises(NotFound, match="（一）科学研判人才发展趋势及供需状况中没有山西大学清单上的检查项"):
        find_items(policy, institution, "（一）")
