"""iCalendar text: RFC 5545 escaping, folding at 75 octets without splitting a character, CRLF, and a calendar
that the ``icalendar`` package reads back."""

from datetime import UTC, date, datetime, timedelta, timezone

import icalendar
import pytest

from jobpolicy.domain.catalog import Actor, Cadence, Item
from jobpolicy.render.ics import IcsEvent, calendar, deadline_event, escape_text, fold

STAMP = datetime(2025, 11, 1, 2, 30, tzinfo=UTC)
LONG_TITLE = "由校领导牵头完成就业服务机构、人员、场地、经费“四到位”年度自评并按时报送"  # 37 characters, 111 octets


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain 中文", "plain 中文"),
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),  # one line break, not two
        ("a\rb", "a\\nb"),
        ("\\,", "\\\\\\,"),  # the backslash is escaped first, so the comma's escape is not doubled
        ("就业指导中心，招生处；教务处", "就业指导中心，招生处；教务处"),  # full-width punctuation is not special
        ("a:b\"c", "a:b\"c"),  # colon and double quote need no escape in a TEXT value
    ],
)
def test_escape_text(text, escaped):
    assert escape_text(text) == escaped


def octets(line: str) -> int:
    return len(line.encode("utf-8"))


@pytest.mark.parametrize(
    ("line", "widths"),
    [
        ("", [0]),
        ("a" * 75, [75]),
        ("a" * 76, [75, 2]),  # continuation: one space + one character
        ("a" * 75 + "b" * 74, [75, 75]),
        ("a" * 75 + "b" * 75, [75, 75, 2]),
        ("中" * 25, [75]),  # exactly 75 octets
        ("中" * 26, [75, 4]),
        ("a" + "中" * 25, [73, 4]),  # the 25th character would straddle octet 75, so it moves down whole
        ("ab" + "中" * 25, [74, 4]),
        ("😀" * 19, [72, 5]),  # four-octet characters
        ("SUMMARY:" + LONG_TITLE, [74, 46]),
    ],
)
def test_fold_at_75_octets_without_splitting_a_character(line, widths):
    parts = fold(line)
    assert [octets(p) for p in parts] == widths
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def event(**overrides) -> IcsEvent:
    fields = {"uid": "4114010108-support.15.b@jobpolicy", "summary": "山西大学：" + LONG_TITLE,
              "description": "佐证材料：自评报告；名单", "start": date(2025, 10, 10)}
    return IcsEvent(**{**fields, **overrides})


def test_calendar_lines_end_in_crlf_and_stay_within_75_octets():
    text = calendar([event(), event(uid="x@jobpolicy", rrule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=10")],
                    name="高质量就业服务体系意见 落实时限（山西大学）", stamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(octets(line) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # the long Chinese summary was folded
    assert lines[:7] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//jobpolicy//deadlines//ZH", "CALSCALE:GREGORIAN",
                         "METHOD:PUBLISH", "X-WR-CALNAME:高质量就业服务体系意见 落实时限（山西大学", " ）"]


def test_calendar_reads_back_with_icalendar():
    tricky = "山西大学：报送, 审核; 归档\n第二行 \\ 反斜杠" + "长" * 40
    text = calendar([event(summary=tricky, rrule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=10"), event(uid="once@x")],
                    name="日历, 名称; 测试", stamp=STAMP)
    parsed = icalendar.Calendar.from_ical(text)
    # An X- property is TEXT by default (RFC 5545 §3.8.8.2); icalendar hands it back still escaped.
    assert parsed["X-WR-CALNAME"].to_ical().decode() == "日历\\, 名称\\; 测试"
    recurring, once = parsed.walk("VEVENT")
    assert str(recurring["SUMMARY"]) == tricky
    assert recurring["DTSTAMP"].dt == STAMP
    assert recurring["DTSTART"].dt == date(2025, 10, 10)
    assert recurring["DTEND"].dt == date(2025, 10, 11)
    assert recurring["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYMONTHDAY": [10]}
    assert "RRULE" not in once
    alarm = recurring.walk("VALARM")[0]
    assert (str(alarm["ACTION"]), alarm["TRIGGER"].dt) == ("DISPLAY", -timedelta(days=7))


def test_dtstamp_is_utc_whatever_zone_it_is_given_in():
    beijing = STAMP.astimezone(timezone(timedelta(hours=8)))
    assert "DTSTAMP:20251101T023000Z\r\n" in calendar([event()], name="n", stamp=beijing)
    with pytest.raises(ValueError):
        calendar([event()], name="n", stamp=datetime(2025, 11, 1))


def test_deadline_event_of_a_recurring_and_a_one_off_item():
    cadence = Cadence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31", date(2025, 1, 1))
    report = Item(id="evaluation.14.a", actor=Actor.UNIVERSITY, title="发布就业质量年度报告",
                  evidence=("年度报告全文", "发布网页链接"), cadence=cadence)
    recurring = deadline_event(code="4114010108", institution="山西大学", item=report, start=date(2025, 12, 31))
    assert (recurring.uid, recurring.summary, recurring.rrule) == (
        "4114010108-evaluation.14.a@jobpolicy", "山西大学：发布就业质量年度报告", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")
    assert recurring.description.splitlines() == [
        "检查项 evaluation.14.a：发布就业质量年度报告", "学校：山西大学（4114010108）",
        "周期：每年 12月31日前，自 2025-01-01 起", "佐证材料：年度报告全文；发布网页链接"]
    staffing = Item(id="support.16.a", actor=Actor.UNIVERSITY, title="配备专职就业工作人员")
    once = deadline_event(code="4114010108", institution="山西大学", item=staffing, start=date(2025, 6, 30))
    assert once.rrule is None
    assert once.description == "检查项 support.16.a：配备专职就业工作人员\n学校：山西大学（4114010108）"
