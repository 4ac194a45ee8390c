"""Comparing two versions of a policy: succession through ``replaces``, wording changes, diff categories."""

from dataclasses import replace

import pytest

from jobpolicy.domain.catalog import Actor, Indicator, Item
from jobpolicy.domain.catalog_diff import (
    WordingChange,
    diff_policies,
    predecessors,
    successors,
    wording_changes,
)
from jobpolicy.domain.catalog_loader import load_policy_file


@pytest.fixture
def versions(catalogs):
    folder = catalogs / "good_versions"
    return load_policy_file(folder / "demo-v1.yaml"), load_policy_file(folder / "demo-v2.yaml")


@pytest.fixture
def split(catalogs):
    folder = catalogs / "good_split"
    return load_policy_file(folder / "demo-v1.yaml"), load_policy_file(folder / "demo-v2.yaml")


@pytest.fixture
def renumbered(catalogs):
    """good_reuse v1, and its v2 variant named ``kind`` (``""`` for the plain renumbering)."""
    folder = catalogs / "good_reuse"
    old = load_policy_file(folder / "demo-v1.yaml")
    return lambda kind="": (old, load_policy_file(folder / f"demo-v2{'-' if kind else ''}{kind}.yaml"))


ITEM = Item(id="guidance.1.a", actor=Actor.UNIVERSITY, title="开设必修课", evidence=("课程表",),
            indicator=Indicator("课程学时", "学时", 36.0, ">="))


def test_same_wording_has_no_changes():
    assert wording_changes(ITEM, replace(ITEM, id="guidance.1.b", line=99)) == ()


def test_whitespace_is_not_a_change_of_wording():
    assert wording_changes(ITEM, replace(ITEM, title=" 开设 必修课 ", evidence=("课程 表",))) == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": "开设选修课"}, WordingChange("title", "开设必修课", "开设选修课")),
        ({"evidence": ("课程表", "教案")}, WordingChange("evidence", "课程表", "课程表、教案")),
        ({"evidence": ()}, WordingChange("evidence", "课程表", "无")),
        ({"indicator": Indicator("课程学时", "学时", 38.0, ">=")},
         WordingChange("indicator", "课程学时 ≥ 36 学时", "课程学时 ≥ 38 学时")),
        ({"indicator": None}, WordingChange("indicator", "课程学时 ≥ 36 学时", "无")),
    ],
)
def test_each_part_of_the_wording_is_named(change, expected):
    changed = replace(ITEM, **change)
    assert changed.wording_hash != ITEM.wording_hash
    assert wording_changes(ITEM, changed) == (expected,)


def test_a_change_reads_as_one_chinese_phrase():
    change = WordingChange("indicator", "课程学时 ≥ 36 学时", "课程学时 ≥ 38 学时")
    assert change.describe() == "指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”"


def test_several_parts_are_listed_in_order():
    changed = replace(ITEM, title="开设选修课", indicator=None)
    assert [c.part for c in wording_changes(ITEM, changed)] == ["title", "indicator"]


def test_rename_succession(versions):
    old, new = versions
    assert successors(old, new) == {
        "guidance.1.a": ("guidance.1.a",), "guidance.1.b": ("guidance.1.e",),
        "guidance.1.c": ("guidance.1.c",), "guidance.1.d": ("guidance.1.d",),
    }
    assert predecessors(old, new)["guidance.1.e"] == ("guidance.1.b",)


def test_split_and_merge_succession(split):
    old, new = split
    assert successors(old, new) == {
        "guidance.1.a": ("guidance.1.e", "guidance.1.f"),  # split, the first receives the records
        "guidance.1.b": ("guidance.1.g",),
        "guidance.1.c": ("guidance.1.g",),
        "guidance.1.d": ("guidance.1.d",),
        "guidance.1.k": ("guidance.1.d",),
        "guidance.1.m": (),  # removed
    }
    assert predecessors(old, new) == {
        "guidance.1.e": ("guidance.1.a",),
        "guidance.1.f": ("guidance.1.a",),
        "guidance.1.g": ("guidance.1.b", "guidance.1.c"),  # the order written in replaces
        "guidance.1.d": ("guidance.1.d", "guidance.1.k"),  # a kept id continues itself first
    }


def test_an_id_named_by_another_item_was_given_to_it(renumbered):
    old, new = renumbered()
    # New guidance.4.a takes over guidance.1.a; guidance.6.a names guidance.4.a, so the id moved on with it.
    assert successors(old, new) == {
        "guidance.1.a": ("guidance.4.a",), "guidance.1.b": ("guidance.1.b",),
        "guidance.4.a": ("guidance.6.a",), "guidance.4.b": ("guidance.4.b",), "guidance.4.c": ("guidance.4.c",),
    }
    assert predecessors(old, new) == {
        "guidance.1.b": ("guidance.1.b",), "guidance.4.a": ("guidance.1.a",), "guidance.4.b": ("guidance.4.b",),
        "guidance.4.c": ("guidance.4.c",), "guidance.6.a": ("guidance.4.a",),
    }


def test_an_item_that_names_its_own_given_id_keeps_it_as_a_split(renumbered):
    old, new = renumbered("self")
    assert successors(old, new)["guidance.4.a"] == ("guidance.4.a", "guidance.6.a")  # kept first, then copied
    assert predecessors(old, new)["guidance.4.a"] == ("guidance.4.a",)
    assert predecessors(old, new)["guidance.6.a"] == ("guidance.4.a",)


