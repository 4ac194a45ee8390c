"""The report in a real browser: offline, error-free, visible, sortable, printable, and inert against hostile text.

Debian's headless Chromium opens, over file://, the folder ``summary_report`` wrote for four 山西 institutions whose
records were written through the services at past dates. One record carries script, event-handler and javascript:
payloads in its note, owner, department, evidence and review reason; another in its N/A reason.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH

pytestmark = pytest.mark.browser

NORTH = "4114010110"  # 中北大学, 本科: the school that finished most, in February
AS_OF = date(2026, 6, 15)
CODES = [SHANXI, NORTH, TAIYUAN_TECH, CHANGZHI_VOCATIONAL]

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
JS_URL = "javascript:alert(1)"
BROKEN_OUT = 'https://example.com/"><script>window.__pwned=1</script>'  # an https link that tries to leave href
PAYLOAD_ITEM = "guidance.4.b"
PAYLOAD_NOTE = f"{SCRIPT} 备注 {JS_URL}"
PAYLOAD_OWNER = f"{IMG}王老师"
PAYLOAD_DEPARTMENT = f"{SCRIPT}招生就业处"
PAYLOAD_REASON = f"{IMG} 佐证不全"
PAYLOAD_FILE = f"{IMG}.pdf"  # a legal Linux file name, attached as file evidence
PAYLOAD_NA_ITEM, PAYLOAD_NA_REASON = "guidance.4.d", f"{SCRIPT}本校无此情况"

PAGES = ["index", "institution", "measure", "item"]
# Where each page shows a field the payload record set: the department on the summary (按责任部门) and the
# school's page; who changed it last on the measure's and the item's pages.
TYPED = {"index": PAYLOAD_DEPARTMENT, "institution": PAYLOAD_DEPARTMENT, "measure": PAYLOAD_OWNER,
         "item": PAYLOAD_OWNER}


@dataclass(frozen=True)
class Site:
    """The report folder the tests open."""

    index: Path

    def page_of(self, code: str) -> Path:
        return self.index.parent / "institutions" / f"{code}.html"

    @property
    def folder(self) -> Path:
        return self.index.parent

    def url(self, which: str) -> str:
        pages = {"index": self.index, "institution": self.page_of(SHANXI),
                 "measure": self.folder / "measures" / "guidance.4.html",
                 "item": self.folder / "items" / f"{PAYLOAD_ITEM}.html"}
        return pages[which].as_uri()


def _at(day: str) -> time_machine.travel:
    return time_machine.travel(datetime.fromisoformat(f"{day}T02:00:00").replace(tzinfo=UTC), tick=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """中北大学 finished most of its checklist in February (stale by June) and was accepted; 山西大学 worked through
    spring, submitted, had one item returned and wrote the payload record in June; 太原理工大学 finished one item;
    长治职业技术学院 recorded nothing. Then the 山西 summary report as of 2026-06-15."""
    from sqlmodel import Session, select

    from jobpolicy import clock
    from jobpolicy.services.database import init_database
    from jobpolicy.services.institutions import add_institution
    from jobpolicy.services.recording import RawChange, set_record
    from jobpolicy.services.reports import summary_report
    from jobpolicy.services.review import accept, return_item, submit
    from jobpolicy.services.scope import resolve_scope
    from jobpolicy.storage.db import make_engine
    from jobpolicy.storage.models import Evidence, Record

    folder = tmp_path_factory.mktemp("browser")
    engine = make_engine(f"sqlite:///{folder / 'report.db'}")
    north_items = ("supply.2.a", "supply.2.b", "supply.2.c", "guidance.4.a", "guidance.4.c", "support.15.a")
    with _at("2026-01-05"):
        init_database(engine)
        for code in CODES:
            add_institution(engine, code, start=date(2025, 1, 1))  # tracked since 2025: its reports count
    with _at("2026-02-10"):
        for item in north_items:
            set_record(engine, NORTH, item, RawChange(status="推进中", owner="李老师", department="教务处"), actor="李")
    with _at("2026-02-20"):
        for item in north_items:
            set_record(engine, NORTH, item, RawChange(status="已完成", evidence=(f"https://jy.nuc.edu.cn/{item}",)),
                       actor="李")
        set_record(engine, NORTH, "support.16.a", RawChange(status="已完成", value="450"), actor="李")
        submit(engine, NORTH, actor="李")
        accept(engine, NORTH, [], actor="省教育厅")
    with _at("2026-03-02"):
        set_record(engine, SHANXI, "supply.2.a",
                   RawChange(status="推进中", owner="王老师", department="招生就业处", progress="30"), actor="王")
        set_record(engine, SHANXI, "support.16.a",
                   RawChange(status="已完成", value="520", evidence=("https://jy.sxu.edu.cn/staff",)), actor="王")
    with _at("2026-04-10"):
        set_record(engine, SHANXI, "supply.2.a",
                   RawChange(status="已完成", progress="100", evidence=("https://jy.sxu.edu.cn/demand",)), actor="王")
        set_record(engine, SHANXI, "evaluation.14.a", RawChange(status="已完成"), actor="王", period="2025")
    with _at("2026-04-20"):
        submit(engine, SHANXI, actor="王")
    with _at("2026-05-20"):
        return_item(engine, SHANXI, "supply.2.a", PAYLOAD_REASON, actor="省教育厅")
        set_record(engine, TAIYUAN_TECH, "guidance.4.a", RawChange(status="已完成", owner="赵老师"), actor="赵")
    proof = folder / PAYLOAD_FILE
    proof.write_bytes(b"%PDF-1.4 proof\n")
    with _at("2026-06-01"):
        set_record(engine, SHANXI, PAYLOAD_ITEM, RawChange(status="推进中", owner="张老师", note="初稿"), actor="张")
    with _at("2026-06-08"):
        set_record(engine, SHANXI, PAYLOAD_ITEM,
                   RawChange(note=PAYLOAD_NOTE, owner=PAYLOAD_OWNER, department=PAYLOAD_DEPARTMENT,
                             evidence=(BROKEN_OUT, str(proof))), actor=PAYLOAD_OWNER)
        set_record(engine, SHANXI, PAYLOAD_NA_ITEM, RawChange(status="不适用", na_reason=PAYLOAD_NA_REASON), actor="张")
        # `record set` refuses javascript: evidence; a row written behind its back must still never become a link.
        with Session(engine) as session:
            record = session.exec(select(Record).where(Record.institution_code == SHANXI,
                                                       Record.item_id == PAYLOAD_ITEM)).one()
            session.add(Evidence(record_id=record.id, kind="url", ref=JS_URL, name=JS_URL, added_at=clock.now(),
                                 added_by="test"))
            session.commit()
    with _at(AS_OF.isoformat()):
        result = summary_report(engine, out_dir=folder / "report", scope=resolve_scope(province="山西"),
                                as_of=AS_OF)
    engine.dispose()
    assert result.pages == len(list(result.index.parent.rglob("*.html")))
    return Site(result.index)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes): width, height, RGB of each pixel."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    pixels, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 2:  # Up, the commonest filter, in one pass
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        for x in range(stride if kind in (1, 3, 4) else 0):  # undo the other row filters (Sub, Average, Paeth)
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        pixels.extend(bytes(line[x:x + 3]) for x in range(0, stride, channels))
        previous = line
    return width, height, pixels


@pytest.mark.parametrize("which", PAGES)
def test_page_loads_only_local_files_and_reports_no_errors(site, open_page, which):
    watched = open_page(site.url(which))
    page = watched.page

    # The page is all it needs (its stylesheet is inside it); the recorder sees file:// loads, so this is a list
    # of one, not an empty list that would prove nothing.
    assert watched.requests == [site.url(which)]
    assert watched.failed == []
    assert watched.errors == []
    assert watched.dialogs == []
    # The inline stylesheet applies: the header has its dark red rule.
    assert page.eval_on_selector("header.page", "h => getComputedStyle(h).borderBottomColor") == "rgb(142, 27, 27)"


@pytest.mark.parametrize("which", PAGES)
def test_screenshot_is_not_blank(site, open_page, which):
    page = open_page(site.url(which)).page

    width, height, pixels = png_pixels(page.screenshot(clip={"x": 0, "y": 0, "width": 800, "height": 500}))

    assert (width, height) == (800, 500)
    colours = Counter(pixels)
    (background, blank), = colours.most_common(1)
    assert background == b"\xff\xff\xff"
    assert len(pixels) - blank > 0.03 * len(pixels)  # text, rings and rules
    assert len(colours) > 50  # anti-aliased glyphs and coloured charts, not a flat fill


def test_summary_links_to_every_institution_and_back(site, open_page):
    page = open_page(site.index.as_uri()).page

    links = page.eval_on_selector_all("table.heatmap tbody a", "links => links.map(a => a.href)")
    assert sorted(links) == sorted(site.page_of(code).as_uri() for code in CODES)
    page.click(f'table.heatmap a[href="institutions/{SHANXI}.html"]')
    assert page.url == site.page_of(SHANXI).as_uri()
    assert "山西大学" in page.title()
    page.click("text=返回汇总")
    assert page.url == site.index.as_uri()


def heat_column(page, header: str) -> dict[str, float]:
    """Each school's sort value in the column headed ``header``, in the order the rows stand."""
    index = page.eval_on_selector_all(
        "table.heatmap thead th", "(cells, wanted) => cells.findIndex(th => th.textContent.trim() === wanted)", header)
    assert index >= 0, f"no {header} column"
    pairs = page.eval_on_selector_all(
        "table.heatmap tbody tr",
        "(rows, i) => rows.map(row => [row.querySelector('.small').textContent, row.cells[i].dataset.value])", index)
    return {code: float(value) for code, value in pairs}


