"""Counting through mappings: a school records once, and the record counts for the mapped item of the other policy
(in full for equal/superset, not at all for subset/intersect), judged against that policy's own deadline and target;
nothing is copied. Status (SQL), record show, deadlines and the reports (Python) agree, on both back ends."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from bs4 import BeautifulSoup
from sqlmodel import Session, func, select

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.mapping import Relation, Source
from jobpolicy.domain.standing import Standing
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.history import show_records
from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.reports import institution_report, summary_report
from jobpolicy.services.status import institution_status
from jobpolicy.storage.models import Record

PLAN_FILE = Path(__file__).parent.parent / "data" / "mappings" / "good_inline" / "plan.yaml"
PLAN, OPINION = "demo-province-2025", "gse-2025"
NOW = datetime(2026, 3, 1, 2, tzinfo=UTC)
DAYS = [date(2025, 6, 1), date(2025, 11, 30), date(2025, 12, 1), date(2025, 12, 20), date(2026, 1, 10), None]
WRITES = [  # (when, school, policy, item, period, fields)
    (datetime(2025, 6, 2, 2, tzinfo=UTC), SHANXI, OPINION, "support.16.a", None, dict(status="done", value="450")),
    (datetime(2025, 12, 15, 2, tzinfo=UTC), SHANXI, OPINION, "evaluation.14.a", "2025", dict(status="done")),
    (datetime(2025, 6, 2, 2, tzinfo=UTC), SHANXI, PLAN, "service.1.c", None, dict(status="in_progress")),
    (datetime(2025, 6, 3, 2, tzinfo=UTC), TAIYUAN_TECH, PLAN, "service.1.a", None, dict(status="done", value="380")),
    (datetime(2025, 6, 3, 2, tzinfo=UTC), TAIYUAN_TECH, PLAN, "guide.1.b", None, dict(status="done")),
    (datetime(2025, 6, 4, 2, tzinfo=UTC), CHANGZHI_VOCATIONAL, OPINION, "support.16.a", None,
     dict(status="done", value="450")),
    (datetime(2025, 6, 4, 2, tzinfo=UTC), CHANGZHI_VOCATIONAL, PLAN, "service.1.a", None, dict(status="in_progress")),
]


@pytest.fixture(scope="module")
def mapped(module_engine):
    """The opinion and the synthetic plan mapped onto it, and the writes above, each made once; built once per
    back end for the tests that only read it."""
    return with_plan(module_engine)


@pytest.fixture
def own_mapped(engine):
    """``mapped``, a database of the test's own, for the tests that record more."""
    return with_plan(engine)


def with_plan(engine):
    load_policy_version(engine, PLAN_FILE, actor="测试")
    for moment, code, policy, item, period, fields in WRITES:
        with time_machine.travel(moment, tick=False):
            set_record(engine, code, item, RawChange(**fields), actor="张老师", period=period, policy_id=policy)
    return engine


def line(engine, code, policy, item, period="once", as_of=None):
    with time_machine.travel(NOW, tick=False):
        lines = show_records(engine, code, policy_id=policy, as_of=as_of).lines
    return next(found for found in lines if (found.item.id, found.period) == (item, period))


def test_a_record_made_under_the_opinion_counts_for_the_equal_item_of_the_plan(mapped):
    counted = line(mapped, SHANXI, PLAN, "service.1.a")

    assert counted.state.status == "done" and counted.state.value == 450
    assert counted.state.via == Source(OPINION, "support.16.a", Relation.EQUAL)


def test_and_one_made_under_the_plan_counts_for_the_opinion(mapped):
    counted = line(mapped, TAIYUAN_TECH, OPINION, "support.16.a")

    assert counted.state.status == "done" and counted.state.via == Source(PLAN, "service.1.a", Relation.EQUAL)


def test_a_record_of_a_part_counts_for_nothing_in_the_whole(mapped):
    # guide.1.b asks for part of guidance.4.b (subset): done there is not done here
    assert line(mapped, TAIYUAN_TECH, OPINION, "guidance.4.b").state is None


