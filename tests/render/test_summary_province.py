"""The summary answers a province's questions: who has not reported, 本科 beside 专科, what changed since a date, the
measures most often missed among the schools that reported, and each measure and item across all schools.

Five 山西 schools over spring 2025, reported as of 2025-06-30 and compared with 2025-05-31:

- 山西大学 (本科) records two items in March and April, submits on 20 May, has support.16.a returned on 5 June;
- 中北大学 (本科) records two items, submits and is accepted in April, finishes one of them (a draft) in June;
- 太原理工大学 (本科) records support.16.a in June (a value above its target) and submits it on 15 June;
- 晋城职业技术学院 (专科) has one draft since March; 长治职业技术学院 (专科) has recorded nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import time_machine
from bs4 import BeautifulSoup

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH, TRACKED_SINCE
from jobpolicy.services.institutions import add_institution
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.reports import institution_report, summary_report
from jobpolicy.services.review import accept, return_item, submit
from jobpolicy.services.scope import resolve_scope
from jobpolicy.services.status import institution_status

NORTH = "4114010110"  # 中北大学, 本科
JINCHENG = "4114012774"  # 晋城职业技术学院, 专科
AS_OF, SINCE = date(2025, 6, 30), date(2025, 5, 31)
SHANXI_PROVINCE = resolve_scope(province="山西")


def at(month: int, day: int) -> time_machine.travel:
    return time_machine.travel(datetime(2025, month, day, 2, tzinfo=UTC), tick=False)


def record(engine, code: str, item: str, **fields) -> None:
    set_record(engine, code, item, RawChange(**fields), actor=fields.pop("actor", "学校填报人"))


@pytest.fixture(scope="module")
def province(module_engine):
    """Built once per module and back end: every test below only reads it (they write reports, not records)."""
    engine = module_engine
    for code in (NORTH, JINCHENG):
        add_institution(engine, code, start=date.fromisoformat(TRACKED_SINCE))
    with at(3, 1):
        record(engine, SHANXI, "support.16.a", status="已完成", value="480", evidence=("https://jy.sxu.edu.cn/s",))
        record(engine, NORTH, "supply.2.a", status="已完成")
        record(engine, NORTH, "guidance.4.a", status="推进中")
        record(engine, JINCHENG, "guidance.4.a", status="推进中")
    with at(4, 1):
        record(engine, SHANXI, "guidance.4.a", status="已完成", value="40")
    with at(4, 10):
        submit(engine, NORTH, actor="中北大学")
    with at(4, 20):
        accept(engine, NORTH, [], actor="省教育厅")
    with at(5, 20):
        submit(engine, SHANXI, actor="山西大学")
    with at(6, 5):
        return_item(engine, SHANXI, "support.16.a", "缺少人员名单", actor="省教育厅")
    with at(6, 10):
        record(engine, NORTH, "guidance.4.a", status="已完成", value="38")
    with at(6, 12):
        record(engine, TAIYUAN_TECH, "support.16.a", status="已完成", value="650")
    with at(6, 15):
        submit(engine, TAIYUAN_TECH, actor="太原理工大学")
    return engine


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def table_after(soup: BeautifulSoup, heading_id: str, nth: int = 0):
    return soup.find(id=heading_id).find_all_next("table")[nth]


def rows_of(table) -> list[list[str]]:
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]


@pytest.fixture(scope="module")
def report(province, tmp_path_factory):
    """The summary written once per back end; the tests that take it only read it."""
    out = tmp_path_factory.mktemp("summary") / "r"
    with at(7, 1):
        index = summary_report(province, out_dir=out, scope=SHANXI_PROVINCE, as_of=AS_OF, since=SINCE).index
    return index


def test_counts_each_submission_state_and_lists_the_schools_that_have_not_reported(report):
    soup = soup_of(report)
    counts = table_after(soup, "submission")
    assert [th.get_text(strip=True) for th in counts.thead.find_all("th")] == ["未报送", "有退回", "已报送待审", "已审核"]
    assert rows_of(counts) == [["2 所", "1 所", "1 所", "1 所"]]
    assert soup.find(id="unreported").get_text(strip=True) == "尚未报送的学校（2 所）"
    unreported = rows_of(table_after(soup, "unreported"))
    assert [(row[0], row[2]) for row in unreported] == [
        ("长治职业技术学院 4114012388", "0 项"), ("晋城职业技术学院 4114012774", "1 项")]  # its March draft


def test_the_heat_map_names_each_schools_level_and_submission_state(report):
    rows = {row[0].split()[-1]: row for row in rows_of(soup_of(report).select_one("table.heatmap"))}
    assert {code: (row[2], row[3]) for code, row in rows.items()} == {
        SHANXI: ("本科", "有退回"), NORTH: ("本科", "已审核"), TAIYUAN_TECH: ("本科", "已报送待审"),
        CHANGZHI_VOCATIONAL: ("专科", "未报送"), JINCHENG: ("专科", "未报送")}


def shown(completion, which: str) -> str:
    return getattr(completion, f"{which}_shown")


def test_undergraduate_beside_vocational_with_every_rate_over_its_denominator(report, province):
    table = table_after(soup_of(report), "levels")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
        "", "本科（3 所）", "专科（2 所）", "合计（5 所）"]
    rows = {row[0]: row[1:] for row in rows_of(table)}
    assert rows["已报送学校"] == ["3/3", "0/2", "3/5"]
    assert rows["未报送"] == ["0", "2", "2"]
    totals = {code: institution_status(province, code, as_of=AS_OF).total
              for code in (SHANXI, NORTH, TAIYUAN_TECH, CHANGZHI_VOCATIONAL, JINCHENG)}
    undergraduate = totals[SHANXI] + totals[NORTH] + totals[TAIYUAN_TECH]
    vocational = totals[CHANGZHI_VOCATIONAL] + totals[JINCHENG]
    for label, which in (("填报率", "reported"), ("落实率", "done"), ("达标率", "met")):
        assert rows[label] == [shown(undergraduate, which), shown(vocational, which),
                               shown(undergraduate + vocational, which)]
        assert all(re.fullmatch(r"(\d+\.\d%|—)（[\d.]+/[\d.]+）", cell) for cell in rows[label]), rows[label]


def test_rates_then_and_now_per_school_are_the_status_as_of_each_date(report, province):
    soup = soup_of(report)
    assert soup.find(id="since").get_text(strip=True) == "2025-05-31 以来的变化"
    assert "按 --since 指定" in soup.find(id="since").find_next("p").get_text()
    changes = {row[0].split()[-1]: row for row in rows_of(table_after(soup, "since", 1))}
    for code, row in changes.items():
        then = institution_status(province, code, as_of=SINCE).total
        now = institution_status(province, code, as_of=AS_OF).total
        assert row[3:7] == [then.reported_shown, now.reported_shown, then.done_shown, now.done_shown], code
    assert changes[SHANXI][2] == "已报送待审 → 有退回"
    assert changes[TAIYUAN_TECH][2] == "未报送 → 已报送待审"
    assert changes[NORTH][2] == "已审核"
    assert changes[NORTH][8:] == ["1", "0", "1"]  # guidance.4.a done in June: 新完成, 新退回, 状态变化
    assert changes[SHANXI][8:] == ["0", "1", "0"]
    assert changes[CHANGZHI_VOCATIONAL][7:] == ["+0.0", "0", "0", "0"]


def test_what_changed_province_wide(report):
    soup = soup_of(report)
    rows = {row[0]: row[1:] for row in rows_of(table_after(soup, "since"))}
    assert rows["已报送学校"] == ["2/5", "3/5", "+1"]
    text = soup.get_text(" ", strip=True)
    assert ("新填报 1 项，状态变化 2 项，新完成 2 项，改回未完成 0 项，新报送待审 1 项，新审核通过 0 项，新退回 1 项"
            "（涉及 3 所学校") in text
    assert "报送状态有变化的学校：未报送 → 已报送待审：1 所；已报送待审 → 有退回：1 所。" in text


def test_measures_most_often_missed_are_counted_among_reporting_schools_only(report, province):
    soup = soup_of(report)
    assert "只统计已报送的 3 所学校" in soup.find(id="measures").find_next("p").get_text()
    rows = {row[0].split()[-1]: row for row in rows_of(table_after(soup, "measures"))}
    # support.16: five items of weight 1 for each of the three reporting schools; two of them did support.16.a.
    assert rows["support.16"][1:4] == ["3", "3/3", "13.3%（2/15）"]
    assert rows["support.16"][4] == "support.16.b 有 3 所未完成"
    assert all(row[1] == "3" for row in rows.values())  # the two schools that never reported are not in any n
    rates = [float(row[3].split("%")[0]) for row in rows.values() if not row[3].startswith("—")]
    assert rates == sorted(rates)  # the most often missed first


def test_a_measure_page_lists_every_school_worst_first(report):
    page = report.parent / "measures" / "guidance.4.html"
    soup = soup_of(page)
    assert soup.h1.get_text(strip=True) == "（四）强化生涯教育与就业指导"
    headers = [th.get_text(strip=True) for th in soup.select("table.sortable thead th")]
    assert headers[:4] == ["学校", "层次", "报送", "落实率"] and headers[-1] == "最近修改"
    items = headers[4:-1]
    assert items == [f"guidance.4.{x}" for x in "abcdefg"]
    rows = rows_of(soup.select_one("table.sortable"))
    assert [row[0].split()[-1] for row in rows][-2:] == [SHANXI, NORTH]  # 2 of 8 weights done each, by code
    vocational = next(row for row in rows if row[0].endswith(JINCHENG))
    assert vocational[4 + items.index("guidance.4.a")] == "推进中"
    assert vocational[4 + items.index("guidance.4.f")] == "不适用本校"  # a 本科-only item
    north = next(row for row in rows if row[0].endswith(NORTH))
    assert north[2:4] == ["已审核", "25.0%（2/8）"]
    assert north[4] == "已完成 达标"  # a draft beside its accepted records: no review badge
    assert north[-1] == "2025-06-10 10:00 学校填报人"
    links = [a["href"] for a in soup.select("ul a")]
    assert links == [f"../items/guidance.4.{x}.html" for x in "abcdefg"]


def test_an_item_page_shows_each_schools_status_review_value_evidence_and_last_change(report):
    soup = soup_of(report.parent / "items" / "support.16.a.html")
    text = soup.get_text(" ", strip=True)
    assert "适用 5 所学校：已完成 2 所，推进中 0 所，未启动 0 所，未填报 3 所" in text
    assert "已退回 1 所。已填指标 2 所，达标 1 所。" in text
    rows = rows_of(soup.select_one("table.sortable"))
    # Worst first: not filled (by code), done but short of the target, done.
    assert [row[0].split()[-1] for row in rows] == [NORTH, CHANGZHI_VOCATIONAL, JINCHENG, TAIYUAN_TECH, SHANXI]
    assert rows[3][2:5] == ["已完成", "已报送", "650 未达标"]
    assert rows[4][2:] == ["已完成", "已退回 缺少人员名单", "480 达标", "1 份 https://jy.sxu.edu.cn/s",
                           "2025-06-05 10:00 省教育厅"]
    assert rows[0][2:] == ["未填报", "—", "未填", "0 份", ""]
    assert soup.select_one('a[href="../measures/support.16.html"]').get_text() == "（十六）打造专业化就业指导教师队伍"


def test_the_summary_and_every_school_page_link_to_the_measure_pages(report):
    soup = soup_of(report)
    measure_links = {a["href"] for a in table_after(soup, "measures").select("a")}
    written = {f"measures/{p.name}" for p in (report.parent / "measures").glob("*.html")}
    assert measure_links == written and "measures/support.16.html" in written
    school = soup_of(report.parent / "institutions" / f"{SHANXI}.html")
    headings = {a["href"] for a in school.select("table.checklist th a")}
    assert "../measures/support.16.html" in headings
    assert headings == {f"../{link}" for link in measure_links}


def test_every_link_in_the_report_resolves(report):
    """Every relative link of every page names a file of the report, and every #anchor an element of that page."""
    pages = list(report.parent.rglob("*.html"))
    assert len(pages) > 60
    broken = []
    for page in pages:
        for a in soup_of(page).find_all("a", href=True):
            url = urlparse(a["href"])
            if url.scheme in ("http", "https"):
                continue
            target = (page.parent / unquote(url.path)).resolve() if url.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(report.parent)} → {a['href']}")
            elif url.fragment and soup_of(target).find(id=url.fragment) is None:
                broken.append(f"{page.relative_to(report.parent)} → {a['href']} (no such anchor)")
    assert broken == []


