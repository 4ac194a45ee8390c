"""The demo report on paper and on a phone, in real headless Chromium: A4 at 100 %, colours kept, readable in black
and white, long links wrapped; at 390 px no page scrolls sideways; a page sent alone keeps its look.

The report is the demo's (twelve 山西 schools, a year of sample records), with one record carrying a very long URL
and an unbroken token, as offices paste them. PDFs are read back with pdfminer: page sizes, the size every
character was printed at, the colours of filled shapes. The PDFs and phone screenshots are also left in
tests/actual/browser/ for a person to look at.
"""

from __future__ import annotations

import logging
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LONG_URL = "https://jy.example.edu.cn/" + "/".join(["zhaopin-xinxi-2026"] * 8) + "?token=" + "Ab3" * 40
LONG_TOKEN = "材料编号" + "X9" * 70
LANDSCAPE, PORTRAIT = (841.9, 595.3), (595.3, 841.9)  # A4 in points
# (297 or 210 mm − 2 × 10 mm margins) at 96 px per inch: the summary and a measure (a column per item) print in
# landscape, a school's and an item's page in portrait.
PRINTABLE_PX = {"index": 1047, "institution": 718, "measure": 1047, "item": 718}
WIDEST_MEASURE = "guidance.4"  # seven items: the measure page with the most columns
LONG_ITEM = "supply.2.a"  # the item whose first evidence, at the first school, is LONG_URL
PHONE = {"width": 390, "height": 844}
SMALLEST_PT = 8.5  # .small notes in print; body 10 pt, tables 9 pt
LOOK = Path(__file__).parents[1] / "actual" / "browser"


@dataclass(frozen=True)
class Demo:
    """The demo report: its folder, its zip, and the school whose page carries the long URL."""

    index: Path
    archive: Path
    code: str

    def url(self, which: str) -> str:
        folder = self.index.parent
        page = {"index": self.index, "institution": folder / "institutions" / f"{self.code}.html",
                "measure": folder / "measures" / f"{WIDEST_MEASURE}.html",
                "item": folder / "items" / f"{LONG_ITEM}.html"}[which]
        return page.as_uri()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    from jobpolicy import clock
    from jobpolicy.services.demo import build_demo
    from jobpolicy.services.recording import RawChange, set_record
    from jobpolicy.services.reports import summary_report
    from jobpolicy.services.scope import resolve_scope

    folder = tmp_path_factory.mktemp("demo")
    engine, codes = build_demo(folder, today=clock.today())
    set_record(engine, codes[0], "supply.2.a", RawChange(evidence=(LONG_URL,), note=LONG_TOKEN), actor="测试")
    result = summary_report(engine, out_dir=folder / "reports", scope=resolve_scope(province="山西"),
                            archive=folder / "山西演示报告.zip")
    engine.dispose()
    return Demo(result.index, result.archive, codes[0])


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    yield context.new_page()
    context.close()


def pdf_pages(data: bytes) -> list:
    """The pages of a PDF as pdfminer lays them out."""
    pytest.importorskip("pdfminer", reason="reading the PDFs needs pdfminer.six (pip install -e '.[test]')")
    from pdfminer.high_level import extract_pages

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return list(extract_pages(BytesIO(data)))


def walk(item):
    yield item
    for child in getattr(item, "_objs", None) or []:
        yield from walk(child)


def printed(page, which: str) -> bytes:
    """Print as the browser's dialog does by default: the page's own paper size, background graphics off."""
    data = page.pdf(prefer_css_page_size=True, print_background=False)
    LOOK.mkdir(parents=True, exist_ok=True)
    (LOOK / f"print-{which}.pdf").write_bytes(data)
    return data


@pytest.mark.parametrize(("which", "paper"), [("index", LANDSCAPE), ("institution", PORTRAIT),
                                               ("measure", LANDSCAPE), ("item", PORTRAIT)])
def test_prints_on_a4_at_full_size(demo, open_page, which, paper):
    """Chromium shrinks a page whose content is wider than the paper; then every letter prints smaller."""
    from pdfminer.layout import LTChar

    pages = pdf_pages(printed(open_page(demo.url(which)).page, which))

    assert len(pages) > 1
    for page in pages:
        assert page.bbox[2:] == pytest.approx(paper, abs=2)
    sizes = Counter(round(c.size, 1) for page in pages for c in walk(page) if isinstance(c, LTChar))
    assert min(sizes) >= SMALLEST_PT - 0.05, sizes
    assert 9.0 in sizes and 10.0 in sizes  # table and body text, at the size the stylesheet says …
    if which != "measure":  # … and most of the text (a measure's page is mostly its cells' small notes)
        assert sizes.most_common(1)[0][0] in (9.0, 10.0)


@pytest.mark.parametrize("which", list(PRINTABLE_PX))
def test_nothing_is_wider_than_the_printable_width(demo, open_page, which):
    page = open_page(demo.url(which)).page
    width = PRINTABLE_PX[which]
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media="print")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('main *')]"
                           ".map(e => e.getBoundingClientRect().right))")
    assert widest <= width


