"""Code the SIGKILL file tests run in child processes (importable, so 'spawn' can find it): write the same files
again and again until killed."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def checklists_until_killed(url: str, codes: list[str], out: str, fmt: str, ready: Any) -> None:
    """Export the schools' checklists into one folder over and over."""
    from jobpolicy.services.checklist_exchange import export_checklists
    from jobpolicy.storage.db import make_engine

    engine = make_engine(url)
    while True:
        export_checklists(engine, codes, Path(out), fmt=fmt)
        ready.set()


def page_write_stalled(out: str, ready: Any) -> None:
    """Write a new index page, and hang with its bytes written but not yet in place (where a kill hurts most)."""
    import time

    from jobpolicy import safe_files
    from jobpolicy.render.report_files import FolderWriter

    def stall(fd: int) -> None:
        ready.set()
        time.sleep(600)

    safe_files.os.fsync = stall  # this child's own module; it never returns
    writer = FolderWriter(Path(out))
    writer.open()
    writer.write("index.html", "<html>新的页面" + "很长的内容" * 200_000)
