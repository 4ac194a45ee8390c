"""Queries and writes, keyword-only, session passed in. They add and flush; they never commit.

The service that calls them owns the transaction, so a multi-step change is atomic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import ClassVar, TypeVar

from sqlalchemy import ColumnElement, Insert, Row, Table, Update, and_, bindparam, func, insert, or_, update
from sqlalchemy.orm.attributes import manager_of_class
from sqlmodel import Session, select

from jobpolicy.storage.models import (
    CatalogItem,
    Event,
    Evidence,
    ImportBatch,
    Institution,
    PolicyMapping,
    PolicyVersion,
    Record,
    Setting,
)

T = TypeVar("T")
CHUNK = 500  # ids per IN (...): far below SQLite's and PostgreSQL's bound-parameter limits


def _chunks(values: Iterable) -> Iterable[list]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def get_institution(*, session: Session, code: str, lock: bool = False) -> Institution | None:
    """The institution with this code; ``lock`` takes a row lock (SELECT … FOR UPDATE; SQLite ignores it)."""
    if lock:  # what ``session.get`` would run, built once: every write (an import's every file) starts with it
        return session.exec(_LOCKED_INSTITUTION, params={"code": code}).first()
    return session.get(Institution, code)


_LOCKED_INSTITUTION = select(Institution).where(Institution.code == bindparam("code")).with_for_update()


def lock_institutions(*, session: Session) -> None:
    """Lock every institution row until the transaction ends (SELECT … FOR UPDATE; SQLite ignores it)."""
    session.exec(select(Institution.code).with_for_update()).all()


def list_institutions(*, session: Session, where: ColumnElement | None = None) -> list[Institution]:
    """Institutions (those meeting ``where``, a condition on ``institution``, when given), by province then code."""
    query = select(Institution).order_by(Institution.province, Institution.code)
    if where is not None:
        query = query.where(where)
    return list(session.exec(query))


def existing_codes(*, session: Session, codes: Iterable[str]) -> set[str]:
    """Which of these codes are already stored."""
    found: set[str] = set()
    for chunk in _chunks(codes):
        found.update(session.exec(select(Institution.code).where(Institution.code.in_(chunk))))
    return found


def current_versions(*, session: Session) -> list[PolicyVersion]:
    """The current version of every loaded policy."""
    query = select(PolicyVersion).where(PolicyVersion.is_current).order_by(PolicyVersion.policy_id)
    return list(session.exec(query))


def current_version_ids(*, session: Session) -> dict[str, int]:
    """The id of every loaded policy's current version, by policy id (its catalog text left unread)."""
    return dict(session.connection().execute(_CURRENT_VERSION_IDS).all())


_CURRENT_VERSION_IDS = select(PolicyVersion.policy_id, PolicyVersion.id).where(PolicyVersion.is_current)


def get_policy_version(*, session: Session, policy_id: str, version: str) -> PolicyVersion | None:
    """One loaded version."""
    query = select(PolicyVersion).where(PolicyVersion.policy_id == policy_id, PolicyVersion.version == version)
    return session.exec(query).first()


def all_versions(*, session: Session) -> list[PolicyVersion]:
    """Every loaded version of every policy, by policy and load order."""
    return list(session.exec(select(PolicyVersion).order_by(PolicyVersion.policy_id, PolicyVersion.id)))


def get_mapping(*, session: Session, source: tuple[str, str], target: tuple[str, str]) -> PolicyMapping | None:
    """The stored mapping from one policy version (id, version) to another."""
    query = select(PolicyMapping).where(
        PolicyMapping.from_policy_id == source[0], PolicyMapping.from_version == source[1],
        PolicyMapping.to_policy_id == target[0], PolicyMapping.to_version == target[1])
    return session.exec(query).first()


def mappings_of(*, session: Session, policy_id: str) -> list[PolicyMapping]:
    """Every stored mapping from or to a policy (any versions), in load order."""
    query = select(PolicyMapping).where(
        or_(PolicyMapping.from_policy_id == policy_id, PolicyMapping.to_policy_id == policy_id))
    return list(session.exec(query.order_by(PolicyMapping.id)))


def get_record(*, session: Session, institution_code: str, policy_id: str, item_id: str, period: str) -> Record | None:
    """The record of one item for one institution in one period."""
    query = select(Record).where(
        Record.institution_code == institution_code, Record.policy_id == policy_id,
        Record.item_id == item_id, Record.period == period,
    )
    return session.exec(query).first()


def records_of(*, session: Session, institution_code: str, policy_id: str | None = None,
               item_id: str | None = None) -> list[Record]:
    """An institution's records, optionally of one policy or item, by item and period."""
    query = select(Record).where(Record.institution_code == institution_code)
    if policy_id:
        query = query.where(Record.policy_id == policy_id)
    if item_id:
        query = query.where(Record.item_id == item_id)
    return list(session.exec(query.order_by(Record.item_id, Record.period)))


