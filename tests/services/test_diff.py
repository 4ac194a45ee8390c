"""Diff: item by item, which fields changed between two dates, from what to what, by whom, from the event log."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import time_machine

from codes import SHANXI, TAIYUAN_TECH
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services.diff import diff_many, diff_records
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import submit


def at(year, month, day, hour=10, minute=0):
    """A moment in Beijing time (UTC+8), as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC)


def record(engine, when, item, code=SHANXI, by="张老师", period=None, **values):
    with time_machine.travel(when, tick=False):
        return set_record(engine, code, item, RawChange(**values), actor=by, period=period)


@pytest.fixture
def june(engine):
    """山西大学 before, during and after June 2025."""
    record(engine, at(2025, 5, 20), "support.16.a", status="推进中", value="620", owner="王老师")
    record(engine, at(2025, 5, 31, 23, 30), "support.16.a", note="五月底")  # before the window
    record(engine, at(2025, 6, 1, 0, 30), "support.16.a", value="520", by="李老师")  # first minutes of the window
    record(engine, at(2025, 6, 10), "support.16.a", status="已完成", value="480",
           evidence=("https://jy.sxu.edu.cn/staff",))
    record(engine, at(2025, 6, 12), "support.16.a", owner="赵老师", by="李老师")
    record(engine, at(2025, 6, 13), "support.16.a", owner="王老师")  # and back: no net change
    record(engine, at(2025, 6, 15), "guidance.4.a", status="推进中", value="32")
    record(engine, at(2025, 6, 20), "evaluation.14.a", period="2025", status="推进中")
    record(engine, at(2025, 6, 30, 23, 59), "supply.2.a", status="不适用", na_reason="本年度无新设专业")
    record(engine, at(2025, 7, 1, 0, 1), "guidance.4.a", value="38")  # after the window
    record(engine, at(2025, 6, 5), "support.16.a", code=TAIYUAN_TECH, status="已完成")  # another institution
    return engine


def fields_of(diff, item_id):
    entry = next(d for d in diff.items if d.item_id == item_id)
    return {f.field: (f.before, f.after, f.actors) for f in entry.fields}


def test_item_by_item_in_catalog_order(june):
    diff = diff_records(june, SHANXI, since=date(2025, 6, 1), until=date(2025, 6, 30))
    assert [(d.item_id, d.period, d.created) for d in diff.items] == [
        ("supply.2.a", "once", True), ("guidance.4.a", "once", True), ("evaluation.14.a", "2025", True),
        ("support.16.a", "once", False)]
    assert (diff.institution.code, diff.since, diff.until, diff.policy.id) == (
        SHANXI, date(2025, 6, 1), date(2025, 6, 30), "gse-2025")


def test_each_field_from_what_to_what_and_by_whom(june):
    diff = diff_records(june, SHANXI, since=date(2025, 6, 1), until=date(2025, 6, 30))
    assert fields_of(diff, "support.16.a") == {
        "status": ("in_progress", "done", ["张老师"]),
        "value": ("620", "480", ["李老师", "张老师"]),
    }  # owner went to 赵老师 and back: left out; the May note is before the window
    value = next(f for d in diff.items if d.item_id == "support.16.a" for f in d.fields if f.field == "value")
    assert [(e.actor, e.old, e.new) for e in value.changes] == [("李老师", "620", "520"), ("张老师", "520", "480")]
    assert fields_of(diff, "supply.2.a") == {"status": (None, "not_applicable", ["张老师"]),
                                              "na_reason": (None, "本年度无新设专业", ["张老师"])}
    assert fields_of(diff, "guidance.4.a")["value"] == (None, "32", ["张老师"])  # the July change is outside


def test_evidence_added_in_the_window_is_listed(june):
    diff = diff_records(june, SHANXI, since=date(2025, 6, 1), until=date(2025, 6, 30))
    staffing = next(d for d in diff.items if d.item_id == "support.16.a")
    assert [(e.new, e.actor, e.at) for e in staffing.evidence] == [("https://jy.sxu.edu.cn/staff", "张老师",
                                                                     at(2025, 6, 10))]


def test_both_days_are_included_in_china_time(june):
    first_day = diff_records(june, SHANXI, since=date(2025, 6, 1), until=date(2025, 6, 1))
    assert fields_of(first_day, "support.16.a") == {"value": ("620", "520", ["李老师"])}
    last_day = diff_records(june, SHANXI, since=date(2025, 6, 30), until=date(2025, 6, 30))
    assert [d.item_id for d in last_day.items] == ["supply.2.a"]


def test_without_until_the_window_runs_to_now(june):
    with time_machine.travel(at(2025, 8, 1), tick=False):
        diff = diff_records(june, SHANXI, since=date(2025, 6, 1))
    assert diff.until is None
    assert fields_of(diff, "guidance.4.a")["value"] == (None, "38", ["张老师"])


def test_review_changes_are_changes_too(june):
    with time_machine.travel(at(2025, 7, 5), tick=False):
        submit(june, SHANXI, actor="李老师")
    diff = diff_records(june, SHANXI, since=date(2025, 7, 5), until=date(2025, 7, 5))
    assert len(diff.items) == 4  # every record of 山西大学
    assert all(fields_of(diff, d.item_id) == {"review": ("draft", "submitted", ["李老师"])} for d in diff.items)


def test_nothing_changed(june):
    assert diff_records(june, SHANXI, since=date(2025, 8, 1), until=date(2025, 8, 31)).items == []


def test_until_before_since_is_refused(june):
    with pytest.raises(InvalidInput) as caught:
        diff_records(june, SHANXI, since=date(2025, 7, 1), until=date(2025, 6, 30))
    assert (caught.value.message, caught.value.hint) == ("--until 2025-06-30 早于 --since 2025-07-01",
                                                         "--since 是起始日期，--until 是截止日期（均含当天）")


def test_unknown_institution(engine):
    with pytest.raises(NotFound) as caught:
        diff_records(engine, "4111010001", since=date(2025, 1, 1))
    assert caught.value.message == "学校 4111010001 尚未添加"


def test_many_schools_at_once_each_over_its_own_window_say_what_one_at_a_time_says(june):
    """A summary reads every school's changes in one snapshot; each is the same diff as ``diff`` for that school."""
    from sqlmodel import select

    from jobpolicy.services._uow import reading
    from jobpolicy.storage.models import Institution

    with reading(june) as session:
        institutions = {i.code: i for i in session.exec(select(Institution))}
    windows = {SHANXI: date(2025, 6, 1), TAIYUAN_TECH: date(2025, 6, 6)}  # 太原理工's only change falls before
    many = diff_many(june, institutions, windows, until=date(2025, 6, 30))
    for code, since in windows.items():
        one = diff_records(june, code, since=since, until=date(2025, 6, 30))
        assert (many[code].institution.code, many[code].since, many[code].items, many[code].batches) == (
            code, since, one.items, one.batches)
    assert many[SHANXI].items and many[TAIYUAN_TECH].items == []
