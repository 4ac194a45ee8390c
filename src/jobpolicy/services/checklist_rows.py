"""The rows of an institution's checklist file, in the one order the sheet and ``jobpolicy todo`` share.

Every item on the institution's checklist, once, in catalog order (system, measure, item), in the period to fill
in: ``once`` for one-off items, the given or still-owed occurrence for recurring ones.
"""

from __future__ import annotations

from datetime import date

from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_text import heading_label
from jobpolicy.domain.checklist_sheet import SheetRow, sheet_row
from jobpolicy.domain.periods import ONCE, parse_period
from jobpolicy.domain.standing import policy_deadline
from jobpolicy.domain.status import Status
from jobpolicy.services.lookup import resolve_period
from jobpolicy.storage.models import Evidence, Institution, Record

PREFILLED = ("status", "progress", "department", "owner", "due", "value", "note", "na_reason", "review",
             "review_reason")


def checklist_rows(policy: Policy, school: Institution, records: list[Record], evidence: list[Evidence], today: date,
                   period: str | None) -> list[SheetRow]:
    """One institution's rows, pre-filled with its records (``records`` and ``evidence`` may hold others')."""
    mine = {(r.item_id, r.period): r for r in records if r.institution_code == school.code}
    proofs: dict[int, list[str]] = {}
    for proof in evidence:
        proofs.setdefault(proof.record_id, []).append(proof.ref if proof.kind == "url" else proof.name)
    applicable = {item.id for item in policy.institution_items(level=school.level, province=school.province)}
    rows = []
    for section in policy.sections:
        for measure in section.measures:
            for item in (i for i in measure.items if i.id in applicable):
                closed = frozenset(p for (i, p), r in mine.items() if i == item.id and Status(r.status).closed)
                chosen = sheet_period(item, period, today, closed)
                record = mine.get((item.id, chosen))
                recorded = None if record is None else {name: getattr(record, name) for name in PREFILLED}
                rows.append(sheet_row(item=item, section=heading_label(section), measure=heading_label(measure),
                                      period=chosen, deadline=policy_deadline(item, chosen),
                                      institution_code=school.code,
                                      revision=record.revision if record else 0, recorded=recorded,
                                      evidence=proofs.get(record.id, []) if record else []))
    return rows


def sheet_period(item: Item, wanted: str | None, today: date, closed: frozenset[str]) -> str:
    """The period of an item's row: ``once``, the wanted one (in any spelling) where the cadence has it, else the one
    owed."""
    if item.cadence is None:
        return ONCE
    label = parse_period(item.cadence, wanted) if wanted is not None else None
    return label or resolve_period(item, None, today, closed)
