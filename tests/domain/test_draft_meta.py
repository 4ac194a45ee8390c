"""The title, issuer, date and notes a draft takes from a policy text's unnumbered lines."""

from datetime import date

import pytest

from jobpolicy.domain.draft_meta import date_of_line, read_meta
from jobpolicy.domain.source_text import parse_source


@pytest.mark.parametrize(
    ("line", "day"),
    [("（2024年11月3日）", date(2024, 11, 3)), ("2025年4月8日", date(2025, 4, 8)), (" 2025 年 12 月 31 日 ", date(2025, 12, 31)),
     ("二〇二五年四月八日", date(2025, 4, 8)), ("二○一○年四月三十日", date(2010, 4, 30)), ("二〇二四年十二月二十一日", date(2024, 12, 21)),
     ("(2024年1月1日)", date(2024, 1, 1))],
)
def test_a_line_that_is_a_date(line, day):
    assert date_of_line(line) == day


@pytest.mark.parametrize("line", ["2025年2月30日", "经过2025年4月8日的会议", "（新华社北京4月8日电）", "1800年1月1日",
                                  "二〇二五年十三月一日", ""])
def test_lines_that_are_no_date(line):
    assert date_of_line(line) is None


def test_meta_from_a_text_without_source_line_issuer_or_date():
    meta = read_meta(parse_source("说明\n一、任务\n（一）做事。要做。\n"))
    assert (meta.title, meta.issuer, meta.issued, meta.source, meta.notes) == ("说明", None, None, None, ())


def test_a_date_inside_a_measure_is_its_wording_not_the_documents_date():
    meta = read_meta(parse_source("某通知\n一、任务\n（一）报送。\n2025年12月31日\n（二）汇总。\n"))
    assert meta.issued is None


def test_a_closing_signature_and_date_after_a_note_are_notes_and_the_date():
    meta = read_meta(parse_source("某厅关于做好工作的通知\n一、任务\n（一）报送。\n（此件公开发布）\n某厅\n2025年3月1日\n"))
    assert (meta.issuer, meta.issued) == ("某厅", date(2025, 3, 1))
    assert meta.notes == (("正文后", "（此件公开发布）"), ("正文后", "某厅"))


def test_a_document_number_line_is_not_the_title():
    meta = read_meta(parse_source("晋教学〔2025〕1号\n山西省教育厅关于做好就业工作的通知\n一、任务\n（一）报送。\n"))
    assert (meta.title, meta.issuer) == ("山西省教育厅关于做好就业工作的通知", "山西省教育厅")
    assert meta.notes == (("正文前", "晋教学〔2025〕1号"),)


def test_a_signature_and_date_at_the_end_are_notes_and_the_date_even_without_a_note_line():
    meta = read_meta(parse_source("某厅关于做好工作的通知\n一、任务\n（一）报送。按时报送。\n某厅\n2025年3月1日\n"))
    assert meta.issued == date(2025, 3, 1)
    assert meta.notes == (("正文后", "某厅"),)
