"""What commands get from the root callback: the database URL (engine made on first use); who is acting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from jobpolicy.cli._output import say
from jobpolicy.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from jobpolicy.services.identity import Identity


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

    def close(self) -> None:
        """Close the database connections the command opened (SQLite folds its WAL file back into the database
        as the last one closes), so that nothing is left for the interpreter's exit to tidy up (see ``main``)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def engine(ctx: Any) -> Engine:
    """The engine of the running command."""
    return ctx.find_root().obj.engine()


def author(by: str | None) -> Identity:
    """Who a write is recorded under (``--by``, JOBPOLICY_USER, the saved name, else the OS login); see
    ``services.identity.acting_user``, the one rule."""
    from jobpolicy.services.identity import acting_user

    return acting_user(by)


def show_author(identity: Identity, role: str | None, *, json_: bool = False) -> None:
    """Say who the write was recorded under (``修改人：张老师``), and how to set a name when the OS login stood in.

    ``role`` None: the command's own output already names the person. In --json mode stdout holds only the
    document (whose events name the actor); the warning still goes to stderr.
    """
    from jobpolicy.render.identity_views import author_line, login_warning_lines

    if role is not None and not json_:
        say(author_line(identity, role))
    for line in login_warning_lines(identity):
        say(line, err=True)


def parse_date_option(text: str | None, option: str) -> date | None:
    """A date option (``--as-of``) or argument (named in words) as offices write it; a bad one is invalid input
    (exit 3), explained in one line; so is a date outside ``limits.EARLIEST``..``limits.LATEST``."""
    if text is None:
        return None
    from jobpolicy.domain.limits import require_date
    from jobpolicy.domain.values import DATE_EXAMPLES, date_problem, parse_user_date

    value = parse_user_date(text)
    what = f"{option} 的日期" if option.startswith("--") else option
    if value is None:
        raise InvalidInput(f"{what}“{text}”{date_problem(text)}", hint=f"可写作 {DATE_EXAMPLES}")
    return require_date(value, what)
