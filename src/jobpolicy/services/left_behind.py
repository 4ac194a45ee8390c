"""Records no checklist shows any more, kept and reachable: nothing recorded is ever dropped (design §2).

A newer catalog version may remove an item, or merge several into one (the first moves, the others stay under their
old id); a school's level or province may change so that an item no longer applies to it. Their records stay as they
were and no longer count; ``record show`` lists them after the checklist, and ``record show``/``record history``
reach each one by its item id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.services.as_of import RecordState, read_states
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Institution, Record

NOT_IN_VERSION = "当前版本 {key} 中已没有此检查项（删除，或合并到其他检查项）"
NOT_FOR_SCHOOL = "此检查项不在本校的清单上（不由高校落实，或不适用于本校）"


@dataclass(frozen=True)
class LeftBehind:
    """A record under an item its school's checklist no longer shows: its state, the item's last title, and why."""

    state: RecordState
    title: str | None
    why: str


def left_behind(session: Session, policy: Policy, institution: Institution, *, item_id: str | None = None,
                until: datetime | None = None) -> list[LeftBehind]:
    """The institution's records of ``policy`` whose item is not on its checklist (only ``item_id``'s, if given),
    as they stood at ``until`` (default now), by item and period."""
    on_checklist = [item.id for item in policy.institution_items(level=institution.level,
                                                                 province=institution.province)]
    where = [Record.institution_code == institution.code, Record.policy_id == policy.id,
             Record.item_id.not_in(on_checklist)]
    if item_id is not None:
        where.append(Record.item_id == item_id)
    states = read_states(session, where=where, until=until, scope=Event.institution_code == institution.code,
                         evidence=True)
    titles = repo.item_titles(session=session, policy_id=policy.id, item_ids=(s.item_id for s in states))
    known = {item.id for item in policy.items()}
    return [LeftBehind(state, titles.get(state.item_id),
                       NOT_FOR_SCHOOL if state.item_id in known else NOT_IN_VERSION.format(key=policy.key))
            for state in sorted(states, key=lambda s: (s.item_id, s.period))]
