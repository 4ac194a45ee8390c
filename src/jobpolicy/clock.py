"""The one place that reads the wall clock; services take ``as_of`` explicitly and default to this."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in China Standard Time, where every office works (UTC+8, no DST)."""
    from datetime import timedelta, timezone

    return datetime.now(timezone(timedelta(hours=8))).date()