def test_clicking_done_rate_header_sorts_ascending_then_descending(site, open_page):
    watched = open_page(site.index.as_uri())
    page = watched.page
    before = heat_column(page, "落实率")
    rates = list(before.values())
    assert len(set(rates)) == 4  # four different rates, so every order is checkable
    assert rates != sorted(rates) and rates != sorted(rates, reverse=True)

    page.click("table.heatmap thead th:text-is('落实率')")
    ascending = heat_column(page, "落实率")
    assert list(ascending.values()) == sorted(rates)
    assert list(ascending) == [CHANGZHI_VOCATIONAL, TAIYUAN_TECH, SHANXI, NORTH]
    assert ascending == before  # rows moved whole: every school keeps its own rate

    page.click("table.heatmap thead th:text-is('落实率')")
    descending = heat_column(page, "落实率")
    assert list(descending.values()) == sorted(rates, reverse=True)
    assert list(descending) == [NORTH, SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL]
    assert watched.errors == []


@pytest.mark.parametrize("which", PAGES)
def test_hostile_text_renders_as_text_and_runs_nothing(site, open_page, which):
    watched = open_page(site.url(which))
    page = watched.page

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watched.dialogs == [] and watched.errors == []
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator("[onerror], [onclick], [onload]").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("img").count() == 0  # the pages draw with inline SVG; any <img> came from data
    assert page.locator("script").count() == (0 if which == "institution" else 1)  # only the sort script
    assert page.locator("td", has_text=TYPED[which]).first.is_visible()  # shown as typed


