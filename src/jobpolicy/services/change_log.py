"""How every change is written: its provenance, one event per field that really changes, the record stamped."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jobpolicy.domain.values import encode
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Record

# The record fields an office changes; each change is an event of its own.
TRACKED = ("status", "progress", "owner", "department", "due", "value", "note", "na_reason")


@dataclass(frozen=True)
class Provenance:
    """Who made a change, when, and through what."""

    actor: str
    at: datetime
    source: str
    batch_id: int | None = None
    change_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def event_values(record: Any, name: str, old: object, new: object, how: Provenance) -> dict[str, Any]:
    """The columns of the event that says ``how`` changed field ``name`` of ``record`` (a ``Record``, or any row with
    its id, institution_code, policy_id, item_id and period) from ``old`` to ``new``."""
    return {"record_id": record.id, "institution_code": record.institution_code, "policy_id": record.policy_id,
            "item_id": record.item_id, "period": record.period, "field": name, "old": encode(old), "new": encode(new),
            "actor": how.actor, "at": how.at, "source": how.source, "batch_id": how.batch_id,
            "change_id": how.change_id}


def make_event(record: Record, name: str, old: object, new: object, how: Provenance) -> Event:
    """The event that says ``how`` changed field ``name`` of ``record`` from ``old`` to ``new``: a plain row for a
    plain record (judged in memory, written by ``change_writes``), a model's row for one the session writes."""
    make = repo.plain_row if isinstance(record, repo.PlainRow) else repo.new_row
    return make(Event, event_values(record, name, old, new, how))


def set_field(record: Record, name: str, value: object, how: Provenance, events: list[Event]) -> None:
    """Set one field of a record and note the event, if the value really changes."""
    old = getattr(record, name)
    if old == value:
        return
    setattr(record, name, value)
    if name == "status":
        record.status_at = how.at  # when the current status was set: "done after the deadline" compares it
    events.append(make_event(record, name, old, value, how))


def set_review(record: Record, review: str, reason: str | None, how: Provenance, events: list[Event]) -> None:
    """Set the review state and its reason (the province's, when returned; cleared on every other step)."""
    set_field(record, "review", review, how, events)
    set_field(record, "review_reason", reason, how, events)


def touch(record: Record, how: Provenance) -> None:
    """Mark a record changed: one more revision (spreadsheet imports detect conflicts by it), who and when."""
    record.revision += 1
    record.updated_at, record.updated_by = how.at, how.actor


def evidence_label(evidence: Any) -> str:
    """How an evidence event names a piece of evidence: a URL, or ``名单.pdf sha256:1a2b3c…`` for a file (so the log
    tells two files of one name apart)."""
    return evidence.ref if evidence.kind == "url" else f"{evidence.name} sha256:{(evidence.sha256 or '')[:12]}"
