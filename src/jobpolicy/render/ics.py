"""iCalendar (RFC 5545) text for deadlines, written by hand: escaping, 75-octet folding, CRLF lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from jobpolicy.domain.catalog import Item
from jobpolicy.domain.periods import describe

PRODID = "-//jobpolicy//deadlines//ZH"  # ASCII: some importers choke on anything else here
LINE_OCTETS = 75  # RFC 5545 §3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break"
ALARM_DAYS = 7


@dataclass(frozen=True, slots=True)
class IcsEvent:
    """One all-day VEVENT; ``rrule`` makes it recur from ``start`` (which must itself be an occurrence)."""

    uid: str
    summary: str
    description: str
    start: date
    rrule: str | None = None
    alarm_days: int | None = ALARM_DAYS


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, and any line break as ``\\n``."""
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> list[str]:
    """Split a content line into physical lines of at most 75 octets, never inside a UTF-8 character.

    Continuation lines start with one space, which counts towards their 75 octets (§3.1).
    """
    data = line.encode("utf-8")
    parts: list[bytes] = []
    start, limit = 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: the cut would split a character, so move back
            end -= 1
        parts.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1
    parts.append(data[start:])
    return [parts[0].decode("utf-8"), *(" " + part.decode("utf-8") for part in parts[1:])]


def _date(day: date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given for DTSTAMP; pass an aware UTC moment")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: IcsEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(event.start)}",
        # An all-day event lasts one day; DTEND is optional then, but some calendar applications want it.
        f"DTEND;VALUE=DATE:{_date(event.start + timedelta(days=1))}",
    ]
    if event.rrule:
        lines.append(f"RRULE:{event.rrule.strip().removeprefix('RRULE:')}")
    lines += [f"SUMMARY:{escape_text(event.summary)}", f"DESCRIPTION:{escape_text(event.description)}",
              "TRANSP:TRANSPARENT"]
    if event.alarm_days:
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:-P{event.alarm_days}D",
                  f"DESCRIPTION:{escape_text(f'{event.alarm_days} 天后到期：{event.summary}')}", "END:VALARM"]
    return [*lines, "END:VEVENT"]


def calendar(events: Iterable[IcsEvent], *, name: str, stamp: datetime) -> str:
    """A whole VCALENDAR as text with CRLF line endings; ``stamp`` (UTC) is every event's DTSTAMP.

    METHOD:PUBLISH makes DTSTAMP the time the file was made, so an injected stamp keeps output deterministic.
    """
    stamped = _stamp(stamp)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for event in events:
        lines += _event_lines(event, stamped)
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))


def is_own_calendar(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a calendar ``calendar`` wrote (so writing again may replace it)."""
    return head.startswith(b"BEGIN:VCALENDAR\r\n") and f"\r\nPRODID:{PRODID}\r\n".encode() in head[:512]


def deadline_event(*, code: str, institution: str, item: Item, start: date) -> IcsEvent:
    """The calendar event of one item of one institution: recurring items carry their RRULE."""
    details = [f"检查项 {item.id}：{item.title}", f"学校：{institution}（{code}）"]
    if item.cadence is not None:
        details.append(f"周期：{describe(item.cadence)}")
    if item.evidence:
        details.append("佐证材料：" + "；".join(item.evidence))
    return IcsEvent(uid=f"{code}-{item.id}@jobpolicy", summary=f"{institution}：{item.title}",
                    description="\n".join(details), start=start,
                    rrule=item.cadence.rrule if item.cadence is not None else None)
