"""Moving a policy's records to its new version: carry, flag for re-assessment, rename, split, merge, leave.

Nothing is deleted and no event is rewritten: a record that moves keeps its id, so its history follows it,
and the move itself is an ``item_id`` event. Copies made by a split are new records whose first event
names the item they were copied from.

A new version is loaded over every school's records at once (a national database holds a hundred thousand), so the
fate of each record is decided from a light row (where it sits, its open re-assessment reason) with what depends
only on the items computed once: each old item's successor, the reasons for continuing one item as another, and
the period note for each (item, period). The writes are plain rows through ``storage.bulk``, a chunk at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_diff import predecessors, successors, wording_changes
from jobpolicy.domain.periods import ONCE, describe, period_due
from jobpolicy.domain.slot_moves import MovePlan, Slot, plan_moves
from jobpolicy.services.change_log import Provenance
from jobpolicy.services.migration_writes import Row, Writes, write_migration
from jobpolicy.storage import bulk


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


def _ref(record: Row) -> RecordRef:
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


class _Reasons:
    """What depends only on the items, computed once for every record of an item: each old item's successor, the
    reasons for continuing one item as another, and the period note of each (item, period)."""

    def __init__(self, old: Policy, new: Policy) -> None:
        self.old_items = {i.id: i for i in old.items()}
        self.new_items = {i.id: i for i in new.items()}
        self.succ, self.preds = successors(old, new), predecessors(old, new)
        self._targets: dict[str, str | None] = {}
        self._between: dict[tuple[str, str], list[str]] = {}
        self._periods: dict[tuple[str, str], str | None] = {}

    def target(self, item_id: str) -> str | None:
        """The item a record of ``item_id`` continues under in the new version; None when no item continues it."""
        if item_id not in self._targets:
            if item_id in self.old_items:
                self._targets[item_id] = next(iter(self.succ[item_id]), None)
            else:
                self._targets[item_id] = item_id if item_id in self.new_items else None
        return self._targets[item_id]

    def period_note(self, item_id: str, period: str) -> str | None:
        """``period_note`` of the new item ``item_id``, once for each (item, period)."""
        key = (item_id, period)
        if key not in self._periods:
            self._periods[key] = period_note(self.new_items[item_id], period)
        return self._periods[key]

    def relation(self, old_id: str, new_id: str) -> list[str]:
        """Split and merge phrases for a record that goes from ``old_id`` to ``new_id``."""
        phrases = []
        if len(self.succ[old_id]) > 1:
            phrases.append(f"{old_id} 拆分为 {'、'.join(self.succ[old_id])}")
        if len(self.preds[new_id]) > 1:
            phrases.append(f"{'、'.join(self.preds[new_id])} 合并为 {new_id}")
        return phrases

    def between(self, old_id: str, new_id: str, period: str) -> list[str]:
        """Why a record that continues ``old_id`` as ``new_id`` must be assessed again; empty when it need not."""
        key = (old_id, new_id)
        if key not in self._between:
            changes = [c.describe() for c in wording_changes(self.old_items[old_id], self.new_items[new_id])]
            relation = self.relation(old_id, new_id)
            if changes and not relation and old_id != new_id:
                relation = [f"{old_id} 改为 {new_id}"]
            self._between[key] = [*relation, *changes]
        return [*self._between[key], *filter(None, [self.period_note(new_id, period)])]


class _Mover:
    """Decides the fate of every record of the old version, from light rows; ``storage.bulk`` writes it."""

    def __init__(self, session: Session, old: Policy, new: Policy) -> None:
        self.old, self.new = old, new
        self.items = _Reasons(old, new)
        self.records = [Row(*row, policy_id=new.id) for row in bulk.record_keys(session=session, policy_id=new.id)]
        self.origin = {r.id: r.item_id for r in self.records}
        self.slots = {_slot(r): r for r in self.records}
        self.target = {r.id: self.items.target(r.item_id) for r in self.records}
        self.notes: dict[Row, list[str]] = {}  # every record noted, in the order first noted; reasons in order found
        self.result = Migration()

    def run(self) -> tuple[Migration, Writes]:
        staying = [r for r in self.records if self.target[r.id] == r.item_id]
        for record in staying:
            self._stay(record)
        plan = self._move([r for r in self.records if self.target[r.id] not in (None, r.item_id)])
        copies = self._copy_splits()
        # Records of items in neither version were left by an earlier version and stay as they are.
        self.result.left += [_ref(r) for r in self.records
                             if self.origin[r.id] in self.items.old_items and not self.items.succ[self.origin[r.id]]]
        before = self._flag()
        self.result.carried = [_ref(r) for r in staying if r not in self.notes]
        for found in (self.result.carried, self.result.left):
            found.sort(key=_by_item)
        self.result.flagged.sort(key=lambda f: _by_item(f.record))
        self.result.moved.sort(key=lambda m: (m.new_item, m.old_item, m.institution, m.period))
        by_id = {r.id: r for r in self.records}
        return self.result, Writes(parked=[by_id[i] for i in plan.parked],
                                   waves=[[by_id[i] for i in wave] for wave in plan.waves], origin=self.origin,
                                   copies=copies, noted=before)

    def _note(self, record: Row, *reasons: str | None) -> None:
        found = [r for r in reasons if r]
        noted = self.notes.get(record)
        if noted is None:
            self.notes[record] = found
        else:
            noted.extend(found)

    def _stay(self, record: Row) -> None:
        item_id = record.item_id
        if item_id not in self.items.old_items:
            self._note(record, f"本项不在版本 {self.old.version} 中，重新列入后请核对此前的记录",
                       self.items.period_note(item_id, record.period))
            return
        reasons = self.items.between(item_id, item_id, record.period)
        if reasons:
            self._note(record, *reasons)

    def _merge_rank(self, record: Row) -> tuple[int, int]:
        target = self.target[record.id]
        return self.items.preds[target].index(self.origin[record.id]), record.id

    def _move(self, claiming: list[Row]) -> MovePlan:
        """Move every record whose target slot is free (in memory); the others stay where they are."""
        claiming = sorted(claiming, key=self._merge_rank)
        plan = plan_moves({slot: r.id for slot, r in self.slots.items()}, self._claims(claiming))
        for record in claiming:
            if record.id in plan.targets:
                record.item_id = plan.targets[record.id][1]
        self.slots = {_slot(r): r for r in self.records}
        stuck = [r for r in claiming if r.id not in plan.targets]
        # A record's own reasons come before the notes that records left behind put on it.
        for record in claiming:
            if record.id in plan.targets:
                self._arrive(record)
            elif self.origin[record.id] in self.items.new_items:
                self._note(record, self._given_away(record))
        for record in stuck:
            self._leave_behind(record)
        return plan

    def _claims(self, claiming: list[Row]) -> dict[int, Slot]:
        """The slot each record claims, for the first claimant of each slot (in a merge, the first in ``replaces``)."""
        wanted: dict[int, Slot] = {}
        claimed: set[Slot] = set()
        for record in claiming:
            slot = (record.institution_code, self.target[record.id], record.period)
            if slot not in claimed:
                claimed.add(slot)
                wanted[record.id] = slot
        return wanted

    def _arrive(self, record: Row) -> None:
        old_id = self.origin[record.id]
        self.result.moved.append(Moved(record.institution_code, old_id, record.item_id, record.period))
        self._note(record, *self.items.between(old_id, record.item_id, record.period))

    def _given_away(self, record: Row) -> str:
        # Stuck under an id the new version gave to another item, it counts there: so it is flagged, not left.
        old_id, new_id = self.origin[record.id], self.target[record.id]
        return (f"本记录原属 {old_id}，应迁入 {new_id}，因 {new_id} 已有记录而仍在原编号下；"
                f"{old_id} 在新版本中已是另一检查项，请核对")

    def _leave_behind(self, record: Row) -> None:
        """Report a record that could not move, and flag the record in its way, which is never overwritten."""
        old_id, new_id = self.origin[record.id], self.target[record.id]
        occupant = self.slots[(record.institution_code, new_id, record.period)]
        self._note(occupant, f"{old_id} 的记录仍保留在原编号下（本项已有记录），请核对后补入本项")
        if old_id not in self.items.new_items:
            self.result.left.append(_ref(record))

    def _copy_splits(self) -> list[tuple[Row, Row]]:
        """The copies a split makes (source, copy), each noted; a copy has no id until it is written."""
        planned: list[tuple[Row, Row]] = []
        for source in self.records:
            old_id = self.origin[source.id]
            for new_id in self.items.succ.get(old_id, ())[1:]:
                key = (source.institution_code, new_id, source.period)
                if key in self.slots:
                    self._note(self.slots[key], f"{old_id} 的记录未复制到本项（本项已有记录），请核对")
                    continue
                copy = Row(None, source.institution_code, new_id, source.period, False, None, source.policy_id)
                self.slots[key] = copy
                planned.append((source, copy))
        for source, copy in planned:
            old_id = self.origin[source.id]
            self.result.moved.append(Moved(copy.institution_code, old_id, copy.item_id, copy.period, copied=True))
            self._note(copy, *self.items.between(old_id, copy.item_id, copy.period))
        return planned

    def _flag(self) -> dict[Row, tuple[bool, str | None]]:
        """Set the re-assessment reason of every noted record that has notes (after an earlier, unanswered reason,
        which still holds); return each noted record's flag and reason before, in the order first noted."""
        prefix = f"版本 {self.old.version}→{self.new.version}："
        before, said = {}, {}  # said: the reason for each list of notes, which records of one item share
        for record, noted in self.notes.items():
            before[record] = (record.reassess, record.reassess_reason)
            if noted:
                key = tuple(noted)
                if key not in said:
                    said[key] = prefix + "；".join(dict.fromkeys(noted))
                reason = said[key]
                if record.reassess and record.reassess_reason:
                    reason = f"{record.reassess_reason}；{reason}"
                record.reassess, record.reassess_reason = True, reason
                self.result.flagged.append(Flagged(_ref(record), reason))
        return before


def _slot(record: Row) -> Slot:
    return record.institution_code, record.item_id, record.period


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
    migration, writes = _Mover(session, old, new).run()
    write_migration(session, writes, how)
    return migration
