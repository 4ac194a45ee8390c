"""Writing what ``record_migration`` decided: moves in waves, split copies with their evidence, re-assessment flags,
and one event per changed field, as plain rows a chunk at a time (no ORM object per record).

The events come in the order the record-by-record path wrote them: the moves wave by wave, then each copy's
history, then the flags in the order the records were first noted. Each record's events share one change id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from jobpolicy.services.change_log import TRACKED, Provenance, event_values, evidence_label
from jobpolicy.storage import bulk, repo

CHUNK = 5000  # rows a statement's executemany: a chunk of events is a few megabytes


@dataclass(slots=True, eq=False)
class Row:
    """A record as the migration sees it: where it sits and its re-assessment flag. Compared by identity; a split's
    copy has no id until it is written."""

    id: int | None
    institution_code: str
    item_id: str
    period: str
    reassess: bool
    reassess_reason: str | None
    policy_id: str


@dataclass(frozen=True)
class Writes:
    """What a migration writes, decided: records already carry their new item and flag."""

    parked: list[Row]  # step aside to a temporary id before the waves (one of each cycle of moves)
    waves: list[list[Row]]  # moved records; each wave's targets are free once the waves before it are written
    origin: dict[int, str]  # each record's item before the migration, by id
    copies: list[tuple[Row, Row]]  # (source, copy) for every record a split copies
    noted: dict[Row, tuple[bool, str | None]]  # every record the migration changes: its flag and reason before


class _Log:
    """Events buffered and appended a chunk at a time, each record's under a change id of its own."""

    def __init__(self, session: Session, how: Provenance) -> None:
        self.session, self.how = session, how
        self.rows: list[dict] = []
        self.changes: dict[Row, Provenance] = {}

    def add(self, record: Row, name: str, old: object, new: object) -> None:
        if record not in self.changes:
            how = self.how
            self.changes[record] = Provenance(how.actor, how.at, how.source, how.batch_id, uuid.uuid4().hex)
        self.rows.append(event_values(record, name, old, new, self.changes[record]))
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        bulk.insert_events(session=self.session, rows=self.rows)
        self.rows = []


def write_migration(session: Session, writes: Writes, how: Provenance) -> None:
    """Write a decided migration inside the caller's transaction."""
    log = _Log(session, how)
    bulk.park_records(session=session, moves=[(r.id, f"~{r.id}") for r in writes.parked])
    moved: set[Row] = set()
    for wave in writes.waves:
        for chunk in _chunks(wave):
            for record in chunk:
                log.add(record, "item_id", writes.origin[record.id], record.item_id)
            bulk.update_records(session=session, rows=[_stamp(r, how) for r in chunk])
        moved.update(wave)
    _write_copies(session, writes, log)
    copies = {copy for _, copy in writes.copies}
    rest: list[dict] = []
    for record, (reassess, reason) in writes.noted.items():
        if record.reassess != reassess:
            log.add(record, "reassess", reassess, record.reassess)
        if record.reassess_reason != reason:
            log.add(record, "reassess_reason", reason, record.reassess_reason)
        if record not in moved and record not in copies:
            rest.append(_stamp(record, how))
        if len(rest) >= CHUNK:
            bulk.update_records(session=session, rows=rest)
            rest = []
    bulk.update_records(session=session, rows=rest)
    log.flush()


def _write_copies(session: Session, writes: Writes, log: _Log) -> None:
    """Insert the copies (what their source holds, flagged, stamped) and their cited evidence; log their history."""
    if not writes.copies:
        return
    sources = repo.records_by_id(session=session, ids=(source.id for source, _ in writes.copies),
                                 policy_id=writes.copies[0][0].policy_id)
    evidence: dict[int, list] = {}
    for row in repo.evidence_of(session=session, record_ids=sources):
        if row.withdrawn_at is None:  # withdrawn evidence stays with the source record's history
            evidence.setdefault(row.record_id, []).append(row)
    how = log.how
    rows = [{**{name: getattr(sources[source.id], name) for name in TRACKED},
             "institution_code": copy.institution_code, "policy_id": copy.policy_id, "item_id": copy.item_id,
             "period": copy.period, "review": "draft", "review_reason": None, "reassess": copy.reassess,
             "reassess_reason": copy.reassess_reason, "revision": 1, "status_at": sources[source.id].status_at,
             "updated_at": how.at, "updated_by": how.actor}
            for source, copy in writes.copies]
    for (_, copy), new_id in zip(writes.copies, bulk.insert_records(session=session, rows=rows), strict=True):
        copy.id = new_id
    twins = []
    for source, copy in writes.copies:
        # A new record's first events say where it came from and what it started as.
        log.add(copy, "item_id", writes.origin[source.id], copy.item_id)
        for name in TRACKED:
            value = getattr(sources[source.id], name)
            if name == "status" or value is not None:
                log.add(copy, name, None, value)
        for row in evidence.get(source.id, []):
            twins.append({"record_id": copy.id, "kind": row.kind, "ref": row.ref, "name": row.name, "size": row.size,
                          "sha256": row.sha256, "added_at": row.added_at, "added_by": row.added_by,
                          "stored": row.stored})
            log.add(copy, "evidence", None, evidence_label(row))
    bulk.insert_evidence(session=session, rows=twins)


def _stamp(record: Row, how: Provenance) -> dict:
    """The update that writes a record's item and flag and marks it changed (``change_log.touch``)."""
    return {"b_id": record.id, "b_item": record.item_id, "b_reassess": record.reassess,
            "b_reason": record.reassess_reason, "b_at": how.at, "b_by": how.actor}


def _chunks(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
