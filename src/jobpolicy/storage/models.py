"""SQLModel tables: loaded policies, their items and mappings, institutions, records, evidence, events, import batches.

``record`` holds the current state; ``event`` holds every change to it, append-only (triggers in the
migrations refuse UPDATE and DELETE). Any past state is rebuilt from ``event``. ``access_grant`` maps PostgreSQL
logins to the schools they may reach (row-level security, migration 0006).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel

from jobpolicy.domain.limits import ID_LENGTHS


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores no offset, so we store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use jobpolicy.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _utc_column(**kwargs) -> Column:
    return Column(UTCDateTime(), **kwargs)


class PolicyVersion(SQLModel, table=True):
    """One loaded version of a policy catalog."""

    __tablename__ = "policy_version"
    __table_args__ = (UniqueConstraint("policy_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    policy_id: str = Field(max_length=ID_LENGTHS["policy"], index=True)
    version: str = Field(max_length=ID_LENGTHS["version"])
    title: str
    catalog_sha256: str = Field(max_length=64)
    catalog_text: str = Field(sa_type=Text)  # the YAML as loaded, so the database describes itself even unbundled
    is_current: bool = False
    loaded_at: datetime = Field(sa_column=_utc_column(nullable=False))


class CatalogItem(SQLModel, table=True):
    """An item of a loaded policy version, kept in the database so status is one SQL aggregation."""

    __tablename__ = "catalog_item"
    __table_args__ = (UniqueConstraint("policy_version_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    policy_version_id: int = Field(foreign_key="policy_version.id", index=True)
    item_id: str = Field(max_length=ID_LENGTHS["item"])
    section_id: str = Field(max_length=ID_LENGTHS["section"])
    measure_id: str = Field(max_length=ID_LENGTHS["measure"])
    actor: str = Field(max_length=16)
    title: str
    wording_hash: str = Field(max_length=16)
    weight: float = 1.0
    indicator_target: float | None = None
    indicator_comparator: str | None = Field(default=None, max_length=2)
    due: date | None = None
    rrule: str | None = None
    cadence_start: date | None = None
    levels: str = ""  # comma-separated; empty means every level
    provinces: str = ""  # comma-separated; empty means every province


class PolicyMapping(SQLModel, table=True):
    """How the items of one loaded policy version relate to another's, as the file that declares it says."""

    __tablename__ = "policy_mapping"
    __table_args__ = (UniqueConstraint("from_policy_id", "from_version", "to_policy_id", "to_version"),)

    id: int | None = Field(default=None, primary_key=True)
    from_policy_id: str = Field(max_length=ID_LENGTHS["policy"])
    from_version: str = Field(max_length=ID_LENGTHS["version"])
    to_policy_id: str = Field(max_length=ID_LENGTHS["policy"])
    to_version: str = Field(max_length=ID_LENGTHS["version"])
    sha256: str = Field(max_length=64)
    text: str = Field(sa_type=Text)  # the catalog or mapping file as loaded: its ``mapping`` block is parsed again
    in_catalog: bool = False  # True: the block of the from policy's own catalog file; False: a mapping file
    loaded_at: datetime = Field(sa_column=_utc_column(nullable=False))


class Institution(SQLModel, table=True):
    """A university, keyed by its 学校标识码 (stable across renames)."""

    __tablename__ = "institution"

    code: str = Field(primary_key=True, min_length=10, max_length=10)
    name: str
    authority: str = ""
    province: str = Field(default="", index=True)
    city: str = ""
    level: str = ""
    remark: str = ""
    listed: bool = True  # False: added by hand, not on the bundled MOE list
    list_year: int | None = None
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))
    tracking_start: date  # occurrences due before it are not counted and never overdue


# What identifies a record (its unique key): never updated; writers of many rows match ids to rows by it.
RECORD_KEY = ("institution_code", "policy_id", "item_id", "period")


class Record(SQLModel, table=True):
    """The current state of one item for one institution in one period."""

    __tablename__ = "record"
    __table_args__ = (UniqueConstraint(*RECORD_KEY),)

    id: int | None = Field(default=None, primary_key=True)
    institution_code: str = Field(foreign_key="institution.code", max_length=10, index=True)
    policy_id: str = Field(max_length=ID_LENGTHS["policy"])
    item_id: str = Field(max_length=ID_LENGTHS["item"])
    period: str = Field(max_length=16)
    status: str = Field(default="not_started", max_length=16)
    progress: int | None = None
    owner: str | None = None
    department: str | None = None
    due: date | None = None
    value: float | None = None
    note: str | None = None
    na_reason: str | None = None
    review: str = Field(default="draft", max_length=16)
    review_reason: str | None = None
    reassess: bool = False
    reassess_reason: str | None = None
    revision: int = 0  # +1 on every change; a spreadsheet row exported at an older revision is a conflict
    status_at: datetime = Field(sa_column=_utc_column(nullable=False))  # when the current status was set
    updated_at: datetime = Field(sa_column=_utc_column(nullable=False))
    updated_by: str = ""


