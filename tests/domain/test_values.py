"""Values as offices type them: dates in three spellings, numbers, links; and the event log's text form."""

from datetime import date

import pytest

from jobpolicy.domain.values import (
    decode,
    encode,
    excel_serial_to_date,
    is_web_url,
    parse_number,
    parse_user_date,
)


@pytest.mark.parametrize(
    "text",
    ["2025-06-30", "2025/6/30", "2025/06/30", "2025.6.30", "2025年6月30日", "2025年6月30", " 2025-6-30 ",
     "２０２５年６月３０日"],
)
def test_accepted_date_spellings(text):
    assert parse_user_date(text) == date(2025, 6, 30)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13-01", "30/6/2025", "6月30日", "明天", "", "2025-06-30x"])
def test_rejected_dates(text):
    assert parse_user_date(text) is None


@pytest.mark.parametrize(("serial", "expected"), [(45838, date(2025, 6, 30)), (61, date(1900, 3, 1)), (60, None)])
def test_excel_serials(serial, expected):
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize(("text", "number"), [("480", 480.0), ("1.5", 1.5), ("1,200", 1200.0), ("９８%", 98.0),
                                              (" -3 ", -3.0)])
def test_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1:500", "", "nan", "inf", "五百"])
def test_not_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [("https://jy.sxu.edu.cn/a?b=1", True), ("http://x.cn", True), ("HTTPS://X.CN", True),
     ("javascript:alert(1)", False), ("ftp://x.cn", False), ("file:///etc/passwd", False), ("https://", False),
     ("https://x.cn/a b", False)],
)
def test_only_http_links_are_web_urls(text, ok):
    assert is_web_url(text) is ok


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "done"), ("progress", 80), ("value", 480.0), ("value", 0.125), ("due", date(2025, 6, 30)),
     ("reassess", True), ("note", "含，逗号；和换行\n")],
)
def test_event_text_round_trips(field, value):
    assert decode(field, encode(value)) == value


def test_whole_floats_are_written_without_a_fraction():
    assert (encode(480.0), encode(None)) == ("480", None)
