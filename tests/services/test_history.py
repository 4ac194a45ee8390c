"""Reading the past: any earlier state is rebuilt from the event log, and the whole history is kept."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from codes import SHANXI
from jobpolicy.domain.standing import Standing
from jobpolicy.services.as_of import end_of_day
from jobpolicy.services.history import record_history, show_records
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.tracking import set_institution_start

STAFFING = "support.16.a"


def at(year, month, day, hour=10):
    """A moment in Beijing office hours (UTC+8), as UTC."""
    return datetime(year, month, day, hour - 8, tzinfo=UTC)


@pytest.fixture
def timeline(engine):
    """山西大学 records the staffing item over three dates."""
    with time_machine.travel(at(2025, 3, 1), tick=False):
        set_record(engine, SHANXI, STAFFING, RawChange(status="推进中", value="620"), actor="张")
    with time_machine.travel(at(2025, 6, 30, 23), tick=False):
        set_record(engine, SHANXI, STAFFING, RawChange(value="520", evidence=("https://jy.sxu.edu.cn/a",)), actor="王")
    with time_machine.travel(at(2025, 9, 1), tick=False):
        set_record(engine, SHANXI, STAFFING, RawChange(status="已完成", value="480"), actor="张")
    return engine


def line(view, item=STAFFING):
    return next(entry for entry in view.lines if entry.item.id == item)


@pytest.mark.parametrize(
    ("as_of", "status", "value", "evidence"),
    [
        (date(2025, 2, 28), None, None, 0),
        (date(2025, 3, 1), "in_progress", 620.0, 0),
        (date(2025, 6, 30), "in_progress", 520.0, 1),  # 23:00 Beijing time is still June 30th
        (date(2025, 8, 31), "in_progress", 520.0, 1),
        (date(2025, 9, 1), "done", 480.0, 1),
    ],
)
def test_state_as_of_a_date_comes_from_the_event_log(timeline, as_of, status, value, evidence):
    state = line(show_records(timeline, SHANXI, as_of=as_of)).state
    if status is None:
        assert state is None
    else:
        assert (state.status, state.value, len(state.evidence)) == (status, value, evidence)


def test_current_state_equals_the_replayed_state(timeline):
    now = line(show_records(timeline, SHANXI)).state
    replayed = line(show_records(timeline, SHANXI, as_of=date(2030, 1, 1))).state
    fields = ("status", "value", "owner", "review", "progress")
    assert [getattr(now, f) for f in fields] == [getattr(replayed, f) for f in fields]


def test_history_lists_every_change_in_order(timeline):
    events = record_history(timeline, SHANXI, STAFFING).events
    assert [(e.actor, e.field, e.old, e.new) for e in events] == [
        ("张", "status", None, "in_progress"), ("张", "value", None, "620"),
        ("王", "value", "620", "520"), ("王", "evidence", None, "https://jy.sxu.edu.cn/a"),
        ("张", "status", "in_progress", "done"), ("张", "value", "520", "480"),
    ]
    assert [e.new for e in record_history(timeline, SHANXI, STAFFING, as_of=date(2025, 3, 1)).events] == [
        "in_progress", "620"]


def test_checklist_shows_every_applicable_item_even_unrecorded(engine):
    view = show_records(engine, SHANXI, as_of=date(2025, 5, 1))
    ids = [entry.item.id for entry in view.lines]
    assert STAFFING in ids and "supply.1.a" not in ids  # ministry items are not on a university's checklist
    assert all(entry.state is None for entry in view.lines)


VISITS = "recruitment.7.b"  # yearly, due 31 August


def visits(view, period="2025"):
    return next(entry for entry in view.lines if entry.item.id == VISITS and entry.period == period)


def test_where_a_line_stands_follows_the_policy_deadline_and_the_status(engine):
    with time_machine.travel(at(2025, 3, 1), tick=False):
        set_record(engine, SHANXI, VISITS, RawChange(status="推进中", due="2025/6/30"), actor="张")
    planned = visits(show_records(engine, SHANXI, as_of=date(2025, 7, 1)))
    assert (planned.deadline, planned.plan, planned.standing, planned.counted) == (
        date(2025, 8, 31), date(2025, 6, 30), Standing.NOT_DUE, True)  # the plan passed; the deadline has not
    assert visits(show_records(engine, SHANXI, as_of=date(2025, 9, 1))).standing is Standing.OVERDUE
    with time_machine.travel(at(2025, 9, 2), tick=False):
        set_record(engine, SHANXI, VISITS, RawChange(status="已完成"), actor="张")
    done = visits(show_records(engine, SHANXI, as_of=date(2025, 9, 3)))
    assert (done.standing, done.state.status_day) == (Standing.DONE_LATE, date(2025, 9, 2))
    assert visits(show_records(engine, SHANXI, as_of=date(2025, 9, 1))).state.status_at is not None


def test_lines_due_before_the_start_are_shown_apart_and_can_still_be_recorded(engine):
    set_institution_start(engine, SHANXI, date(2025, 10, 1))
    with time_machine.travel(at(2025, 12, 1), tick=False):
        set_record(engine, SHANXI, VISITS, RawChange(status="推进中"), actor="张", period="2025")
    view = show_records(engine, SHANXI, as_of=date(2025, 12, 1))
    assert view.start == date(2025, 10, 1)
    before = visits(view)
    assert (before.standing, before.counted, before.state.status) == (Standing.BEFORE_START, False, "in_progress")
    assert visits(view, "2026").counted  # the period that counts is the first one due after the start


def test_a_day_ends_at_midnight_beijing_time():
    assert end_of_day(date(2025, 6, 30)) == datetime(2025, 6, 30, 16, tzinfo=UTC)
