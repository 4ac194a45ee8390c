"""The evidence files a report carries: each stored file its pages cite, copied into the report folder.

A report folder is sent on its own (zipped, on a USB stick, by e-mail), so each page links to a copy inside it
(``render.site.evidence_file_name``), never to the store. Each copy is read from the store checked against its
sha256, one at a time, so a report never holds all its files in memory and never passes on an altered file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from sqlalchemy import Engine

from jobpolicy.render.site import evidence_file_name
from jobpolicy.services._uow import reading
from jobpolicy.storage.evidence_store import store_for


def cited_files(lines: Iterable[Any]) -> dict[str, str]:
    """The stored files the checklist ``lines`` cite: where each copy goes in the folder → its sha256."""
    wanted: dict[str, str] = {}
    for line in lines:
        for evidence in line.state.evidence if line.state is not None else ():
            if evidence.kind == "file" and evidence.stored:
                wanted[evidence_file_name(evidence.sha256, evidence.name)] = evidence.sha256
    return wanted


def evidence_copies(engine: Engine, lines: Iterable[Any], *,
                    skip: Collection[str] = ()) -> Iterator[tuple[str, bytes]]:
    """Each stored file ``lines`` cite, as (name in the report folder, its bytes), read one at a time; the names in
    ``skip`` (copied already) left out.

    Raises:
        StorageError: a cited file is missing or altered in the store (``db check`` lists them all).
    """
    wanted = {name: sha256 for name, sha256 in cited_files(lines).items() if name not in skip}
    if not wanted:
        return
    with reading(engine) as session:
        store = store_for(session)
        for name, sha256 in sorted(wanted.items()):
            yield name, store.read(session, sha256)