def test_payload_record_shows_every_field_as_typed(site, open_page):
    page = open_page(site.url("institution")).page
    text = page.inner_text("main")

    for typed in (SCRIPT, PAYLOAD_NOTE, PAYLOAD_OWNER, PAYLOAD_DEPARTMENT, PAYLOAD_REASON, PAYLOAD_FILE, JS_URL,
                  PAYLOAD_NA_REASON):
        assert typed in text, typed
    cell = page.locator("td", has_text=PAYLOAD_NOTE).last
    assert cell.is_visible()
    assert cell.locator("script").count() == 0
    # The https link that tries to close its attribute keeps one whole href; the javascript: row is plain text.
    hrefs = page.eval_on_selector_all(".evidence a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs.count(BROKEN_OUT) == 1
    assert JS_URL not in hrefs
    javascript_row = page.locator(".evidence li", has_text=JS_URL)
    assert javascript_row.count() == 1
    assert javascript_row.locator("a").count() == 0


@pytest.mark.parametrize("which", PAGES)
def test_pages_are_complete_without_javascript(site, open_page, which):
    watched = open_page(site.url(which), javascript=False)
    page = watched.page

    if which == "index":
        headers = page.locator("table.heatmap thead th").count()
        assert headers >= 7
        assert page.locator("table.heatmap tbody tr").count() == len(CODES)
        for code in CODES:
            row = page.locator("table.heatmap tbody tr", has_text=code)
            assert row.is_visible()
            assert row.locator("td").count() == headers
    elif which == "institution":
        assert page.locator("h2", has_text="完整清单").is_visible()
        assert page.locator("td", has_text=PAYLOAD_NOTE).last.is_visible()
        assert page.locator("table.keep tbody tr").count() > 40  # the whole 本科 checklist
    else:  # a measure or an item: a row per school, a cell per header
        headers = page.locator("table.sortable thead th").count()
        assert page.locator("table.sortable tbody tr").count() == len(CODES)
        for code in CODES:
            assert page.locator("table.sortable tbody tr", has_text=code).locator("td").count() == headers
    assert watched.errors == []


@pytest.mark.parametrize("which", ["index", "institution"])
def test_prints_on_several_a4_pages_without_screen_only_parts(site, open_page, which):
    page = open_page(site.url(which)).page

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)

    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) > 1
    boxes = {tuple(float(n) for n in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)}
    assert len(boxes) == 1
    width, height = next(iter(boxes))[2:]
    if which == "index":  # the summary's heat map is wide: A4 landscape (Chromium rounds to whole pixels)
        width, height = height, width
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    page.emulate_media(media="print")
    if which == "institution":
        assert page.locator("a.no-print").count() == 1
        assert not page.locator("a.no-print").is_visible()  # 返回汇总 is no use on paper
    assert page.eval_on_selector("thead th", "th => getComputedStyle(th).position") == "static"


