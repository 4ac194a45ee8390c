"""Diff: what changed in an institution's records between two dates, item by item and field by field, from the log.

The window runs from the start of ``since`` to the end of ``until`` in China time, both days included, so
``--since 2025-06-01 --until 2025-06-30`` is all of June; without ``until`` it runs up to now. For each field,
"before" is its value when the window opened (the ``old`` of its first event inside the window: every event records
the value it replaced) and "after" its value when the window closed (the ``new`` of its last one). A field changed
and changed back within the window is left out (``record history`` still shows it); evidence added in the window is
listed with who added it and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.values import FIELD_TYPES
from jobpolicy.errors import InvalidInput
from jobpolicy.services._uow import reading
from jobpolicy.services.as_of import end_of_day, start_of_day
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, ImportBatch, Institution, Record

EVIDENCE = "evidence"
_FIELD_ORDER = {name: index for index, name in enumerate(FIELD_TYPES)}  # status first, as people read a record


@dataclass(frozen=True)
class FieldDiff:
    """One field whose value differs between the two moments, and every change that led there."""

    field: str
    before: str | None  # as the event log stores it (see domain.values.encode)
    after: str | None
    changes: list[Event]

    @property
    def actors(self) -> list[str]:
        """Who changed the field, in the order they first did."""
        return list(dict.fromkeys(e.actor for e in self.changes))


@dataclass(frozen=True)
class ItemDiff:
    """What changed in one record (an item in one period)."""

    item_id: str
    title: str
    period: str
    created: bool  # the record was first filled in inside the window
    fields: list[FieldDiff]
    evidence: list[Event]  # evidence added inside the window


@dataclass(frozen=True)
class RecordsDiff:
    """Every record of an institution that changed between ``since`` and ``until``."""

    institution: Institution
    policy: Policy
    since: date
    until: date | None  # None: up to now
    items: list[ItemDiff]
    batches: dict[int, ImportBatch] = field(default_factory=dict)  # of the events shown, by id


def diff_records(engine: Engine, code: str, *, since: date, until: date | None = None,
                 policy_id: str | None = None) -> RecordsDiff:
    """What changed in an institution's records from the start of ``since`` to the end of ``until`` (or now).

    Args:
        engine: the database.
        code: 学校标识码.
        since: first day of the window (China time), included.
        until: last day of the window, included; default up to now.
        policy_id: which policy, when several are loaded.

    Returns:
        The changed records in catalog order, each with the fields whose value differs and who changed them when,
        and the import batches of those changes (who imported what a school's 填报人 filled in).

    Raises:
        InvalidInput: ``until`` is before ``since``.
        NotFound: unknown institution or policy.
    """
    if until is not None and until < since:
        raise InvalidInput(f"--until {until.isoformat()} 早于 --since {since.isoformat()}",
                           hint="--since 是起始日期，--until 是截止日期（均含当天）")
    window_end = end_of_day(until) if until is not None else None
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        records = {r.id: r for r in repo.records_of(session=session, institution_code=institution.code,
                                                    policy_id=policy.id)}
        events = repo.institution_events(session=session, institution_code=institution.code,
                                         since=start_of_day(since), until=window_end)
        batches = repo.import_batches(session=session, ids=(e.batch_id for e in events))
    return _records_diff(policy, institution, since, until, records, events, batches)


def diff_many(engine: Engine, institutions: dict[str, Institution], windows: dict[str, date], *,
              until: date | None = None, policy_id: str | None = None) -> dict[str, RecordsDiff]:
    """What changed for each institution over its own window (``windows``: code -> first day), all read in one
    snapshot with a few set-based queries: what a summary shows on every school's page.

    Each diff is what ``diff_records`` gives for that institution and window, under ``policy_id`` (the current
    policy when None).
    """
    if not windows:
        return {}
    window_end = end_of_day(until) if until is not None else None
    with reading(engine) as session:
        policy = current_policy(session, policy_id)
        events = repo.events_of_institutions(session=session, codes=windows,
                                             since=start_of_day(min(windows.values())), until=window_end)
        events = [e for e in events if e.at >= start_of_day(windows[e.institution_code])]
        records = repo.records_by_id(session=session, ids=(e.record_id for e in events), policy_id=policy.id)
        batches = repo.import_batches(session=session, ids=(e.batch_id for e in events))
    by_code: dict[str, list[Event]] = {code: [] for code in windows}
    for event in events:
        by_code[event.institution_code].append(event)
    return {code: _records_diff(policy, institutions[code], since, until, records, by_code[code], batches)
            for code, since in windows.items()}


def _records_diff(policy: Policy, institution: Institution, since: date, until: date | None,
                  records: dict[int, Record], events: list[Event], batches: dict[int, ImportBatch]) -> RecordsDiff:
    """The diff of one institution from its events in the window (oldest first) and the records they touch."""
    by_record: dict[int, list[Event]] = {}
    for event in events:
        if event.record_id in records:
            by_record.setdefault(event.record_id, []).append(event)
    order = {item.id: index for index, item in enumerate(policy.items())}
    items = [diff for record_id, changes in by_record.items()
             if (diff := _item_diff(policy, records[record_id], changes)) is not None]
    items.sort(key=lambda d: (order.get(d.item_id, len(order)), d.item_id, d.period))
    mine = {e.batch_id for e in events if e.batch_id is not None}
    return RecordsDiff(institution, policy, since, until, items, {i: b for i, b in batches.items() if i in mine})


def _item_diff(policy: Policy, record: Record, events: list[Event]) -> ItemDiff | None:
    """The net change of one record over its events in the window (oldest first), or None when there is none."""
    per_field: dict[str, list[Event]] = {}
    for event in events:
        per_field.setdefault(event.field, []).append(event)
    evidence = per_field.pop(EVIDENCE, [])
    fields = [FieldDiff(name, changes[0].old, changes[-1].new, changes) for name, changes in per_field.items()
              if changes[0].old != changes[-1].new]
    fields.sort(key=lambda f: _FIELD_ORDER.get(f.field, len(_FIELD_ORDER)))
    if not fields and not evidence:
        return None
    # Only the event that creates a record has no previous status.
    created = any(e.field == "status" and e.old is None for e in events)
    item = policy.item(record.item_id)
    return ItemDiff(record.item_id, item.title if item else "", record.period, created, fields, evidence)