class Evidence(SQLModel, table=True):
    """A URL or a file that proves a record. A file is described (size, sha256) and, when ``stored``, kept in the
    evidence store (``storage.evidence_store``) under its sha256; rows from before the store are described only.
    Withdrawing a file sets ``withdrawn_at``: the row, the file and the event stay, so the past can be shown."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    kind: str = Field(max_length=8)  # url | file
    ref: str  # the URL, or the file path as given
    name: str
    size: int | None = Field(default=None, sa_type=BigInteger)  # files over 2 GiB overflow PostgreSQL's integer
    sha256: str | None = Field(default=None, max_length=64, index=True)  # a stored file is read through it
    added_at: datetime = Field(sa_column=_utc_column(nullable=False))
    added_by: str = ""
    stored: bool = False  # the file itself is in the evidence store
    withdrawn_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    withdrawn_by: str | None = None


class EvidenceBlob(SQLModel, table=True):
    """A stored evidence file on PostgreSQL, keyed by its sha256 (SQLite keeps files in a folder instead)."""

    __tablename__ = "evidence_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    data: bytes = Field(sa_type=LargeBinary)
    stored_at: datetime = Field(sa_column=_utc_column(nullable=False))
    # PostgreSQL's session_user, stamped by a trigger: row security lets the login that stored a file read it back
    # before an evidence row cites it; "" on SQLite
    stored_by: str = Field(default="", max_length=63, sa_column_kwargs={"server_default": text("''")})


class ImportBatch(SQLModel, table=True):
    """One imported file: who, when, what it was."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    sha256: str = Field(max_length=64)
    policy_key: str = ""
    institution_code: str | None = Field(default=None, max_length=10)
    imported_by: str = ""
    imported_at: datetime = Field(sa_column=_utc_column(nullable=False))
    author: str = ""  # the workbook's 填报人
    phone: str = ""  # the workbook's 联系电话
    submitted: bool = False  # the import was the school's 报送: its rows were submitted, not kept as drafts
    rows: int = 0
    changed: int = 0


class Event(SQLModel, table=True):
    """One change to one field of a record. Never updated, never deleted."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_record_field", "record_id", "field", "id"),
        Index("ix_event_institution_at", "institution_code", "at"),
        Index("ix_event_at", "at", "field", "record_id"),  # the records changed since a moment (services.as_of)
    )

    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    institution_code: str = Field(max_length=10)
    policy_id: str = Field(max_length=ID_LENGTHS["policy"])
    item_id: str = Field(max_length=ID_LENGTHS["item"])
    period: str = Field(max_length=16)
    field: str = Field(max_length=32)
    old: str | None = None
    new: str | None = None
    actor: str = ""  # the display name (--by, whoami); on PostgreSQL ``login`` says who really connected
    # PostgreSQL's session_user, stamped by a trigger whatever the client sends; "" on SQLite and for older events
    login: str = Field(default="", max_length=63, sa_column_kwargs={"server_default": text("''")})
    at: datetime = Field(sa_column=_utc_column(nullable=False))  # on PostgreSQL the server's time (trigger)
    source: str = ""  # "cli: record set", "import #12", "policy load gse-2025@2025.2"
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    change_id: str = Field(max_length=32)  # groups the events of one command or import row


class AccessGrant(SQLModel, table=True):
    """What one PostgreSQL login may reach: one school (an office), one province (a reviewer), or everything (admin).

    Row-level security policies read this table; only the administrator may write it. Unused on SQLite, where the
    file itself is the boundary.
    """

    __tablename__ = "access_grant"
    __table_args__ = (UniqueConstraint("login", "kind", "institution_code", "province"),)

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=63, index=True)
    kind: str = Field(max_length=8)  # office | reviewer | admin
    institution_code: str | None = Field(default=None, max_length=10)
    province: str | None = None
    granted_by: str = Field(default="", max_length=63)
    granted_at: datetime = Field(sa_column=_utc_column(nullable=False))


class Setting(SQLModel, table=True):
    """A database-wide setting, e.g. ``label`` = 演示数据 shown on every report page."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)
