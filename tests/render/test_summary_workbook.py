"""The summary workbook (``report summary --xlsx``): the page's tables as numbers, the heat map as conditional
formatting from the same bands, frozen headers, lists, a chart; and all of it still there once LibreOffice has
opened and saved the file, as an office's spreadsheet program would."""

from datetime import date

import openpyxl
import pytest
from bs4 import BeautifulSoup

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.render.heat import HEAT_BANDS, NO_RATE
from jobpolicy.services.reports import summary_report
from jobpolicy.services.scope import resolve_scope
from libreoffice import save_in_libreoffice
from render.conftest import at, change

AS_OF = date(2025, 6, 30)
LATER = date(2026, 1, 15)  # the 2025 annual report (due 2025-12-31) is overdue everywhere
SHEETS = ["各校落实情况", "本科与专科", "各举措落实情况", "逾期事项", "未报送学校"]
HEADER, FIRST = 3, 4
SYSTEMS = 6  # the bundled catalog's systems with university items
EVIL = '=HYPERLINK("http://evil","x")'


def write(engine, tmp_path, as_of=AS_OF):
    path = tmp_path / "山西汇总.xlsx"
    result = summary_report(engine, out_dir=tmp_path / "r", scope=resolve_scope(province="山西"), as_of=as_of,
                            workbook=path)
    assert result.workbook == path.resolve()
    return path


def rows(sheet, first=FIRST):
    """The data rows under the header, as dicts by header, up to the first empty row."""
    header = [cell.value for cell in sheet[HEADER]]
    found = []
    for values in sheet.iter_rows(min_row=first, values_only=True):
        if values[0] is None or values[0] == "合计":
            break
        found.append(dict(zip(header, values, strict=True)))
    return found


@pytest.fixture(scope="module")
def written(module_scenario, tmp_path_factory):
    """The workbook and its report folder, written once per back end for the tests that only read them."""
    return write(module_scenario, tmp_path_factory.mktemp("workbook"))


@pytest.fixture
def book(written):
    return openpyxl.load_workbook(written)


def test_sheets_have_a_title_naming_scope_policy_and_date_and_a_frozen_chinese_header(book):
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        sheet = book[name]
        title = sheet["A1"].value
        assert title.startswith(f"山西省高校就业政策落实情况汇总：{name}") and "数据截至 2025-06-30" in title
        assert "gse-2025@2025.2" in title and "政策：" in title
        assert sheet.freeze_panes == ("B4" if name == "本科与专科" else "C4")
        assert all(cell.value and not cell.value.isascii() for cell in sheet[HEADER])
    assert [c.value for c in book["各校落实情况"][HEADER]][:5] == ["学校标识码", "学校", "省份", "层次", "报送"]