def test_a_lines_own_record_comes_before_the_mapped_one(mapped):
    own = line(mapped, CHANGZHI_VOCATIONAL, PLAN, "service.1.a")

    assert own.state.status == "in_progress" and own.state.via is None


def test_nothing_is_copied(mapped):
    with Session(mapped) as session:
        assert session.exec(select(func.count()).select_from(Record)).one() == len(WRITES)


def test_each_view_judges_against_its_own_target_and_deadline(mapped):
    with time_machine.travel(NOW, tick=False):
        plan = institution_status(mapped, SHANXI, policy_id=PLAN, as_of=date(2026, 1, 10)).total
        opinion = institution_status(mapped, SHANXI, policy_id=OPINION, as_of=date(2026, 1, 10)).total

    assert (plan.indicators_reported, plan.indicators_met) == (1, 0)  # 450 against the plan's ≤ 400
    assert (opinion.indicators_reported, opinion.indicators_met) == (1, 1)  # 450 against the opinion's ≤ 500
    # the annual report done on 2025-12-15: late for the plan's 11-30, on time for the opinion's 12-31
    assert (plan.done, plan.done_late, plan.via_mapping) == (2, 1, 2)
    assert (opinion.done, opinion.done_late, opinion.via_mapping) == (2, 0, 0)
    assert line(mapped, SHANXI, PLAN, "service.1.b", "2025", date(2026, 1, 10)).standing is Standing.DONE_LATE
    assert line(mapped, SHANXI, OPINION, "evaluation.14.a", "2025", date(2026, 1, 10)).standing is Standing.DONE


def python_counts(lines) -> dict[str, int]:
    """What status counts, from the Python readers' lines (record show): the rule applied line by line."""
    rated = [found for found in lines if found.counted and found.standing is not Standing.BEFORE_START]
    recorded = [found for found in rated if found.state is not None]
    valued = [found for found in recorded if found.item.indicator and found.state.value is not None
              and found.state.status != "not_applicable"]
    return {
        "applicable": len(rated), "reported": len(recorded),
        "done": sum(found.standing in (Standing.DONE, Standing.DONE_LATE) for found in rated),
        "done_late": sum(found.standing is Standing.DONE_LATE for found in rated),
        "overdue_current": sum(found.standing is Standing.OVERDUE for found in rated),
        "indicators_reported": len(valued),
        "indicators_met": sum(found.item.indicator.is_met(found.state.value) for found in valued),
        "via_mapping": sum(found.state.via is not None for found in recorded),
    }


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("policy", [PLAN, OPINION])
def test_status_in_sql_and_the_python_readers_agree_through_the_mapping(mapped, policy, day):
    for code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL):
        with time_machine.travel(NOW, tick=False):
            total = institution_status(mapped, code, policy_id=policy, as_of=day).total
            lines = show_records(mapped, code, policy_id=policy, as_of=day).lines
            overdue = list_deadlines(mapped, institution=code, as_of=day, within_days=0, policy_id=policy).overdue
        assert {name: getattr(total, name) for name in python_counts(lines)} == python_counts(lines), (code, day)
        assert {(o.item_id, o.period) for o in overdue} == {
            (found.item.id, found.period) for found in lines if found.standing is Standing.OVERDUE}


def test_the_plans_school_report_says_which_records_came_through_the_mapping(mapped, tmp_path):
    with time_machine.travel(NOW, tick=False):
        institution_report(mapped, SHANXI, out_dir=tmp_path, policy_id=PLAN)
    page = next((tmp_path / "institutions").glob("*.html")).read_text(encoding="utf-8")

    assert "经映射计入：记录填报在 gse-2025 support.16.a（等同），按本政策的截止日期和目标判定" in page
    assert "其中 2 项经映射计入" in page
    assert ("本方案指标：≤ 400 名毕业生/每名专职人员"
            "（高质量就业服务体系意见：≤ 500 名毕业生/每名专职人员），按本方案判定") in page


