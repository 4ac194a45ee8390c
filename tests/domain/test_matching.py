"""Comparing what a user typed: folding, near misses, official Chinese numbers, and the nearest status label."""

import pytest

from jobpolicy.domain.matching import chinese_number, did_you_mean, fold, nearest
from jobpolicy.domain.status import parse_status, suggest_status


def test_fold_ignores_width_case_and_spaces():
    assert fold(" Guidance．４ ") == fold("guidance.4") == "guidance.4"
    assert fold("太原钢铁（集团）") == fold("太原钢铁(集团)")
    assert fold("山西 大学") == "山西大学"


@pytest.mark.parametrize(("text", "number"), [
    ("（十一）", 11), ("十一", 11), ("(11)", 11), ("（11）", 11), ("11", 11), ("１１", 11), ("第十一条", 11),
    ("十", 10), ("五", 5), ("（五）", 5), ("二十", 20), ("二十五", 25), ("九十九", 99),
])
def test_official_numbers_however_written(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize("text", ["离校", "guidance.4", "十十", "十二五", "零", "0", "100", "", "（）"])
def test_other_text_is_not_a_number(text):
    assert chinese_number(text) is None


def test_nearest_keeps_the_spelling_of_the_choices():
    assert nearest("stauts", ["status", "diff", "todo"]) == ["status"]
    assert nearest("SUPPORT.16.A", ["support.16.a", "supply.1.a"], n=1) == ["support.16.a"]
    assert nearest("完全不同", ["status"]) == []


def test_did_you_mean():
    assert did_you_mean(["已完成"]) == "您是不是要找：已完成"
    assert did_you_mean(["a", "b"]) == "您是不是要找：a、b"
    assert did_you_mean([]) == ""


@pytest.mark.parametrize(("typed", "label"), [
    ("完成", "已完成"), ("已完成了", "已完成"), ("进行中", "推进中"), ("推进", "推进中"), ("不适应", "不适用"),
    ("donee", "已完成"), ("not started", "未启动"), ("finished", None), ("", None), ("   ", None),
])
def test_the_nearest_status_label_is_suggested(typed, label):
    assert suggest_status(typed) == label


def test_a_suggestion_changes_nothing_that_is_accepted():
    assert parse_status("完成") is None and parse_status(" 已完成 ") is not None
