"""Items found the way people name them: id in any case, measure id or official number, section, keywords."""

from pathlib import Path

import pytest

from jobpolicy.domain.catalog_loader import load_policy_file
from jobpolicy.domain.item_search import item_by_id, item_line, search_items, similar_ids

NUMBERED = Path(__file__).parents[1] / "data" / "catalogs" / "good_numbered" / "numbered.yaml"


@pytest.fixture(scope="module")
def policy():
    return load_policy_file(NUMBERED)


def ids(search):
    return [item.id for item in search.items]


@pytest.mark.parametrize("text", ["assistance.11.a", "Assistance.11.A", " ASSISTANCE．11．a "])
def test_an_id_in_any_case_and_width(policy, text):
    assert item_by_id(policy, text).id == "assistance.11.a"
    assert (search_items(policy, text).kind, ids(search_items(policy, text))) == ("id", ["assistance.11.a"])


@pytest.mark.parametrize("text", ["（十一）", "十一", "(11)", "11", "Assistance.11", "第十一条"])
def test_a_measure_by_id_or_official_number(policy, text):
    search = search_items(policy, text)
    assert (search.kind, search.label, ids(search)) == (
        "measure", "（十一）健全困难帮扶机制", ["assistance.11.a", "assistance.11.b"])


def test_a_search_is_kept_to_the_checklist_given(policy):
    university = [i for i in policy.items() if i.actor.value == "university"]
    assert ids(search_items(policy, "二十五")) == ["support.25.a", "support.25.b"]
    assert ids(search_items(policy, "二十五", university)) == ["support.25.a"]
    assert ids(search_items(policy, "support", university)) == ["support.25.a"]


def test_keywords_in_the_title_or_the_measure_heading_all_must_appear(policy):
    assert ids(search_items(policy, "离校")) == ["assistance.11.a"]
    assert ids(search_items(policy, "帮扶")) == ["assistance.11.a", "assistance.11.b"]  # the measure's heading
    assert ids(search_items(policy, "帮扶 岗位")) == ["assistance.11.b"]
    assert search_items(policy, "毫不相干").kind == "none"


def test_near_ids_include_measures(policy):
    assert similar_ids("assistance.11.c", policy.items())[:2] == ["assistance.11.a", "assistance.11.b"]
    assert similar_ids("assistanse.11", policy.items())[0] == "assistance.11"
    assert similar_ids("离校", policy.items()) == []


def test_a_candidate_line_cuts_a_long_title(policy):
    item = policy.item("assistance.11.a")
    assert item_line(item) == f"assistance.11.a  {item.title}"
    assert item_line(item, width=5) == f"assistance.11.a  {item.title[:4]}…"
