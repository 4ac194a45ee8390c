"""The upward workflow: submit, accept, return with a reason; every step is in the history."""

import pytest

from codes import SHANXI, TAIYUAN_TECH
from jobpolicy.errors import InvalidInput
from jobpolicy.services.history import record_history, show_records
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import accept, return_item, submit


@pytest.fixture
def submitted(engine):
    for item in ("support.16.a", "guidance.4.a", "evaluation.14.a"):
        set_record(engine, SHANXI, item, RawChange(status="已完成"), actor="张")
    submit(engine, SHANXI, actor="张")
    return engine


def reviews(engine):
    return {(entry.item.id, entry.state.review) for entry in show_records(engine, SHANXI).lines if entry.state}


def test_submit_marks_every_draft(submitted):
    assert {review for _, review in reviews(submitted)} == {"submitted"}


def test_return_one_accept_the_rest(submitted):
    return_item(submitted, SHANXI, "support.16.a", "缺少人员名单", actor="省厅")
    accepted = accept(submitted, SHANXI, [], actor="省厅")
    assert len(accepted.records) == 2
    assert reviews(submitted) == {("support.16.a", "returned"), ("guidance.4.a", "accepted"),
                                  ("evaluation.14.a", "accepted")}
    history = record_history(submitted, SHANXI, "support.16.a").events
    assert [(e.field, e.new, e.actor) for e in history[-2:]] == [("review", "returned", "省厅"),
                                                                 ("review_reason", "缺少人员名单", "省厅")]


def test_a_returned_item_is_submitted_again(submitted):
    return_item(submitted, SHANXI, "support.16.a", "缺少人员名单", actor="省厅")
    set_record(submitted, SHANXI, "support.16.a", RawChange(evidence=("https://jy.sxu.edu.cn/list",)), actor="张")
    assert len(submit(submitted, SHANXI, actor="张").records) == 1


def test_accept_named_items_only(submitted):
    accept(submitted, SHANXI, ["guidance.4.a"], actor="省厅")
    assert ("guidance.4.a", "accepted") in reviews(submitted) and ("support.16.a", "submitted") in reviews(submitted)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda e: submit(e, TAIYUAN_TECH, actor="x"), "太原理工大学 没有待报送的记录"),
        (lambda e: accept(e, TAIYUAN_TECH, [], actor="x"), "太原理工大学 没有已报送待审核的记录"),
        (lambda e: accept(e, SHANXI, ["support.16.c"], actor="x"), "检查项 support.16.c 没有已报送待审核的记录"),
        (lambda e: return_item(e, SHANXI, "support.16.a", "  ", actor="x"), "退回时须写明理由"),
        (lambda e: return_item(e, SHANXI, "support.16.c", "理由", actor="x"),
         "检查项 support.16.c 没有已报送或已审核的记录，无法退回"),
    ],
)
def test_refusals(submitted, action, message):
    with pytest.raises(InvalidInput) as caught:
        action(submitted)
    assert caught.value.message == message
