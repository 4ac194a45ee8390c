"""The one place that reads the wall clock; services take ``as_of`` explicitly and default to this."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

# Every office works in China Standard Time: UTC+8, no daylight saving.
CHINA = timezone(timedelta(hours=8))


def now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in China Standard Time, where every office works."""
    return datetime.now(CHINA).date()