def test_the_opinions_school_report_stays_as_it_was(mapped, tmp_path):
    with time_machine.travel(NOW, tick=False):
        institution_report(mapped, SHANXI, out_dir=tmp_path, policy_id=OPINION)
    page = next((tmp_path / "institutions").glob("*.html")).read_text(encoding="utf-8")

    assert "按本方案判定" not in page and "经映射计入" not in page


def test_a_record_mapped_only_in_part_is_shown_as_partial_evidence_and_not_counted(own_mapped):
    with time_machine.travel(datetime(2025, 6, 5, 2, tzinfo=UTC), tick=False):
        set_record(own_mapped, SHANXI, "guidance.4.a", RawChange(status="done"), actor="张老师", policy_id=OPINION)

    # guide.1.a asks for more than guidance.4.a (superset): done there is part of it here
    found = line(own_mapped, SHANXI, PLAN, "guide.1.a")

    assert found.state is None
    assert [(p.via, p.status) for p in found.partial] == [(Source(OPINION, "guidance.4.a", Relation.SUBSET), "done")]


def summary_rows(mapped, tmp_path, policy, page) -> dict[str, str]:
    """The rows of one page of ``policy``'s summary report, by school code: the text of each row."""
    with time_machine.travel(NOW, tick=False):
        summary_report(mapped, out_dir=tmp_path, policy_id=policy)
    return rows_of(tmp_path / page)


@pytest.fixture(scope="module")
def summaries(mapped, tmp_path_factory) -> dict[str, Path]:
    """Each policy's summary report of ``mapped``, written once per back end: its folder, by policy."""
    folders = {policy: tmp_path_factory.mktemp("summary") for policy in (PLAN, OPINION)}
    with time_machine.travel(NOW, tick=False):
        for policy, folder in folders.items():
            summary_report(mapped, out_dir=folder, policy_id=policy)
    return folders


def rows_of(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {tr.select_one("td .small").get_text(): tr.get_text(" ", strip=True) for tr in soup.select("table.sortable tbody tr")}


VIA_OPINION = "经映射计入：记录填报在 gse-2025 support.16.a（等同），按本政策的截止日期和目标判定"
VIA_PLAN = "经映射计入：记录填报在 demo-province-2025 service.1.a（等同），按本政策的截止日期和目标判定"


@pytest.mark.parametrize("page", ["items/service.1.a.html", "measures/service.1.html"])
def test_the_plans_summary_pages_mark_the_line_counted_through_the_mapping_and_name_its_source(summaries, page):
    rows = rows_of(summaries[PLAN] / page)

    assert VIA_OPINION in rows[SHANXI]
    assert "经映射计入" not in rows[TAIYUAN_TECH]  # its own record, made under the plan


@pytest.mark.parametrize("page", ["items/support.16.a.html", "measures/support.16.html"])
def test_the_opinions_summary_pages_leave_its_own_records_unmarked(summaries, page):
    rows = rows_of(summaries[OPINION] / page)

    assert "经映射计入" not in rows[SHANXI] and "经映射计入" not in rows[CHANGZHI_VOCATIONAL]
    assert VIA_PLAN in rows[TAIYUAN_TECH]  # recorded once, under the plan: the opinion names where


def test_the_summarys_item_page_shows_partial_evidence_as_the_school_page_does(own_mapped, tmp_path):
    with time_machine.travel(datetime(2025, 6, 5, 2, tzinfo=UTC), tick=False):
        set_record(own_mapped, SHANXI, "guidance.4.a", RawChange(status="done"), actor="张老师", policy_id=OPINION)

    rows = summary_rows(own_mapped, tmp_path, PLAN, "items/guide.1.a.html")

    assert "未填报" in rows[SHANXI]
    assert "部分佐证：gse-2025 guidance.4.a（被包含）已完成（不计入本项）" in rows[SHANXI]
