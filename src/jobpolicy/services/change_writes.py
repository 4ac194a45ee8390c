"""Writing many judged changes at once: the records, evidence and events of a whole file in a few Core
``executemany`` statements, with no SELECT or flush per change.

What each change writes is decided by ``recording.judge_change`` (the one rule, shared with ``record set``);
this module only writes it, inside the caller's transaction.
"""

from __future__ import annotations

from sqlmodel import Session

from jobpolicy.services.recording import Judged, store_files
from jobpolicy.storage import bulk, repo
from jobpolicy.storage.models import RECORD_KEY, Evidence, Record


def write_judged(session: Session, judged: list[Judged]) -> None:
    """Write judged changes: new records first (their ids are needed by their events), then the changed
    records, the evidence and the events, each table in one ``executemany`` per chunk."""
    created = [one.record for one in judged if one.created]
    for record, new_id in zip(created, bulk.insert_records(session=session, rows=[repo.values_of(r) for r in created]),
                              strict=True):
        record.id = new_id
    for one in judged:
        for row in (*one.events, *one.evidence):
            row.record_id = one.record.id
    store_files(session, judged)
    changed = [one.record for one in judged if not one.created and one.events]
    repo.update_rows(session=session, model=Record, rows=[repo.values_of(r, omit=RECORD_KEY) for r in changed])
    bulk.insert_evidence(session=session, rows=[repo.values_of(e) for o in judged for e in o.evidence])
    repo.update_rows(session=session, model=Evidence, rows=[
        {"id": e.id, "withdrawn_at": e.withdrawn_at, "withdrawn_by": e.withdrawn_by} for o in judged
        for e in o.withdrawn])
    bulk.insert_events(session=session, rows=[repo.values_of(e) for o in judged for e in o.events])
