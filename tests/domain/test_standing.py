"""Where a line stands: the one rule for 启用前, 未到期, 逾期, 已完成, 逾期完成 and 不适用."""

from datetime import date

import pytest

from jobpolicy.domain.catalog import Actor, Cadence, Item
from jobpolicy.domain.standing import Standing, effective_start, policy_deadline, standing

DEADLINE = date(2025, 12, 31)


@pytest.mark.parametrize(
    ("start", "status", "status_day", "today", "expected"),
    [
        (None, None, None, date(2025, 12, 31), Standing.NOT_DUE),  # due today is not late
        (None, None, None, date(2026, 1, 1), Standing.OVERDUE),  # nothing recorded and past: overdue
        (None, "in_progress", date(2025, 6, 1), date(2026, 1, 1), Standing.OVERDUE),
        (None, "not_started", date(2025, 6, 1), date(2026, 1, 1), Standing.OVERDUE),
        (None, "done", date(2025, 12, 31), date(2026, 3, 1), Standing.DONE),  # done on the deadline: on time
        (None, "done", date(2026, 1, 1), date(2026, 3, 1), Standing.DONE_LATE),  # a day after: 逾期完成
        (None, "done", date(2025, 6, 1), date(2025, 7, 1), Standing.DONE),  # done early
        (None, "not_applicable", date(2026, 2, 1), date(2026, 3, 1), Standing.NOT_APPLICABLE),  # never late
        (date(2026, 1, 1), None, None, date(2026, 3, 1), Standing.BEFORE_START),  # due before tracking started
        (date(2026, 1, 1), "done", date(2026, 2, 1), date(2026, 3, 1), Standing.BEFORE_START),  # whatever the status
        (DEADLINE, None, None, date(2026, 1, 1), Standing.OVERDUE),  # started on the deadline day: it counts
    ],
)
def test_the_rule(start, status, status_day, today, expected):
    assert standing(deadline=DEADLINE, start=start, status=status, status_day=status_day, today=today) is expected


def test_a_line_without_a_deadline_is_never_overdue_nor_late_nor_before_the_start():
    def without(**kwargs):
        return standing(deadline=None, start=date(2030, 1, 1), today=date(2031, 1, 1), **kwargs)

    assert without(status=None, status_day=None) is Standing.NOT_DUE
    assert without(status="done", status_day=date(2031, 1, 1)) is Standing.DONE


def test_the_effective_start_is_the_later_of_the_two():
    assert effective_start(date(2026, 9, 1), None) == date(2026, 9, 1)
    assert effective_start(date(2026, 9, 1), date(2026, 10, 1)) == date(2026, 10, 1)
    assert effective_start(date(2026, 11, 1), date(2026, 10, 1)) == date(2026, 11, 1)
    assert effective_start(None, None) is None


def test_the_policy_deadline_is_the_occurrence_or_the_catalog_due():
    yearly = Item(id="x.1.a", actor=Actor.UNIVERSITY, title="t",
                  cadence=Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1)))
    once = Item(id="x.1.b", actor=Actor.UNIVERSITY, title="t", due=date(2025, 6, 30))
    assert policy_deadline(yearly, "2026") == date(2026, 12, 31)
    assert policy_deadline(once, "once") == date(2025, 6, 30)
    assert policy_deadline(Item(id="x.1.c", actor=Actor.UNIVERSITY, title="t"), "once") is None


def test_every_standing_has_a_chinese_label():
    assert [s.label for s in Standing] == ["启用前", "未到期", "逾期", "已完成", "逾期完成", "不适用"]