def test_printing_keeps_the_heat_map_colours_with_background_graphics_off(demo, open_page):
    from pdfminer.layout import LTCurve

    from jobpolicy.render.heat import HEAT_BANDS

    page = open_page(demo.index.as_uri()).page
    page.emulate_media(media="print")
    adjust = page.eval_on_selector("table.heatmap td.heat", "td => [getComputedStyle(td).printColorAdjust, "
                                   "getComputedStyle(td).webkitPrintColorAdjust, getComputedStyle(document.body)"
                                   ".printColorAdjust]")
    assert adjust == ["exact", "exact", "exact"]
    used = set(page.eval_on_selector_all("table.heatmap td.heat", "cells => cells.map(td => td.classList[1])"))
    page.emulate_media(media="screen")

    fills = {tuple(round(v, 2) for v in shape.non_stroking_color) for p in pdf_pages(printed(page, "index"))
             for shape in walk(p) if isinstance(shape, LTCurve) and shape.fill and shape.non_stroking_color}
    wanted = {band.css: tuple(round(int(band.fill[i:i + 2], 16) / 255, 2) for i in (1, 3, 5)) for band in HEAT_BANDS}
    assert len(used & set(wanted)) >= 3  # the demo spreads over several bands
    for css in used & set(wanted):
        assert wanted[css] in fills, css


def test_in_black_and_white_every_heat_cell_and_legend_entry_says_its_value(demo, open_page):
    page = open_page(demo.index.as_uri()).page
    page.emulate_media(media="print")

    cells = page.eval_on_selector_all("table.heatmap td.heat", "cells => cells.map(td => td.innerText.trim())")
    rates = [text.splitlines()[0] for text in cells]  # the rate, then what it is out of (3/7)
    assert cells and all(rate == "—" or rate.endswith("%") for rate in rates)
    legend = page.eval_on_selector_all(".heat-legend li", "items => items.map(li => li.innerText.trim())")
    assert len(legend) == 6 and all(any(ch.isdigit() for ch in text) or "无" in text for text in legend)
    assert page.is_visible(".heat-legend")


@pytest.mark.parametrize("which", list(PRINTABLE_PX))
def test_printed_text_is_at_least_9pt(demo, open_page, which):
    page = open_page(demo.url(which)).page
    page.emulate_media(media="print")

    points = page.evaluate("['body', 'main table td', 'main p:not(.small)'].map(s => "
                           "parseFloat(getComputedStyle(document.querySelector(s)).fontSize) * 0.75)")
    assert min(points) >= 9, points


def test_long_urls_and_tokens_wrap_inside_their_cell(demo, open_page):
    page = open_page(demo.url("institution")).page
    for width, media in ((1360, "screen"), (PRINTABLE_PX["institution"], "print")):
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(media=media)
        link = page.locator(f'.evidence a[href="{LONG_URL}"]')
        assert link.count() == 1
        cell = link.locator("xpath=ancestor::td[1]")
        table = link.locator("xpath=ancestor::table[1]")
        assert link.bounding_box()["height"] > 3 * 14  # wrapped over several lines
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= table.bounding_box()["x"] + \
            table.bounding_box()["width"] + 1
        note = page.locator("td", has_text=LONG_TOKEN).last
        assert note.bounding_box()["width"] < width / 4
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_no_page_scrolls_sideways_on_a_phone(demo, phone):
    pages = sorted(demo.index.parent.rglob("*.html"))
    by_folder = Counter(path.parent.name for path in pages)
    assert by_folder["institutions"] == 12 and by_folder["measures"] > 15 and by_folder["items"] > 50
    for path in pages:
        phone.goto(path.as_uri())
        assert phone.locator('meta[name="viewport"]').count() == 1
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path.name
    LOOK.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=LOOK / "phone-institution.png")


def test_on_a_phone_the_heat_map_scrolls_inside_its_own_box(demo, phone):
    phone.goto(demo.index.as_uri())
    box = phone.locator("div.scroll", has=phone.locator("table.heatmap"))

    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table is wider than the screen …
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= PHONE["width"]  # … and its box is not
    before = phone.evaluate("scrollX")
    box.evaluate("b => b.scrollLeft = 200")
    assert box.evaluate("b => b.scrollLeft") == 200 and phone.evaluate("scrollX") == before
    box.scroll_into_view_if_needed()
    phone.screenshot(path=LOOK / "phone-heatmap.png")


def test_a_page_sent_alone_keeps_its_look(demo, open_page, tmp_path):
    alone = tmp_path / "微信" / "index.html"
    alone.parent.mkdir()
    shutil.copy(demo.index, alone)
    watched = open_page(alone.as_uri())
    page = watched.page

    assert watched.requests == [alone.as_uri()] and watched.failed == []  # nothing else to fetch
    assert page.eval_on_selector("header.page", "h => getComputedStyle(h).borderBottomColor") == "rgb(142, 27, 27)"
    assert page.eval_on_selector("td.heat.heat-4", "td => getComputedStyle(td).backgroundColor") == \
        "rgb(129, 199, 132)"  # render.heat: #81c784


def test_the_unpacked_zip_is_the_report_with_working_links(demo, open_page, tmp_path):
    with zipfile.ZipFile(demo.archive) as zipped:
        zipped.extractall(tmp_path)
    index = tmp_path / "山西演示报告" / "index.html"
    page = open_page(index.as_uri()).page

    page.click(f'table.heatmap a[href="institutions/{demo.code}.html"]')
    assert page.url == (index.parent / "institutions" / f"{demo.code}.html").as_uri()
    page.click("text=返回汇总")
    assert page.url == index.as_uri()
