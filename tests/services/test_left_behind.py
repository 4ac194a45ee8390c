"""Records a newer catalog version left behind (merged away or removed) stay reachable: listed after the checklist
by record show, each shown and its history read by its old item id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codes import SHANXI
from jobpolicy.errors import NotFound
from jobpolicy.services.history import record_history, show_records

DEMO = "demo-2025"
RECORDED = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)  # as in the fixture left_behind (tests/conftest.py)
WHY_GONE = "当前版本 demo-2025@2 中已没有此检查项（删除，或合并到其他检查项）"


def test_record_show_lists_the_records_left_behind_after_the_checklist(left_behind):
    view = show_records(left_behind, SHANXI, policy_id=DEMO)
    assert [(r.state.item_id, r.state.status, r.state.note, r.why) for r in view.left_behind] == [
        ("guidance.1.c", "done", "guidance.1.c 的备注", WHY_GONE),
        ("guidance.1.k", "done", "guidance.1.k 的备注", WHY_GONE),
        ("guidance.1.m", "done", "guidance.1.m 的备注", WHY_GONE)]
    assert all(r.title for r in view.left_behind)  # the title the item last had
    assert "guidance.1.m" not in {line.item.id for line in view.lines}


def test_a_left_behind_record_is_shown_by_its_old_id_also_as_of_an_earlier_day(left_behind):
    view = show_records(left_behind, SHANXI, item_id="guidance.1.m", policy_id=DEMO)
    assert view.lines == [] and [r.state.item_id for r in view.left_behind] == ["guidance.1.m"]
    before = show_records(left_behind, SHANXI, item_id="guidance.1.m", policy_id=DEMO, as_of=RECORDED.date())
    assert [r.state.status for r in before.left_behind] == ["done"]


def test_the_history_of_a_left_behind_record_is_read_by_its_old_id(left_behind):
    history = record_history(left_behind, SHANXI, "guidance.1.k", policy_id=DEMO)
    assert history.item is None and history.item_id == "guidance.1.k"
    assert [(e.field, e.new) for e in history.events] == [("status", "done"), ("note", "guidance.1.k 的备注")]


def test_an_id_with_no_records_left_behind_is_still_unknown(left_behind):
    with pytest.raises(NotFound):
        record_history(left_behind, SHANXI, "guidance.9.z", policy_id=DEMO)
    with pytest.raises(NotFound):
        show_records(left_behind, SHANXI, item_id="guidance.9.z", policy_id=DEMO)