def column_values(page, header: str) -> list[tuple[str, str]]:
    """(code, sort value) of each row of the page's sortable table in the column headed ``header``, in order."""
    index = page.eval_on_selector_all(
        "table.sortable thead th", "(cells, wanted) => cells.findIndex(th => th.textContent.trim() === wanted)", header)
    assert index >= 0, f"no {header} column"
    return [tuple(pair) for pair in page.eval_on_selector_all(
        "table.sortable tbody tr",
        "(rows, i) => rows.map(row => [row.querySelector('.small').textContent, row.cells[i].dataset.value])", index)]


def test_an_item_page_opens_worst_first_and_sorts_by_status(site, open_page):
    watched = open_page(site.url("item"))
    page = watched.page
    before = column_values(page, "状态")
    ranks = [int(value) for _, value in before]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1  # worst first as written, without any click
    # Three schools never filled guidance.4.b in (by code), then 山西大学's, in progress.
    assert [code for code, _ in before] == [NORTH, TAIYUAN_TECH, CHANGZHI_VOCATIONAL, SHANXI]
    page.click("table.sortable thead th:text-is('状态')")
    page.click("table.sortable thead th:text-is('状态')")
    descending = column_values(page, "状态")
    assert [int(value) for _, value in descending] == sorted(ranks, reverse=True)
    assert sorted(descending) == sorted(before)  # rows moved whole
    assert watched.errors == []


def test_the_summary_leads_to_each_measure_its_items_and_back(site, open_page):
    page = open_page(site.index.as_uri()).page

    page.click("#measures ~ div.scroll a[href='measures/guidance.4.html']")
    assert page.url == (site.folder / "measures" / "guidance.4.html").as_uri()
    assert page.locator("h1").inner_text() == "（四）强化生涯教育与就业指导"
    page.click(f"a[href='../items/{PAYLOAD_ITEM}.html']")
    assert page.url == site.url("item")
    page.click("text=返回汇总")
    assert page.url == site.index.as_uri()
    page.goto(site.url("institution"))
    page.click("table.checklist th a[href='../measures/guidance.4.html']")
    assert page.url == site.url("measure")
