"""The lines ``jobpolicy deadlines`` prints: how late or how soon, then who."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from jobpolicy.domain.catalog import Measure, MeasureBasis
from jobpolicy.domain.standing import Standing
from jobpolicy.render.deadline_views import obligation_line
from jobpolicy.services.deadlines import Obligation


def obligation(**overrides):
    fields = {"code": "4114010108", "institution": "山西大学", "item_id": "support.16.a", "title": "配备专职人员",
              "period": "once", "deadline": date(2025, 12, 31), "plan": None, "standing": Standing.NOT_DUE,
              "current": True, "status": None, "owner": None, "department": None, "days_late": None, "days_left": 5}
    return Obligation(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        ({}, "还有 5 天  2025-12-31  山西大学（4114010108）  support.16.a  配备专职人员  未填报"),
        ({"days_left": 0}, "今天到期  2025-12-31  山西大学（4114010108）  support.16.a  配备专职人员  未填报"),
        ({"standing": Standing.OVERDUE, "days_late": 3, "days_left": None, "status": "in_progress", "owner": "王老师"},
         "【当期逾期 3 天】  2025-12-31  山西大学（4114010108）  support.16.a  配备专职人员  推进中  王老师"),
        ({"standing": Standing.OVERDUE, "current": False, "days_late": 368, "days_left": None},
         "【逾期 368 天】  2025-12-31  山西大学（4114010108）  support.16.a  配备专职人员  未填报"),  # an earlier period
        ({"standing": Standing.OVERDUE, "days_late": 3, "days_left": None, "plan": date(2026, 2, 1)},
         "【当期逾期 3 天】  2025-12-31（完成时限 2026-02-01）  山西大学（4114010108）  support.16.a  配备专职人员  未填报"),
        ({"standing": Standing.BEFORE_START, "current": False, "days_left": None},
         "【启用前】  2025-12-31  山西大学（4114010108）  support.16.a  配备专职人员  未填报"),
        ({"period": "2025", "status": "done", "department": "就业指导中心", "owner": "王老师"},
         "还有 5 天  2025-12-31  山西大学（4114010108）  support.16.a [2025]  配备专职人员  已完成  "
         "就业指导中心、王老师"),
    ],
)
def test_obligation_line(overrides, line):
    assert obligation_line(obligation(**overrides)) == line


def test_obligation_line_names_the_official_number_of_its_measure():
    measure = Measure("support.25", "建强高校毕业生就业服务机构", MeasureBasis(("建强",), "七、（二十五）"), (),
                      number="（二十五）")
    line = obligation_line(obligation(item_id="support.25.a"), measure)
    assert line == "还有 5 天  2025-12-31  山西大学（4114010108）  support.25.a  举措（二十五）  配备专职人员  未填报"
    unverified = replace(measure, verified=False)
    assert "  support.16.a  举措（二十五）（编号待核实）  配备专职人员" in obligation_line(obligation(), unverified)
    assert "  support.16.a  配备专职人员" in obligation_line(obligation(), replace(measure, number=None))


def test_a_school_line_names_the_oldest_overdue_by_its_deadline_and_days():
    from jobpolicy.render.deadline_views import counts_json
    from jobpolicy.services.deadlines import DeadlineCounts

    counts = DeadlineCounts()
    for days, current in ((116, False), (86, True)):
        counts.add(obligation(standing=Standing.OVERDUE, current=current, days_left=None, days_late=days,
                              deadline=date(2025, 12, 25) - timedelta(days=days)))
    counts.add(obligation())  # due in 5 days
    counts.add(obligation(standing=Standing.BEFORE_START, days_left=None))
    assert counts_json(counts) == {"overdue_cumulative": 2, "overdue_current": 1, "upcoming": 1, "before_start": 1,
                                   "oldest_overdue": {"deadline": "2025-08-31", "days_late": 116}}
    assert counts_json(DeadlineCounts())["oldest_overdue"] is None
    total = counts + DeadlineCounts(overdue_cumulative=1, oldest=date(2025, 1, 1), oldest_days_late=358)
    assert (total.overdue_cumulative, total.oldest, total.oldest_days_late) == (3, date(2025, 1, 1), 358)


def test_a_table_may_end_in_a_text_column():
    from jobpolicy.render.status_views import table

    rows = [["学校", "累计逾期", "最早逾期"], ["山西大学", "12", "2025-08-31（116 天）"], ["中北大学", "3", "—"]]
    assert table(rows, text_columns=1, text_last=True) == [
        "学校      累计逾期  最早逾期",
        "山西大学        12  2025-08-31（116 天）",
        "中北大学         3  —",
    ]