def records_of_policy(*, session: Session, policy_id: str) -> list[Record]:
    """Every record of a policy, for moving them to a new catalog version."""
    return list(session.exec(select(Record).where(Record.policy_id == policy_id).order_by(Record.id)))


def add(*, session: Session, rows: Iterable[object]) -> None:
    """Stage new or changed rows and flush, so generated ids are available."""
    session.add_all(list(rows))
    session.flush()


def insert_one(*, session: Session, model: type, row: dict) -> int:
    """Insert one row of ``model``'s table with Core; its generated id."""
    return session.connection().execute(_insert_returning_id(model.__table__), row).scalar_one()


def update_rows(*, session: Session, model: type, rows: list[dict]) -> None:
    """Update many rows of ``model``'s table by id with Core ``executemany``, in chunks; every row sets the same
    columns (its keys besides ``id``)."""
    if not rows:
        return
    statement = _update_by_id(model.__table__)
    for chunk in _chunks(rows):
        session.connection().execute(statement, [{**{k: v for k, v in row.items() if k != "id"},
                                                  "row_id": row["id"]} for row in chunk])


# Built once a table: an import runs them for every file, and building one costs as much as running it.
@cache
def _insert_returning_id(table: Table) -> Insert:
    return insert(table).returning(table.c.id)


@cache
def _update_by_id(table: Table) -> Update:
    return update(table).where(table.c.id == bindparam("row_id"))


def new_row(model: type[T], values: dict) -> T:
    """A new row object of ``model``, made as SQLAlchemy makes the rows it loads: the model's defaults and
    ``values`` set, without validation or change tracking, at a tenth of the constructor's cost or less. For rows
    written once and never edited, such as events (an import makes hundreds a second); added to a session, it is
    inserted as any other."""
    row = manager_of_class(model).new_instance()
    row.__dict__.update(_defaults(model), **values)
    return row


class PlainRow:
    """A table row as a plain object: its columns as attributes, and nothing behind them (no session, change
    tracking or validation: setting a field is a dict store). ``values_of`` reads it as it reads a model's row."""

    __table__: ClassVar[Table]

    def __init__(self, values: Mapping) -> None:
        self.__dict__.update(values)


@cache
def _plain_class(model: type) -> type[PlainRow]:
    return type(model.__name__, (PlainRow,), {"__table__": model.__table__, "__module__": __name__})


def plain_row(model: type[T], values: dict) -> T:
    """``new_row`` as a ``PlainRow``: the model's defaults and ``values`` set, nothing behind them."""
    return _plain_class(model)({**_defaults(model), **values})  # type: ignore[return-value]  # as read_row


def read_row(model: type[T], values: Mapping) -> T:
    """A whole row read through Core (every column given) as a ``PlainRow`` with ``model``'s columns: for rows
    judged in memory and written explicitly, as an import's file is, which the ORM's tracking of every field set
    would only slow down. Never added to a session."""
    return _plain_class(model)(values)  # type: ignore[return-value]  # duck-typed as the model's row


@cache
def _defaults(model: type) -> dict:
    return {name: field.get_default() for name, field in model.model_fields.items()
            if not field.is_required() and field.default_factory is None}


def values_of(row: object, *, omit: tuple[str, ...] = ("id",)) -> dict:
    """A table row object's column values, as ``update_rows`` and ``storage.bulk``'s inserts take them."""
    return {name: getattr(row, name) for name in _column_names(type(row)) if name not in omit}


@cache
def _column_names(model: type) -> tuple[str, ...]:
    return tuple(column.name for column in model.__table__.columns)


def detach(*, session: Session, rows: Iterable[object]) -> None:
    """Take loaded rows out of the session: what is changed on them is written explicitly, never flushed."""
    for row in rows:
        session.expunge(row)


def latest_event_time(*, session: Session) -> datetime | None:
    """When the most recently written event happened (by id, so one index lookup), or None."""
    return session.exec(select(Event.at).order_by(Event.id.desc()).limit(1)).first()


def events_of(*, session: Session, record_ids: Iterable[int], until: datetime | None = None,
              since: datetime | None = None) -> list[Event]:
    """Events of these records in the order they happened, optionally within [since, until)."""
    found: list[Event] = []
    for chunk in _chunks(record_ids):
        query = select(Event).where(Event.record_id.in_(chunk))
        if until is not None:
            query = query.where(Event.at < until)
        if since is not None:
            query = query.where(Event.at >= since)
        found.extend(session.exec(query))
    return sorted(found, key=lambda event: event.id)


def institution_events(*, session: Session, institution_code: str, since: datetime | None = None,
                       until: datetime | None = None) -> list[Event]:
    """Every event of one institution within [since, until), oldest first."""
    query = select(Event).where(Event.institution_code == institution_code)
    if since is not None:
        query = query.where(Event.at >= since)
    if until is not None:
        query = query.where(Event.at < until)
    return list(session.exec(query.order_by(Event.id)))


