"""Comparing what a user typed: folding, near misses and official Chinese numbers."""

import pytest

from jobpolicy.domain.matching import chinese_number, did_you_mean, fold, nearest


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
