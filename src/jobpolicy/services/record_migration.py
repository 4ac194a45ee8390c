"""Moving a policy's records to its new version: carry, flag for re-assessment, rename, split, merge, leave.

Nothing is deleted and no event is rewritten: a record that moves keeps its id, so its history follows it,
and the move itself is an ``item_id`` event. Copies made by a split are new records whose first event
names the item they were copied from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from sqlmodel import Session

from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_diff import predecessors, successors, wording_changes
from jobpolicy.domain.periods import ONCE, describe, period_due
from jobpolicy.domain.slot_moves import MovePlan, Slot, plan_moves
from jobpolicy.services.change_log import TRACKED, Provenance, evidence_label, make_event, set_field, touch
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Evidence, Record


@dataclass(frozen=True, slots=True)
class RecordRef:
    """One record, as people name it."""

    institution: str
    item: str
    period: str


@dataclass(frozen=True, slots=True)
class Flagged:
    """A record flagged for re-assessment, and why."""

    record: RecordRef
    reason: str


@dataclass(frozen=True, slots=True)
class Moved:
    """A record moved (or, for a split, copied) from an old item to a new one."""

    institution: str
    old_item: str
    new_item: str
    period: str
    copied: bool = False


@dataclass
class Migration:
    """What a new version did to the records of the version before it."""

    carried: list[RecordRef] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    left: list[RecordRef] = field(default_factory=list)


def _ref(record: Record) -> RecordRef:
    return RecordRef(record.institution_code, record.item_id, record.period)


def _by_item(ref: RecordRef) -> tuple[str, str, str]:
    return ref.item, ref.institution, ref.period


def period_note(item: Item, period: str) -> str | None:
    """Why a record's period does not fit the item's cadence in the new version, or None."""
    fits = period == ONCE if item.cadence is None else period != ONCE and period_due(item.cadence, period) is not None
    if fits:
        return None
    rule = "一次性事项" if item.cadence is None else describe(item.cadence)
    return f"期次“{period}”不符合新版本的周期（{rule}），请核对期次"


class _Mover:
    """Decides and writes the fate of every record of the old version, in one session."""

    def __init__(self, session: Session, old: Policy, new: Policy, how: Provenance) -> None:
        self.session, self.old, self.new, self.how = session, old, new, how
        self.old_items = {i.id: i for i in old.items()}
        self.new_items = {i.id: i for i in new.items()}
        self.succ, self.preds = successors(old, new), predecessors(old, new)
        self.records = repo.records_of_policy(session=session, policy_id=new.id)
        self.origin = {r.id: r.item_id for r in self.records}
        self.slots = {(r.institution_code, r.item_id, r.period): r for r in self.records}
        self.target = {r.id: self._target(r) for r in self.records}
        self.notes: dict[int, list[str]] = {}  # keyed by record id, reasons in the order found
        self.touched: dict[int, Record] = {}
        self.provenance: dict[int, Provenance] = {}
        self.events: list[Event] = []
        self.result = Migration()

    def run(self) -> Migration:
        staying = [r for r in self.records if self.target[r.id] == r.item_id]
        for record in staying:
            self._stay(record)
        self._move([r for r in self.records if self.target[r.id] not in (None, r.item_id)])
        self._copy_splits()
        # Records of items in neither version were left by an earlier version and stay as they are.
        self.result.left += [_ref(r) for r in self.records
                             if self.origin[r.id] in self.old_items and not self.succ[self.origin[r.id]]]
        self._write_flags(staying)
        return self.result

    def _target(self, record: Record) -> str | None:
        """The item a record continues under in the new version; None when no item continues it."""
        if record.item_id in self.old_items:
            return next(iter(self.succ[record.item_id]), None)
        return record.item_id if record.item_id in self.new_items else None

    def _how(self, record: Record) -> Provenance:
        # One change id per record, so the events of one record's migration read as one change.
        if record.id not in self.provenance:
            self.provenance[record.id] = replace(self.how, change_id=uuid.uuid4().hex)
        return self.provenance[record.id]

    def _note(self, record: Record, *reasons: str | None) -> None:
        self.touched[record.id] = record
        self.notes.setdefault(record.id, []).extend(r for r in reasons if r)

    def _relation(self, old_id: str, new_id: str) -> list[str]:
        """Split and merge phrases for a record that goes from ``old_id`` to ``new_id``."""
        phrases = []
        if len(self.succ[old_id]) > 1:
            phrases.append(f"{old_id} 拆分为 {'、'.join(self.succ[old_id])}")
        if len(self.preds[new_id]) > 1:
            phrases.append(f"{'、'.join(self.preds[new_id])} 合并为 {new_id}")
        return phrases

    def _reasons(self, record: Record, old_id: str, new_id: str) -> list[str]:
        """Why a record that continues ``old_id`` as ``new_id`` must be assessed again; empty when it need not."""
        new_item = self.new_items[new_id]
        changes = [c.describe() for c in wording_changes(self.old_items[old_id], new_item)]
        relation = self._relation(old_id, new_id)
        if changes and not relation and old_id != new_id:
            relation = [f"{old_id} 改为 {new_id}"]
        return [*relation, *changes, *filter(None, [period_note(new_item, record.period)])]

    def _stay(self, record: Record) -> None:
        item_id = record.item_id
        if item_id not in self.old_items:
            self._note(record, f"本项不在版本 {self.old.version} 中，重新列入后请核对此前的记录",
                       period_note(self.new_items[item_id], record.period))
            return
        reasons = self._reasons(record, item_id, item_id)
        if reasons:
            self._note(record, *reasons)

    def _merge_rank(self, record: Record) -> tuple[int, int]:
        target = self.target[record.id]
        return self.preds[target].index(self.origin[record.id]), record.id

    def _move(self, claiming: list[Record]) -> None:
        """Move every record whose target slot is free; the others stay where they are."""
        claiming = sorted(claiming, key=self._merge_rank)
        plan = plan_moves({slot: r.id for slot, r in self.slots.items()}, self._claims(claiming))
        self._write_moves(plan)
        self.slots = {(r.institution_code, r.item_id, r.period): r for r in self.records}
        stuck = [r for r in claiming if r.id not in plan.targets]
        # A record's own reasons come before the notes that records left behind put on it.
        for record in claiming:
            if record.id in plan.targets:
                self._arrive(record)
            elif self.origin[record.id] in self.new_items:
                self._note(record, self._given_away(record))
        for record in stuck:
            self._leave_behind(record)

    def _claims(self, claiming: list[Record]) -> dict[int, Slot]:
        """The slot each record claims, for the first claimant of each slot (in a merge, the first in ``replaces``)."""
        wanted: dict[int, Slot] = {}
        claimed: set[Slot] = set()
        for record in claiming:
            slot = (record.institution_code, self.target[record.id], record.period)
            if slot not in claimed:
                claimed.add(slot)
                wanted[record.id] = slot
        return wanted

    def _write_moves(self, plan: MovePlan) -> None:
        """Write the moves so that no statement puts two records in one slot: one flush per wave."""
        by_id = {r.id: r for r in self.records}
        for record_id in plan.parked:
            # No item has such an id; the move's one event, old id → new id, is written when it arrives.
            by_id[record_id].item_id = f"~{record_id}"
        repo.add(session=self.session, rows=[by_id[record_id] for record_id in plan.parked])
        for wave in plan.waves:
            for record_id in wave:
                record = by_id[record_id]
                record.item_id = plan.targets[record_id][1]
                self.events.append(make_event(record, "item_id", self.origin[record_id], record.item_id,
                                               self._how(record)))
            repo.add(session=self.session, rows=[by_id[record_id] for record_id in wave])

    def _arrive(self, record: Record) -> None:
        old_id = self.origin[record.id]
        self.result.moved.append(Moved(record.institution_code, old_id, record.item_id, record.period))
        self._note(record, *self._reasons(record, old_id, record.item_id))

    def _given_away(self, record: Record) -> str:
        # Stuck under an id the new version gave to another item, it counts there: so it is flagged, not left.
        old_id, new_id = self.origin[record.id], self.target[record.id]
        return (f"本记录原属 {old_id}，应迁入 {new_id}，因 {new_id} 已有记录而仍在原编号下；"
                f"{old_id} 在新版本中已是另一检查项，请核对")

    def _leave_behind(self, record: Record) -> None:
        """Report a record that could not move, and flag the record in its way, which is never overwritten."""
        old_id, new_id = self.origin[record.id], self.target[record.id]
        occupant = self.slots[(record.institution_code, new_id, record.period)]
        self._note(occupant, f"{old_id} 的记录仍保留在原编号下（本项已有记录），请核对后补入本项")
        if old_id not in self.new_items:
            self.result.left.append(_ref(record))

    def _copy_splits(self) -> None:
        planned: list[tuple[Record, Record]] = []
        for source in self.records:
            old_id = self.origin[source.id]
            for new_id in self.succ.get(old_id, ())[1:]:
                key = (source.institution_code, new_id, source.period)
                if key in self.slots:
                    self._note(self.slots[key], f"{old_id} 的记录未复制到本项（本项已有记录），请核对")
                    continue
                copy = Record(institution_code=source.institution_code, policy_id=source.policy_id, item_id=new_id,
                              period=source.period, status=source.status, status_at=source.status_at,
                              updated_at=self.how.at,
                              updated_by=self.how.actor)
                self.slots[key] = copy
                planned.append((source, copy))
        repo.add(session=self.session, rows=[copy for _, copy in planned])  # one flush gives every copy its id
        evidence = self._evidence_of({source.id for source, _ in planned})
        for source, copy in planned:
            old_id = self.origin[source.id]
            self._fill_copy(source, copy, evidence.get(source.id, []))
            self.result.moved.append(Moved(copy.institution_code, old_id, copy.item_id, copy.period, copied=True))
            self._note(copy, *self._reasons(copy, old_id, copy.item_id))

    def _evidence_of(self, record_ids: set[int]) -> dict[int, list[Evidence]]:
        ids, found = sorted(record_ids), {}
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            for row in repo.evidence_of(session=self.session, record_ids=ids[start : start + 500]):
                found.setdefault(row.record_id, []).append(row)
        return found

    def _fill_copy(self, source: Record, copy: Record, evidence: list[Evidence]) -> None:
        how = self._how(copy)
        # A new record's first events say where it came from and what it started as.
        self.events += [make_event(copy, "item_id", self.origin[source.id], copy.item_id, how),
                        make_event(copy, "status", None, copy.status, how)]
        for name in TRACKED:
            if name != "status":
                set_field(copy, name, getattr(source, name), how, self.events)
        for row in evidence:
            if row.withdrawn_at is not None:  # withdrawn stays with the source record's history, not carried on
                continue
            twin = Evidence(record_id=copy.id, kind=row.kind, ref=row.ref, name=row.name, size=row.size,
                            sha256=row.sha256, added_at=row.added_at, added_by=row.added_by, stored=row.stored)
            self.session.add(twin)
            self.events.append(make_event(copy, "evidence", None, evidence_label(row), how))

    def _write_flags(self, staying: list[Record]) -> None:
        prefix = f"版本 {self.old.version}→{self.new.version}："
        for record_id, record in self.touched.items():
            notes = list(dict.fromkeys(self.notes.get(record_id, [])))
            if notes:
                reason = prefix + "；".join(notes)
                if record.reassess and record.reassess_reason:
                    reason = f"{record.reassess_reason}；{reason}"  # an earlier, unanswered reason still holds
                how = self._how(record)
                set_field(record, "reassess", True, how, self.events)
                set_field(record, "reassess_reason", reason, how, self.events)
                self.result.flagged.append(Flagged(_ref(record), reason))
            touch(record, self.how)
        self.result.carried = [_ref(r) for r in staying if r.id not in self.touched]
        repo.add(session=self.session, rows=[*self.touched.values(), *self.events])
        self.result.carried.sort(key=_by_item)
        self.result.left.sort(key=_by_item)
        self.result.flagged.sort(key=lambda f: _by_item(f.record))
        self.result.moved.sort(key=lambda m: (m.new_item, m.old_item, m.institution, m.period))


def migrate_records(session: Session, old: Policy, new: Policy, how: Provenance) -> Migration:
    """Move every record of ``old`` to ``new`` inside the caller's transaction.

    - same id, same wording: carried, untouched (an id another item names in ``replaces`` is not the
      same id: it was given to that item, see ``catalog_diff.predecessors``);
    - same id, new wording (or a period the new cadence does not have): flagged for re-assessment;
    - an id named in ``replaces``: renamed (one to one), copied to every further item (split), or, when
      several old items merge, the first in ``replaces`` moves and the others stay under their old id;
      split and merged records are flagged, and so is a moved record whose wording changed;
    - a target is free when it has no record or its record moves away itself, so moves may form chains
      and cycles; a target whose record stays is never overwritten: the incoming record stays and the
      target is flagged (and so is the incoming record, if its id now names another item);
    - an item removed without replacement: its records stay as they are and no longer count.

    Returns:
        The records carried, flagged (with reasons), moved or copied, and left, each sorted by item.
    """
    return _Mover(session, old, new, how).run()
