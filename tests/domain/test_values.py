"""Values as offices type them: dates as people and spreadsheets write them, numbers, links; and the event log's text
form."""

from datetime import date, datetime

import pytest

from jobpolicy.domain.status import Status, parse_status
from jobpolicy.domain.values import (
    cell_date,
    date_problem,
    decode,
    encode,
    excel_serial_to_date,
    is_web_url,
    parse_number,
    parse_user_date,
    without_spaces,
)


@pytest.mark.parametrize(
    "text",
    ["2025-06-30", "2025/6/30", "2025/06/30", "2025.6.30", "2025年6月30日", "2025年6月30", " 2025-6-30 ",
     "２０２５年６月３０日", "２０２５／６／３０", "2025 年 6 月 30 日", "2025年6月30号", "20250630",
     "25年6月30日",  # LibreOffice's zh-CN default date format YY"年"M"月"D"日"
     "2025年6月30日　星期一", "25年6月30日 星期一", "2025/6/30 周一", "2025年6月30日（星期一）",  # with the weekday
     "2025/6/30 0:00", "2025-06-30 00:00:00", "2025-06-30T00:00:00"],  # a date-time cell saved as CSV text
)
def test_accepted_date_spellings(text):
    assert parse_user_date(text) == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2025-02-30", "无效：没有这一天"),
        ("2025-13-01", "无效：没有这一天"),
        ("6/30/2025", "无效：分不清月和日，请把四位年份写在前面"),  # 1/2/2025 could be either
        ("30.6.2025", "无效：分不清月和日，请把四位年份写在前面"),
        ("25/6/30", "无效：分不清哪一段是年份，请写四位年份"),  # 2025-06-30 or 2030-06-25?
        ("25-06-30", "无效：分不清哪一段是年份，请写四位年份"),
        ("6月30日", "无效：缺少年份"),
        ("6/30", "无效：缺少年份"),
        ("2025年6月30日 星期二", "无效：2025-06-30 是星期一"),
        ("明天", "无效"),
        ("", "无效"),
        ("2025-06-30x", "无效"),
        ("2025年6月", "无效"),
    ],
)
def test_refused_dates_say_why(text, problem):
    assert (parse_user_date(text), date_problem(text)) == (None, problem)


@pytest.mark.parametrize(("serial", "expected"), [(45838, date(2025, 6, 30)), (61, date(1900, 3, 1)), (60, None)])
def test_excel_serials(serial, expected):
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2025, 6, 30), date(2025, 6, 30)),  # a real date cell
        (date(2025, 6, 30), date(2025, 6, 30)),
        (45838, date(2025, 6, 30)),  # a date cell whose built-in Chinese format openpyxl does not know
        (45838.0, date(2025, 6, 30)),
        ("45838", date(2025, 6, 30)),  # its digits, in a CSV
        ("25年6月30日", date(2025, 6, 30)),  # a text cell
        (2025, None),  # a year typed by mistake is 1905-07-17 as a serial: refused
        (630, None),
        ("2025", None),
        (True, None),
        (None, None),
    ],
)
def test_dates_in_cells(cell, expected):
    assert cell_date(cell) == expected


@pytest.mark.parametrize(("text", "number"), [("480", 480.0), ("1.5", 1.5), ("1,200", 1200.0), ("-1,234,567.5", -1234567.5), ("９８%", 98.0),
                                              (" -3 ", -3.0)])
def test_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["abc", "1:500", "", "nan", "inf", "五百", "1,2,3", "12,00", ",100"])
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


@pytest.mark.parametrize(
    ("text", "status"),
    [("已完成", Status.DONE), (" 已完成 ", Status.DONE), ("已 完成", Status.DONE), ("已完成\u3000", Status.DONE),
     ("\u00a0已完成", Status.DONE), ("已\u200b完成", Status.DONE), ("推进中\n", Status.IN_PROGRESS),
     ("ｄｏｎｅ", Status.DONE), (" Not_Started ", Status.NOT_STARTED), ("完成了", None), ("已", None)],
)
def test_a_status_is_read_through_stray_spaces_of_any_width(text, status):
    assert parse_status(text) is status


def test_without_spaces_removes_every_kind_of_space():
    assert without_spaces(" 已\u3000完\u00a0成\u200b\ufeff\t") == "已完成"


def test_only_a_two_digit_year_is_this_centurys():
    """26年 is 2026 (LibreOffice's Chinese date format), but 0001 is year 1 (refused later by the date range)."""
    assert parse_user_date("26年12月31日") == date(2026, 12, 31)
    assert parse_user_date("0001-01-01") == date(1, 1, 1)
    assert parse_user_date("0026-12-31") == date(26, 12, 31)
