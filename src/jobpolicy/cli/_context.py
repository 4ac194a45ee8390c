"""What commands get from the root callback: the database URL (engine made on first use) and the actor."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from jobpolicy.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass
class AppState:
    """Global options, kept on ``ctx.obj``."""

    db: str | None
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        """The engine for ``--db`` / ``JOBPOLICY_DB`` (SQLAlchemy is imported only now)."""
        if self._engine is None:
            from jobpolicy.storage.db import make_engine, resolve_url

            self._engine = make_engine(resolve_url(self.db))
        return self._engine


def engine(ctx: Any) -> Engine:
    """The engine of the running command."""
    return ctx.find_root().obj.engine()


def actor(by: str | None) -> str:
    """Who is acting: ``--by``, else JOBPOLICY_USER, else the operating-system user."""
    for candidate in (by, os.environ.get("JOBPOLICY_USER")):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def parse_date_option(text: str | None, option: str) -> date | None:
    """A date option (``--as-of``) or argument (named in words) as offices write it; a bad one is invalid input
    (exit 3), explained in one line."""
    if text is None:
        return None
    from jobpolicy.domain.values import DATE_EXAMPLES, date_problem, parse_user_date

    value = parse_user_date(text)
    if value is None:
        what = f"{option} 的日期" if option.startswith("--") else option
        raise InvalidInput(f"{what}“{text}”{date_problem(text)}", hint=f"可写作 {DATE_EXAMPLES}")
    return value
