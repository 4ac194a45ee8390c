"""Ordering moves of records between slots (institution, item, period), each of which holds one record at most.

A new catalog version may move records in chains (A→B while B→C) and cycles (A→B while B→A), and the
database checks the unique key after every row. So moves are written in waves: a record moves once the
occupant of its target has left, and one record of each cycle steps aside to a temporary id first.
"""

from __future__ import annotations

from dataclasses import dataclass

Slot = tuple[str, str, str]  # institution code, item id, period


@dataclass(frozen=True, slots=True)
class MovePlan:
    """The moves that can happen, and an order to write them in that never puts two records in one slot."""

    targets: dict[int, Slot]  # record id -> the slot it moves to, for every record that moves
    parked: tuple[int, ...]  # one record of each cycle, which steps aside to a temporary id before the waves
    waves: tuple[tuple[int, ...], ...]  # each wave's targets are empty once the waves before it are written


def plan_moves(sitting: dict[Slot, int], wanted: dict[int, Slot]) -> MovePlan:
    """Decide which wanted moves happen, and in which waves to write them.

    A slot is free when nobody sits in it or its occupant moves away itself. A record moves when its target
    is free: one whose target's occupant stays does not move, and neither does one waiting for it. The
    moves of a cycle all happen.

    Args:
        sitting: the record in each occupied slot, before any move.
        wanted: for each record that claims a slot, that slot; one claimant per slot at most.

    Returns:
        The moves that happen, the records to park, and the waves to write them in.
    """
    moving, parked = _movable(sitting, wanted)
    targets = {record_id: slot for record_id, slot in wanted.items() if record_id in moving}
    return MovePlan(targets, tuple(parked), _waves(sitting, targets, set(parked)))


def _movable(sitting: dict[Slot, int], wanted: dict[int, Slot]) -> tuple[set[int], list[int]]:
    """The records whose target is free, and one record of each cycle of moves."""
    fate: dict[int, bool] = {}
    parked: list[int] = []
    for start in wanted:
        # One claimant per slot means each record waits for at most one other and is awaited by at most
        # one: the moves form chains and cycles, and a walk from any record meets only its own.
        path: list[int] = []
        current: int | None = start
        while current in wanted and current not in fate and current not in path:
            path.append(current)
            current = sitting.get(wanted[current])
        if current in path:
            parked.append(current)
        moves = current is None or current in path or fate.get(current, False)
        fate.update(dict.fromkeys(path, moves))
    return {record_id for record_id, moves in fate.items() if moves}, parked


def _waves(sitting: dict[Slot, int], targets: dict[int, Slot], parked: set[int]) -> tuple[tuple[int, ...], ...]:
    """Group the moves by how many others must leave before each one's target is empty."""
    depth: dict[int, int] = {}
    for start in targets:
        path: list[int] = []
        current: int | None = start
        while current is not None and current not in depth:
            path.append(current)
            occupant = sitting.get(targets[current])
            current = None if occupant in parked else occupant  # a parked record has left its slot already
        level = -1 if current is None else depth[current]
        for record_id in reversed(path):
            level += 1
            depth[record_id] = level
    waves: dict[int, list[int]] = {}
    for record_id, level in depth.items():
        waves.setdefault(level, []).append(record_id)
    return tuple(tuple(sorted(waves[level])) for level in sorted(waves))