def cited(until: datetime | None = None) -> ColumnElement:
    """The condition on ``Evidence`` for what a record cited at ``until`` (now when None): added before, and not
    withdrawn by then. Withdrawn evidence keeps its row, so the past still shows it."""
    if until is None:
        return Evidence.withdrawn_at.is_(None)
    return and_(Evidence.added_at < until, or_(Evidence.withdrawn_at.is_(None), Evidence.withdrawn_at >= until))


def events_of_institutions(*, session: Session, codes: Iterable[str], since: datetime,
                           until: datetime | None = None) -> list[Event]:
    """Every event of these institutions within [since, until), oldest first."""
    found: list[Event] = []
    for chunk in _chunks(sorted(set(codes))):
        query = select(Event).where(Event.institution_code.in_(chunk), Event.at >= since)
        if until is not None:
            query = query.where(Event.at < until)
        found.extend(session.exec(query))
    return sorted(found, key=lambda event: event.id)


def records_by_id(*, session: Session, ids: Iterable[int], policy_id: str) -> dict[int, Record]:
    """The records of these ids that belong to a policy, by id."""
    found: dict[int, Record] = {}
    for chunk in _chunks(sorted(set(ids))):
        found.update((r.id, r) for r in session.exec(select(Record).where(Record.id.in_(chunk),
                                                                          Record.policy_id == policy_id)))
    return found


def evidence_of(*, session: Session, record_ids: Iterable[int], until: datetime | None = None) -> list[Evidence]:
    """Evidence attached to these records (before ``until`` when given), oldest first."""
    found: list[Evidence] = []
    for chunk in _chunks(record_ids):
        query = select(Evidence).where(Evidence.record_id.in_(chunk))
        if until is not None:
            query = query.where(Evidence.added_at < until)
        found.extend(session.exec(query))
    return sorted(found, key=lambda evidence: evidence.id)


def import_batches(*, session: Session, ids: Iterable[int | None]) -> dict[int, ImportBatch]:
    """The import batches of these ids (``None`` ids, of events not imported, are skipped), by id."""
    found: dict[int, ImportBatch] = {}
    for chunk in _chunks(sorted({i for i in ids if i is not None})):
        found.update((batch.id, batch) for batch in session.exec(select(ImportBatch).where(ImportBatch.id.in_(chunk))))
    return found


def counts(*, session: Session) -> dict[str, int]:
    """Row counts of the main tables, for ``db info``."""
    tables = {"policy_versions": PolicyVersion, "institutions": Institution, "records": Record,
              "events": Event, "evidence": Evidence}
    return {name: session.exec(select(func.count()).select_from(model)).one() for name, model in tables.items()}


def get_setting(*, session: Session, key: str) -> str | None:
    """A database-wide setting, or None."""
    row = session.get(Setting, key)
    return None if row is None else row.value


def put_setting(*, session: Session, key: str, value: str) -> None:
    """Create or replace a database-wide setting."""
    row = session.get(Setting, key) or Setting(key=key, value=value)
    row.value = value
    session.add(row)
    session.flush()


def records_where(*, session: Session, policy_id: str, where: ColumnElement) -> Iterator[Record]:
    """The records of a policy meeting ``where`` (a condition on ``record``), by institution, item and period,
    fetched in batches as they are read (one query, however many institutions ``where`` covers)."""
    query = (select(Record).where(Record.policy_id == policy_id, where)
             .order_by(Record.institution_code, Record.item_id, Record.period).execution_options(yield_per=CHUNK))
    yield from session.exec(query)


def evidence_refs_where(*, session: Session, policy_id: str, where: ColumnElement) -> list[Row]:
    """Evidence the records ``records_where`` reads cite now, oldest first, as plain rows (record_id, kind, ref,
    name)."""
    query = (select(Evidence.record_id, Evidence.kind, Evidence.ref, Evidence.name)
             .join(Record, Record.id == Evidence.record_id).where(Record.policy_id == policy_id, where, cited())
             .order_by(Evidence.id))
    return list(session.exec(query))


def last_change_by_institution(*, session: Session, codes: Iterable[str], until: datetime) -> dict[str, datetime]:
    """When each institution last changed anything before ``until`` (institutions never changed are absent)."""
    found: dict[str, datetime] = {}
    for chunk in _chunks(codes):
        query = (select(Event.institution_code, func.max(Event.at))
                 .where(Event.institution_code.in_(chunk), Event.at < until)
                 .group_by(Event.institution_code))
        found.update({code: at for code, at in session.exec(query)})
    return found


def item_titles(*, session: Session, policy_id: str, item_ids: Iterable[str]) -> dict[str, str]:
    """The title each item id had in the newest loaded version of the policy that had it."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    query = (select(CatalogItem.item_id, CatalogItem.title).join(PolicyVersion)
             .where(PolicyVersion.policy_id == policy_id, CatalogItem.item_id.in_(wanted))
             .order_by(PolicyVersion.id))
    return {item_id: title for item_id, title in session.exec(query)}  # the newest version's title wins