def test_rates_are_numbers_formatted_as_percent_and_equal_what_the_page_prints(book, written):
    sheet = book["各校落实情况"]
    page = BeautifulSoup((written.parent / "r" / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = {tr.select_one(".small").get_text(): [td.contents[0].strip() for td in tr.select("td.heat")]
             for tr in page.select("table.heatmap tbody tr")}
    header = [cell.value for cell in sheet[HEADER]]
    systems = header[5:5 + SYSTEMS]
    for row in sheet.iter_rows(min_row=FIRST, max_row=FIRST + 2):
        code = row[0].value
        cells = row[5:5 + SYSTEMS]
        assert [_as_shown(c.value) for c in cells] == shown[code], code
        for cell in cells:
            assert isinstance(cell.value, int | float) and cell.number_format == "0.0%"
    record = {r["学校标识码"]: r for r in rows(sheet)}[SHANXI]
    assert (record["已填报项"], record["适用项"], record["已完成权重"], record["适用权重"]) == (3, 62, 3, 63)
    assert record["落实率"] == 0.048 and record["达标率"] == 1 and record["最近更新"].date() == date(2025, 6, 20)
    assert len(systems) == SYSTEMS


def _as_shown(value) -> str:
    return value if isinstance(value, str) else f"{value * 100:.1f}%"


def test_a_school_with_nothing_to_rate_shows_a_dash_not_zero(book):
    record = {r["学校标识码"]: r for r in rows(book["各校落实情况"])}[CHANGZHI_VOCATIONAL]
    assert record["达标率"] == "—" and record["已填指标"] == 0 and record["最近更新"] is None


def test_the_heat_map_colours_are_conditional_formats_from_the_pages_bands(book):
    for name, letters in (("各校落实情况", "FGHIJK"), ("各举措落实情况", "J")):
        sheet = book[name]
        ranges = {str(cf.sqref): cf.rules for cf in sheet.conditional_formatting}
        assert sorted(r[0] for r in ranges) == sorted(letters)
        for sqref, rules in ranges.items():
            first = sqref.split(":")[0]
            fills = [rule.dxf.fill.fgColor.rgb[-6:] for rule in rules]
            assert fills == [band.fill[1:].upper() for band in (*HEAT_BANDS, NO_RATE)]
            low, high = HEAT_BANDS[1].low / 100, HEAT_BANDS[1].high / 100
            assert rules[1].formula == [f"AND(ISNUMBER({first}),{first}>={low:g},{first}<{high:g})"]
            assert rules[-1].formula == [f"NOT(ISNUMBER({first}))"]


def test_measures_add_up_to_the_schools_totals(book):
    """Per measure is counted in Python from the checklist lines, per school in SQL by the status service."""
    schools, measures = rows(book["各校落实情况"]), rows(book["各举措落实情况"])
    assert sum(m["适用事项"] for m in measures) == sum(s["适用项"] for s in schools) == 185
    assert sum(m["已填报"] for m in measures) == sum(s["已填报项"] for s in schools)
    assert sum(m["当期逾期"] for m in measures) == sum(s["当期逾期"] for s in schools)
    assert [m["举措编号"] for m in measures][:3] == ["supply.2", "supply.3", "guidance.4"]
    assert all(m["适用学校"] == 3 for m in measures)


def test_the_measure_sheet_carries_a_bar_chart_of_its_rates(book):
    sheet = book["各举措落实情况"]
    (chart,) = sheet._charts
    assert chart.type == "bar" and chart.legend is None
    count = len(rows(sheet))
    assert chart.series[0].val.numRef.f == f"'各举措落实情况'!$J${FIRST}:$J${FIRST + count - 1}"
    labels = chart.series[0].cat.numRef or chart.series[0].cat.strRef
    assert labels.f == f"'各举措落实情况'!$B${FIRST}:$B${FIRST + count - 1}"


def test_the_not_submitted_list_puts_schools_that_recorded_nothing_first(book):
    assert [(r["学校标识码"], r["情况"]) for r in rows(book["未报送学校"])] == [
        (CHANGZHI_VOCATIONAL, "未填报（没有任何记录）"), (TAIYUAN_TECH, "已填报，尚未报送")]  # 山西大学 submitted


def test_each_school_s_submission_state_is_the_page_s(book, written):
    page = BeautifulSoup((written.parent / "r" / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = {tr.select_one(".small").get_text(): tr.select_one(".badge").get_text()
             for tr in page.select("table.heatmap tbody tr")}
    assert {r["学校标识码"]: r["报送"] for r in rows(book["各校落实情况"])} == shown
    assert shown[SHANXI] != "未报送" and shown[TAIYUAN_TECH] == shown[CHANGZHI_VOCATIONAL] == "未报送"


def test_undergraduate_beside_vocational_adds_up_to_the_schools(book):
    schools, levels = rows(book["各校落实情况"]), rows(book["本科与专科"])
    assert [(r["层次"], r["学校数"], r["已报送学校"], r["未报送"]) for r in levels] == [("本科", 2, 1, 1), ("专科", 1, 0, 1)]
    for level in levels:
        mine = [s for s in schools if s["层次"] == level["层次"]]
        assert level["适用项"] == sum(s["适用项"] for s in mine) and level["当期逾期"] == sum(s["当期逾期"] for s in mine)
    sheet = book["本科与专科"]
    total = [cell.value for cell in sheet[FIRST + len(levels)]]
    assert total[:3] == ["合计", 3, 1] and isinstance(total[7], float)  # 填报率 as a number, over all three


def test_the_overdue_list_is_what_cumulative_overdue_counts(scenario, tmp_path):
    change(scenario, at(6, 25), CHANGZHI_VOCATIONAL, "evaluation.14.a", period="2025", status="推进中",
           department=EVIL)
    book = openpyxl.load_workbook(write(scenario, tmp_path, as_of=LATER))
    overdue, schools = rows(book["逾期事项"]), rows(book["各校落实情况"])

    assert len(overdue) == sum(s["累计逾期"] for s in schools) > 0
    assert {r["学校标识码"] for r in overdue} == {SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL}
    report = next(r for r in overdue if r["学校标识码"] == CHANGZHI_VOCATIONAL and r["检查项"] == "evaluation.14.a")
    assert report["截止日期"].date() == date(2025, 12, 31) and report["逾期天数"] == 15
    assert report["期次"] == "2025" and report["状态"] == "推进中"
    assert report["责任部门"] == "'" + EVIL  # text, never a formula
    cell = next(c for c in book["逾期事项"]["K"] if c.value == "'" + EVIL)
    assert cell.data_type == "s"


def test_libreoffice_keeps_numbers_formats_colours_and_chart(written, soffice):
    saved = openpyxl.load_workbook(save_in_libreoffice(soffice, written))  # saved into a folder beside it

    assert saved.sheetnames == SHEETS
    schools = saved["各校落实情况"]
    record = {r["学校标识码"]: r for r in rows(schools)}[SHANXI]
    assert record["落实率"] == pytest.approx(0.048) and record["适用项"] == 62
    assert schools.cell(row=FIRST, column=6).number_format.startswith("0.0%")  # the first system
    for name, count in (("各校落实情况", SYSTEMS), ("各举措落实情况", 1)):
        formats = list(saved[name].conditional_formatting)
        assert len(formats) == count
        fills = {rule.dxf.fill.bgColor.rgb[-6:] for cf in formats for rule in cf.rules}
        assert fills >= {band.fill[1:].upper() for band in HEAT_BANDS}
    measures = saved["各举措落实情况"]
    (chart,) = measures._charts  # (a headless save drops window settings such as frozen panes)
    assert chart.type == "bar" and chart.series[0].val.numRef.f.endswith(f"$J${FIRST + len(rows(measures)) - 1}")
