"""The summary's rows per school, written as HTML in Python: every value printed as jinja's autoescape and
``finalize`` would print it (escaped, control and direction characters shown), and the cells as the page reads them."""

import pytest
from bs4 import BeautifulSoup

from jobpolicy.domain.scoring import Completion
from jobpolicy.render.environment import environment
from jobpolicy.render.school_rows import NO_HEAT_CELL, change_row, heat_cell, heat_row, unreported_row

from .conftest import XSS

RLO = "\u202e"
TRICKY = [XSS, "A&B \"quoted\" 'single'", f"山西{RLO}cod.pdf", "核对\x1b[8m隐藏", "两行\n第二行", "制表\t符", "普通高校"]


def jinja_printed(value: str) -> str:
    """What the report environment prints for ``{{ value }}``."""
    return environment().from_string("{{ value }}").render(value=value)


def school(name: str) -> dict:
    return dict(name=name, href="institutions/1.html", code=name, level=name)


@pytest.mark.parametrize("value", TRICKY)
def test_every_text_is_printed_as_jinja_prints_it(value):
    row = unreported_row(**school(value), drafts=2, reported=value, last_update=value)
    assert row.count(jinja_printed(value)) == 9  # name, level, 填报率 and last update twice each (sort key, text), code
    assert "<script" not in row and RLO not in row and "\x1b" not in row
    assert len(BeautifulSoup(row, "html.parser").find_all("td")) == 5


def test_a_hostile_name_stays_text_in_every_row():
    total = Completion(applicable=4, reported=2, weight=4.0, done_weight=1.5, overdue_current=1)
    rows = [heat_row(**school(XSS), province=XSS, submission="未报送", submission_css="sub-none",
                     submission_sort="0", cells=NO_HEAT_CELL, total=total, last_update="从未",
                     last_update_sort="0000-00-00"),
            change_row(**school(XSS), submission="未报送", submission_css="sub-none",
                       figures=("—（0/0）",) * 4, delta="—", delta_sort="-1000", counts=(0, 0, 0)),
            unreported_row(**school(XSS), drafts=0, reported="—（0/0）", last_update="从未")]
    for row in rows:
        soup = BeautifulSoup(row, "html.parser")
        assert soup.find("script") is None and soup.find("img") is None
        assert soup.td["data-value"] == XSS and soup.td.a.get_text() == XSS


def test_a_heat_cell_shows_the_rate_its_band_and_what_it_is_out_of():
    cell = BeautifulSoup(heat_cell(1.5, 4.0), "html.parser").td
    assert cell["class"] == ["heat", "heat-1"] and cell["data-value"] == "37.5000"
    assert cell.get_text(" ") == "37.5% 1.5/4"
    nothing = BeautifulSoup(heat_cell(0, 0.0), "html.parser").td
    assert nothing["class"] == ["heat", "heat-na"] and nothing["data-value"] == "-1"
    assert nothing.get_text(" ") == "— 0/0"
    absent = BeautifulSoup(NO_HEAT_CELL, "html.parser").td
    assert absent["class"] == ["heat", "heat-na"] and absent.get_text() == "—"  # no line of the system at all


def test_a_heat_row_marks_overdue_counts_and_sorts_never_first():
    total = Completion(applicable=4, reported=2, weight=4.0, done_weight=1.5, overdue_current=1, done_late=2)
    row = BeautifulSoup(heat_row(**school("山西大学"), province="山西省", submission="未报送", submission_css="sub-none",
                                 submission_sort="0", cells=heat_cell(1.5, 4.0), total=total, last_update="从未",
                                 last_update_sort="0000-00-00"), "html.parser")
    cells = row.find_all("td")
    assert [c.get_text(" ") for c in cells[4:]] == ["37.5% 1.5/4", "50.0% 2/4", "37.5% 1.5/4", "— 0/0", "1", "0",
                                                   "2", "从未"]
    assert "overdue" in cells[8]["class"] and "overdue" not in cells[9]["class"]
    assert cells[-1]["data-value"] == "0000-00-00"