def test_a_school_report_alone_links_to_no_measure_page(province, tmp_path):
    page = institution_report(province, SHANXI, out_dir=tmp_path, as_of=AS_OF).index
    assert soup_of(page).select("table.checklist th a") == []
    assert not (tmp_path / "measures").exists()


def window(index: Path) -> str:
    return soup_of(index).find(id="since").find_next("p").get_text(strip=True)


def test_the_comparison_starts_at_the_previous_summarys_date_else_30_days_back(province, tmp_path):
    out = tmp_path / "r"
    with at(7, 1):
        first = summary_report(province, out_dir=out, scope=SHANXI_PROVINCE, as_of=date(2025, 5, 31)).index
        assert window(first).startswith("与 2025-05-01 当天结束时相比（起点：本目录没有更早的汇总报告，默认取 30 天前")
        again = summary_report(province, out_dir=out, scope=SHANXI_PROVINCE, as_of=AS_OF).index
        assert window(again).startswith("与 2025-05-31 当天结束时相比（起点：上次汇总报告（本目录）的数据截至日期")
        same = summary_report(province, out_dir=out, scope=SHANXI_PROVINCE, as_of=AS_OF).index
        assert window(same) == window(again)  # the same report again: the same window
        other = summary_report(province, out_dir=tmp_path / "other", scope=SHANXI_PROVINCE, as_of=AS_OF).index
        assert "2025-05-31 当天" in window(other)  # a new folder remembers nothing: 30 days back again
        vocational = summary_report(province, out_dir=out, scope=resolve_scope(province="山西", level="专科"),
                                    as_of=AS_OF).index
        assert "默认取 30 天前" in window(vocational)  # another filter in the folder: its own previous summary
        assert "上次汇总报告" in window(summary_report(province, out_dir=out, scope=SHANXI_PROVINCE,
                                                 as_of=date(2025, 7, 1)).index)  # 山西's is still remembered


def test_the_school_pages_share_the_comparison_date_given(report):
    text = soup_of(report.parent / "institutions" / f"{SHANXI}.html").get_text(" ", strip=True)
    assert "2025-05-31 之后至 2025-06-30 的变化" in text


def test_before_any_school_reports_the_measures_say_so_and_count_nobody(engine, tmp_path):
    with at(3, 1):
        record(engine, SHANXI, "support.16.a", status="已完成", value="480")  # a draft: not reported
    with at(7, 1):
        index = summary_report(engine, out_dir=tmp_path, as_of=AS_OF).index
    soup = soup_of(index)
    assert "还没有学校报送" in soup.find(id="measures").find_next("p").find_next("p").get_text()
    rows = rows_of(table_after(soup, "measures"))
    assert rows and {(row[1], row[2], row[3]) for row in rows} == {("0", "0/0", "—（0/0）")}
