"""Records counted through mappings: a line of one policy reads the record kept under another policy's item.

The rule is ``domain.mapping.counted_source``; ``services.status`` says the same in SQL. Records are read per source
policy in one query for every institution asked about, never per institution.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.mapping import Source, counted_source, sources_onto
from jobpolicy.services.as_of import RecordState, read_states
from jobpolicy.services.mappings import current_mappings
from jobpolicy.storage.models import Record


def mapped_sources(session: Session, policy: Policy) -> dict[str, list[Source]]:
    """Every item of ``policy`` that items of other loaded policies map onto (current versions), with those items."""
    return sources_onto(policy.id, current_mappings(session, policy.id))


def counted_sources(session: Session, policy: Policy) -> dict[str, Source]:
    """The source each item of ``policy`` counts a record of when it has none of its own (``counted_source``)."""
    found = {item: counted_source(sources) for item, sources in mapped_sources(session, policy).items()}
    return {item: source for item, source in found.items() if source is not None}


def read_counted_states(session: Session, policy: Policy, *, where: list[ColumnElement], until: datetime | None,
                        scope: ColumnElement | None = None, evidence: bool = False,
                        items: set[str] | None = None) -> list[RecordState]:
    """The states a policy's lines count: its own records, and for a line without one the record of its counted
    source in the same period, under the line's item id with ``via`` saying where it is kept.

    Args:
        where: conditions on ``Record`` naming the institutions (and, optionally, nothing else about the policy).
        until, scope, evidence: as ``as_of.read_states``.
        items: only the lines of these items of ``policy``; default every item.
    """
    wanted = [] if items is None else [Record.item_id.in_(sorted(items))]
    states = read_states(session, where=[Record.policy_id == policy.id, *wanted, *where], until=until, scope=scope,
                         evidence=evidence)
    own = {(s.institution_code, s.item_id, s.period) for s in states}
    pairs = [(item_id, source) for item_id, source in counted_sources(session, policy).items()
             if items is None or item_id in items]
    for state in _through(session, pairs, where=where, until=until, scope=scope, evidence=evidence):
        if (state.institution_code, state.item_id, state.period) not in own:
            states.append(state)
    states.sort(key=lambda s: (s.institution_code, s.item_id, s.period))
    return states


def read_partial_states(session: Session, policy: Policy, *, where: list[ColumnElement], until: datetime | None,
                        scope: ColumnElement | None = None) -> list[RecordState]:
    """The records of the items mapped onto ``policy``'s items only in part (``subset``, ``intersect`` read from
    them): partial evidence, shown beside a line and never counted. Under the line's item id, with ``via``."""
    pairs = [(item_id, source) for item_id, sources in mapped_sources(session, policy).items()
             for source in sources if not source.relation.full]
    return list(_through(session, pairs, where=where, until=until, scope=scope, evidence=False))


def _through(session: Session, pairs: list[tuple[str, Source]], *, where: list[ColumnElement],
             until: datetime | None, scope: ColumnElement | None, evidence: bool) -> Iterator[RecordState]:
    """The records kept under the sources of ``pairs`` (line item, source), as the line's item with ``via``: one
    query per source policy for every institution ``where`` names."""
    by_policy: dict[str, dict[str, list[tuple[str, Source]]]] = {}
    for item_id, source in pairs:
        by_policy.setdefault(source.policy_id, {}).setdefault(source.item_id, []).append((item_id, source))
    for policy_id, kept in by_policy.items():
        condition = [Record.policy_id == policy_id, Record.item_id.in_(sorted(kept)), *where]
        for state in read_states(session, where=condition, until=until, scope=scope, evidence=evidence):
            for item_id, source in kept[state.item_id]:
                yield replace(state, item_id=item_id, via=source)
