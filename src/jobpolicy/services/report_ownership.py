"""Which run of a report folder owns which file, so a run can remove what it wrote before and no longer writes.

A folder holds one summary and any number of single schools' pages (``report institution`` into the same ``--out``).
Each kind of run is an owner: ``summary`` (whatever its scope: a narrower summary replaces a wider one, as its
``index.html`` does) and ``institution:<code>``. A file belongs to the last run that wrote it. After a run has put
all its files in place, the files it owned before, wrote no more, and no other run owns are stale: the folder then
holds the current report only. A file the tool never recorded (the user's own) is never stale.
"""

from __future__ import annotations

from collections.abc import Iterable

SUMMARY = "summary"


def institution_owner(code: str) -> str:
    """The owner of the files ``report institution`` wrote for the school ``code``."""
    return f"institution:{code}"


def hand_over(files: dict[str, list[str]], owner: str, written: Iterable[str]) -> tuple[dict[str, list[str]],
                                                                                         list[str]]:
    """Who owns what after ``owner`` wrote ``written`` (``files``: owner -> names, as the state file keeps it), and
    the names ``owner`` wrote before that are now stale. ``files`` itself is left as it was."""
    now = set(written)
    after = {other: kept for other, names in files.items() if other != owner
             if (kept := [name for name in names if name not in now])}
    elsewhere = {name for names in after.values() for name in names}
    stale = sorted(set(files.get(owner, ())) - now - elsewhere)
    after[owner] = sorted(now)
    return after, stale
