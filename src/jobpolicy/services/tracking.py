"""When tracking starts: the database's start, each institution's, and changing them.

Occurrences whose policy deadline falls before an institution's effective start (the later of its own start and
the database's) are 启用前: not overdue, not counted in any rate, still open to recording (``domain.standing``).
An institution starts on the day it is added unless a start is given; the database has no start unless one is set.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy.domain.standing import effective_start
from jobpolicy.services._uow import reading, writing
from jobpolicy.services.lookup import get_institution
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution

START_KEY = "tracking_start"  # the setting that holds the database-wide start, as an ISO date


def tracking_start(session: Session) -> date | None:
    """The database-wide start, or None when none is set."""
    value = repo.get_setting(session=session, key=START_KEY)
    return date.fromisoformat(value) if value else None


def institution_start(session: Session, institution: Institution) -> date:
    """The day tracking starts for ``institution``: the later of its own start and the database's."""
    return effective_start(institution.tracking_start, tracking_start(session))


def set_database_start(engine: Engine, day: date) -> date | None:
    """Set the database-wide start (writing nothing else); return the one it replaces."""
    with writing(engine) as session:
        before = tracking_start(session)
        repo.put_setting(session=session, key=START_KEY, value=day.isoformat())
    return before


def set_institution_start(engine: Engine, code: str, day: date) -> tuple[Institution, date]:
    """Set one institution's own start (writing nothing else); return it and the start it replaces.

    Raises:
        NotFound: the institution is not added.
    """
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        before = institution.tracking_start
        institution.tracking_start = day
        repo.add(session=session, rows=[institution])
    return institution, before


def database_start(engine: Engine) -> date | None:
    """The database-wide start, or None (for ``db info``)."""
    with reading(engine) as session:
        return tracking_start(session)
