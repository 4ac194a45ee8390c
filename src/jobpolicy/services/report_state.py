"""The report folder's state file, ``.jobpolicy-report.json``: the as-of date and window of change of each school's page
and each summary (by its scope), and the files each run wrote (``services.report_ownership``). The previous report
is the one the reader has, so the folder, not the database, remembers it (``services.reports``)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from jobpolicy import safe_files
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.errors import ReportError, os_reason
from jobpolicy.services.report_ownership import hand_over

STATE_FILE = ".jobpolicy-report.json"
STATE_FORMAT = 1
DEFAULT_WINDOW_DAYS = 30
ALL = "all"  # the state-file key of a summary without a filter (the others are keyed by the filter in words)
SINCE_GIVEN = "按 --since 指定"
SINCE_PREVIOUS = "上次汇总报告（本目录）的数据截至日期"
SINCE_DEFAULT = f"本目录没有更早的汇总报告，默认取 {DEFAULT_WINDOW_DAYS} 天前"


def load_state(out_dir: Path) -> dict:
    """The folder's state file: ``institutions`` (by code) and ``summaries`` (by scope), each an as-of and a window;
    ``files``, the files written by each owner (``services.report_ownership``).

    Raises:
        UnsafePath: the state file is a link (someone planted it; it is neither read nor written through).
    """
    safe_files.refuse_links(out_dir / STATE_FILE, within=out_dir)
    try:
        data = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if data.get("format") != STATE_FORMAT:
        data = {}
    files = data.get("files")  # a list spoilt by hand is dropped: nothing is removed on its word
    files = {owner: names for owner, names in files.items() if isinstance(names, list)
             and all(isinstance(name, str) for name in names)} if isinstance(files, dict) else {}
    return {"institutions": data.get("institutions", {}), "summaries": data.get("summaries", {}), "files": files}


def save_state(out_dir: Path, state: dict) -> None:
    """Write the folder's state file, whole or not at all (``safe_files.write_text``).

    Raises:
        ReportError: the folder cannot be written.
    """
    text = json.dumps({"format": STATE_FORMAT, **state}, ensure_ascii=False, indent=1, sort_keys=True)
    try:
        safe_files.write_text(out_dir / STATE_FILE, text + "\n", within=out_dir)
    except OSError as exc:
        raise ReportError(f"无法写入报告目录 {out_dir}（{os_reason(exc)}）",
                          hint="检查目录权限或换一个 --out 目录") from exc


def settle(out_dir: Path, state: dict, owner: str, written: frozenset[str]) -> None:
    """Record what ``owner``'s run wrote and remove what its previous run wrote and no run writes now.

    Called once every page is in place; the stale names stay listed until they are gone, so a run killed in between
    leaves them for the next run to remove rather than unlisted for ever.
    """
    files, stale = hand_over(state["files"], owner, written)
    state["files"] = {**files, owner: sorted({*files[owner], *stale})}
    save_state(out_dir, state)
    if stale:
        safe_files.remove_files(out_dir, stale)
        state["files"] = files
        save_state(out_dir, state)


def window_of(previous: dict | None, as_of: date, since: date | None) -> tuple[date, str]:
    """Where a window of change starts, and why: ``--since``; else the previous report's as-of date; else 30 days
    back. The same as-of date again reuses the previous window, and its reason."""
    if since is not None:
        return since, SINCE_GIVEN
    if previous and previous["as_of"] == as_of.isoformat():
        return date.fromisoformat(previous["since"]), previous.get("why", SINCE_PREVIOUS)
    if previous and previous["as_of"] < as_of.isoformat():
        return date.fromisoformat(previous["as_of"]), SINCE_PREVIOUS
    return as_of - timedelta(days=DEFAULT_WINDOW_DAYS), SINCE_DEFAULT


def summary_key(scope: InstitutionScope) -> str:
    """Under which key the folder's state file remembers the summaries of ``scope``: one per filter."""
    return ALL if scope.everything else scope.label