def test_an_id_nobody_else_names_continues_itself(renumbered):
    old, new = renumbered("kept")
    # guidance.4.a takes over guidance.1.a, but nothing takes guidance.4.a: a merge into a kept id.
    assert predecessors(old, new)["guidance.4.a"] == ("guidance.4.a", "guidance.1.a")
    assert successors(old, new)["guidance.4.a"] == ("guidance.4.a",)
    assert successors(old, new)["guidance.1.a"] == ("guidance.4.a",)


def test_chains_and_cycles_of_ids(renumbered):
    assert successors(*renumbered("chain")) == {
        "guidance.1.a": ("guidance.4.a",), "guidance.1.b": ("guidance.1.b",), "guidance.4.a": ("guidance.4.b",),
        "guidance.4.b": ("guidance.4.c",), "guidance.4.c": ("guidance.6.a",),
    }
    assert successors(*renumbered("cycles")) == {
        "guidance.1.a": ("guidance.1.b",), "guidance.1.b": ("guidance.4.c",), "guidance.4.a": ("guidance.4.b",),
        "guidance.4.b": ("guidance.4.a",), "guidance.4.c": ("guidance.1.a",),
    }


def test_every_old_item_is_continued_by_what_its_successors_take_over(split, renumbered):
    # successors is predecessors read backwards: one rule, in one place.
    for old, new in (split, *(renumbered(kind) for kind in ("", "self", "kept", "chain", "cycles", "split"))):
        backwards = {(o, n) for o, found in successors(old, new).items() for n in found}
        assert backwards == {(o, n) for n, olds in predecessors(old, new).items() for o in olds}


def test_replaces_naming_items_of_another_version_are_ignored(versions):
    old, new = versions
    # Compared with itself, v2's "replaces: [guidance.1.b]" names nothing that exists: 1.e continues nothing.
    assert predecessors(new, new)["guidance.1.e"] == ("guidance.1.e",)


def test_replaces_describe_only_the_step_from_the_previous_version(split):
    old, new = split
    assert predecessors(old, new)["guidance.1.g"] == ("guidance.1.b", "guidance.1.c")
    # The same files, but the new one no longer says it follows the old one: only ids continue themselves.
    elsewhere = replace(new, previous_version="0")
    assert predecessors(old, elsewhere)["guidance.1.g"] == ()
    assert predecessors(old, elsewhere)["guidance.1.d"] == ("guidance.1.d",)
    assert diff_policies(new, new).unchanged == len(list(new.items()))  # a version compared with itself


def test_diff_of_a_reworded_and_a_renamed_item(versions):
    diff = diff_policies(*versions)
    assert (diff.old_key, diff.new_key) == ("demo-2025@1", "demo-2025@2")
    assert (diff.added, diff.removed) == ((), ())
    [reworded] = diff.reworded
    assert reworded.new.id == "guidance.1.a"
    assert [c.describe() for c in reworded.changes] == ["指标由“课程学时 ≥ 36 学时”改为“课程学时 ≥ 38 学时”"]
    [replacement] = diff.replaced
    assert (replacement.new.id, [o.id for o in replacement.olds]) == ("guidance.1.e", ["guidance.1.b"])
    assert [[c.part for c in changes] for changes in replacement.changes] == [["title", "evidence"]]
    assert diff.unchanged == 2
    assert diff.changed


def test_diff_of_split_merge_and_removal(split):
    diff = diff_policies(*split)
    assert [i.id for i in diff.removed] == ["guidance.1.m"]
    assert diff.added == ()
    assert [(r.new.id, tuple(o.id for o in r.olds)) for r in diff.replaced] == [
        ("guidance.1.e", ("guidance.1.a",)),
        ("guidance.1.f", ("guidance.1.a",)),
        ("guidance.1.g", ("guidance.1.b", "guidance.1.c")),
        ("guidance.1.d", ("guidance.1.d", "guidance.1.k")),
    ]
    # guidance.1.d's own wording is unchanged; from guidance.1.k only the title differs.
    assert [[c.part for c in changes] for changes in diff.replaced[-1].changes] == [[], ["title"]]
    assert (diff.reworded, diff.unchanged) == ((), 0)


def test_diff_of_a_renumbering(renumbered):
    diff = diff_policies(*renumbered())
    assert (diff.added, diff.removed, diff.reworded, diff.unchanged) == ((), (), (), 3)
    assert [(r.new.id, tuple(o.id for o in r.olds)) for r in diff.replaced] == [
        ("guidance.4.a", ("guidance.1.a",)),  # not reworded from the old guidance.4.a
        ("guidance.6.a", ("guidance.4.a",)),
    ]


def test_every_item_lands_in_exactly_one_category(split):
    old, new = split
    diff = diff_policies(old, new)
    new_side = [i.id for i in diff.added] + [r.new.id for r in diff.reworded] + [r.new.id for r in diff.replaced]
    assert sorted(new_side) == sorted(i.id for i in new.items())
    assert diff.unchanged == 0


def test_a_version_compared_with_itself_is_unchanged(versions):
    old, _ = versions
    diff = diff_policies(old, old)
    assert not diff.changed
    assert diff.unchanged == len(list(old.items()))


def test_an_added_item(versions):
    old, new = versions
    diff = diff_policies(new, old)  # backwards: 1.b is new, 1.e is gone
    assert [i.id for i in diff.added] == ["guidance.1.b"]
    assert [i.id for i in diff.removed] == ["guidance.1.e"]
