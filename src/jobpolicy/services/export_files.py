"""The evidence files of an export (``export --with-files``): each stored file the exported rows cite, once,
with a manifest of sha256s, so that an archive or another system gets the files themselves, checkable.

The folder is ``<sha256 prefix>/<the office's file name, made valid on Windows>`` (as in a report) and
``manifest.csv``: sha256, size, path in the folder, and the names the file was recorded under. Files come from the
same snapshot as the rows, each read from the store checked against its sha256.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import ColumnElement, select
from sqlmodel import Session

from jobpolicy.errors import ReportError
from jobpolicy.render.report_files import write_file
from jobpolicy.render.site import evidence_file_name
from jobpolicy.storage.evidence_store import store_for
from jobpolicy.storage.models import Evidence

FILES_MANIFEST = "manifest.csv"
OPTION = "--with-files"


def files_folder(out: Path, fmt: str) -> Path:
    """Where an export's files go: ``evidence`` inside a CSV folder; beside a JSON file, ``<name>.evidence``."""
    return out / "evidence" if fmt == "csv" else out.with_name(out.name + ".evidence")


def write_files(session: Session, folder: Path, within: ColumnElement | None) -> int:
    """Write every stored file the evidence rows ``within`` selects (withdrawn ones too) into ``folder``, and its
    manifest; return how many files.

    Raises:
        ReportError: ``folder`` holds something an export did not write, or cannot be written.
        StorageError: a file is missing or altered in the store.
    """
    if folder.exists() and not (folder / FILES_MANIFEST).is_file():
        raise ReportError(f"{folder} 已存在，且不是 jobpolicy 导出的佐证材料文件夹，不会覆盖",
                          hint="换一个 --out 路径，或先移走该文件夹")
    query = select(Evidence.sha256, Evidence.name).where(Evidence.stored).distinct()
    names: dict[str, list[str]] = {}
    for sha256, name in session.execute(query if within is None else query.where(within)):
        names.setdefault(sha256, []).append(name)
    store = store_for(session)
    manifest = io.StringIO()
    table = csv.writer(manifest, lineterminator="\r\n")
    table.writerow(["sha256", "size", "path", "names"])
    for sha256, found in sorted(names.items()):
        data = store.read(session, sha256)
        path = evidence_file_name(sha256, sorted(found)[0]).removeprefix("evidence/")
        write_file(folder / path, data, option=OPTION)
        table.writerow([sha256, len(data), path, "；".join(sorted(found))])
    write_file(folder / FILES_MANIFEST, ("\ufeff" + manifest.getvalue()).encode("utf-8"), option=OPTION)
    return len(names)
