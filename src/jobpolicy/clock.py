"""The one place that reads the wall clock; services take ``as_of`` explicitly and default to this."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone

# Every office works in China Standard Time: UTC+8, no daylight saving.
CHINA = timezone(timedelta(hours=8))
# How far a writer's clock may lag the newest stored change. Two PCs sharing a file differ by seconds, and what
# reads times (diff --since, 本期变化) works in days; a clock behind by more would file changes out of order.
TOLERANCE = timedelta(minutes=5)
# Set to "off" when the newest stored change is the wrong one (made on a PC whose clock ran ahead), and in tests,
# which travel back in time on purpose.
CHECK_ENV = "JOBPOLICY_CLOCK_CHECK"


def now() -> datetime:
    """Return the current time, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in China Standard Time, where every office works."""
    return datetime.now(CHINA).date()


def lag(newest: datetime | None, at: datetime) -> timedelta | None:
    """How far ``at`` is behind ``newest`` (the latest stored change), when that is more than ``TOLERANCE`` and
    the check is not turned off (``JOBPOLICY_CLOCK_CHECK=off``)."""
    if newest is None or newest - at <= TOLERANCE or os.environ.get(CHECK_ENV, "").strip().lower() == "off":
        return None
    return newest - at
