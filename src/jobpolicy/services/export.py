"""The full export: every policy version, institution, record, piece of evidence, event and import batch, as one
JSON file or a folder of CSV files (schema: docs/export-format.md), read from one consistent snapshot.

Rows are streamed from the database and written one at a time, so a national database never sits in memory.
Files are written under temporary names and moved into place at the end: a failed export leaves the previous one
as it was. Only files this command wrote before are ever replaced (see ``_check_json_target`` and
``_check_csv_folder``).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, Engine, func, select
from sqlmodel import Session

from jobpolicy import clock, safe_files
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.errors import InvalidInput, ReportError, os_reason
from jobpolicy.render.export_rows import (
    CSV_ENCODING,
    FORMAT,
    MANIFEST,
    TABLES,
    Table,
    csv_row,
    header,
    json_row,
    manifest,
)
from jobpolicy.services._uow import reading
from jobpolicy.services.export_files import files_folder, write_files
from jobpolicy.services.labels import LABEL_KEY
from jobpolicy.services.scope import codes_within, schools_in, scope_condition
from jobpolicy.services.tracking import tracking_start
from jobpolicy.storage import migrate, repo
from jobpolicy.storage.models import CatalogItem, Event, Evidence, ImportBatch, Institution, PolicyVersion, Record

FORMATS = ("json", "csv")
BATCH = 2_000  # rows fetched per round trip; memory stays flat whatever the size of the database
_SOURCES = {"institutions": (Institution, "code"), "records": (Record, "id"), "evidence": (Evidence, "id"),
            "events": (Event, "id"), "import_batches": (ImportBatch, "id")}


@dataclass(frozen=True)
class ExportResult:
    """What was written: the file (JSON) or folder (CSV), the files in it, and the rows of each table."""

    path: Path
    fmt: str
    files: list[Path]
    counts: dict[str, int]
    scope: InstitutionScope = EVERYWHERE
    evidence_folder: Path | None = None  # with_files: where the evidence files and their manifest are
    evidence_files: int = 0


def export_all(engine: Engine, out: Path, *, fmt: str, scope: InstitutionScope = EVERYWHERE,
               with_files: bool = False) -> ExportResult:
    """Export everything in the database (or a scope's schools and what is theirs), from one consistent snapshot,
    as JSON (one file) or CSV (a folder).

    Args:
        engine: the database.
        out: the JSON file, or the folder for the CSV files (created if missing).
        fmt: ``json`` or ``csv``.
        scope: which schools: their rows, records, evidence, events and the import batches those events came
            from; every policy version either way. Default every school.
        with_files: also write the stored evidence files the rows cite, with a manifest of sha256s
            (``export_files``), from the same snapshot.

    Returns:
        Where it was written and how many rows each table had.

    Raises:
        InvalidInput: an unknown format.
        NotFound: a filter that matches no stored school.
        ReportError: ``out`` cannot be written, or holds something this command did not write.
        StorageError / SchemaMismatch: the database cannot be read.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"未知的导出格式“{fmt}”", hint="--format 只能是 json 或 csv")
    out = Path(os.path.abspath(out.expanduser()))
    check, write = (_check_json_target, _write_json) if fmt == "json" else (_check_csv_folder, _write_csv)
    check(out)
    with reading(_snapshot(engine)) as session:
        # reading() has checked that the database is at this code's head revision.
        schools_in(session, scope)  # a filter that matches no school says so, before anything is written
        head = header(exported_at=clock.now(), revision=migrate.head_revision(),
                      label=repo.get_setting(session=session, key=LABEL_KEY), tracking_start=tracking_start(session),
                      scope=scope.as_dict())
        result = write(session, scope, out, head)
        if with_files:
            folder = files_folder(out, fmt)
            count = write_files(session, folder, _within(scope, "evidence"))
            result = replace(result, evidence_folder=folder, evidence_files=count)
        return result


def _snapshot(engine: Engine) -> Engine:
    if engine.dialect.name == "postgresql":
        # READ COMMITTED (the default) gives every query its own snapshot; the tables must agree with each other.
        return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return engine  # SQLite: a read transaction under WAL sees one snapshot from its first read to its end


def _within(scope: InstitutionScope, table: str) -> ColumnElement | None:
    """The condition that keeps a table's rows of the scope's schools; None for every row."""
    if table == "institutions":
        return scope_condition(scope)
    events = codes_within(scope, Event.institution_code)
    if table == "events" or events is None:
        return events
    if table == "import_batches":  # the batches the exported events came from
        return ImportBatch.id.in_(select(Event.batch_id).where(events))
    records = codes_within(scope, Record.institution_code)
    return records if table == "records" else Evidence.record_id.in_(select(Record.id).where(records))


def _query(table: Table, scope: InstitutionScope) -> Any:
    if table.name == "policies":
        items = (select(func.count()).select_from(CatalogItem)
                 .where(CatalogItem.policy_version_id == PolicyVersion.id).scalar_subquery())
        columns = [PolicyVersion.__table__.c[name] for name in table.names[:-1]]
        return select(*columns, items).order_by(PolicyVersion.policy_id, PolicyVersion.loaded_at, PolicyVersion.id)
    model, key = _SOURCES[table.name]
    columns = model.__table__.c
    query = select(*(columns[name] for name in table.names)).order_by(columns[key])
    condition = _within(scope, table.name)
    return query if condition is None else query.where(condition)


def _rows(session: Session, table: Table, scope: InstitutionScope) -> Iterator[Sequence[Any]]:
    """The table's rows of the scope in the export's column order, fetched in batches (a server-side cursor on
    PostgreSQL)."""
    yield from session.execute(_query(table, scope).execution_options(yield_per=BATCH))


WRITE_HINT = "检查目录是否存在、是否有写入权限，或换一个 --out"


@contextmanager
def _writing(out: Path, what: str) -> Iterator[None]:
    """Turn a failure to write ``out`` into a one-line ReportError."""
    try:
        yield
    except OSError as exc:
        raise ReportError(f"无法写入{what} {out}（{os_reason(exc)}）", hint=WRITE_HINT) from exc


def _check_parents(out: Path, what: str) -> None:
    # mkdir under a file fails with "File exists", which would not tell anyone what is wrong.
    parent = next(p for p in out.parents if p.exists())
    if not parent.is_dir():
        raise ReportError(f"无法写入{what} {out}（{parent} 不是目录）", hint=WRITE_HINT)


def _is_previous_json(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(64)
    return not start or start.startswith(b'{"format": "' + FORMAT.encode() + b'"')


def _check_json_target(out: Path) -> None:
    _check_parents(out, "导出文件")
    safe_files.refuse_links(out)
    with _writing(out, "导出文件"):
        if out.is_dir():
            raise ReportError(f"{out} 是一个目录",
                              hint="JSON 导出写入一个文件，如 --out 导出.json；写入目录请用 --format csv")
        if out.exists() and not _is_previous_json(out):
            raise ReportError(f"文件 {out} 已存在，且不是以前导出的文件",
                              hint="换一个文件名；导出只覆盖自己以前写的文件")


def _is_previous_csv(folder: Path) -> bool:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def _check_csv_folder(out: Path) -> None:
    # The file names are plain (records.csv): refuse a folder of someone else's files, but allow the previous
    # export, so that a scheduled export can refresh the same folder every night.
    _check_parents(out, "导出目录")
    with _writing(out, "导出目录"):
        if out.exists() and not out.is_dir():
            raise ReportError(f"{out} 不是目录", hint="CSV 导出写入一个目录；写入单个文件请用 --format json")
        # a killed export's temporaries (safe_files) never make the folder look like someone else's
        if out.is_dir() and any(not safe_files.is_leftover(p) for p in out.iterdir()) and not _is_previous_csv(out):
            raise ReportError(f"目录 {out} 不为空，且不是以前导出的目录",
                              hint="换一个新目录或空目录；导出只覆盖自己以前写的文件")


@contextmanager
def _staged(targets: list[Path], encoding: str, within: Path | None = None) -> Iterator[list[IO[str]]]:
    """Open a temporary file next to each target; move them all into place only if everything was written
    (``safe_files``: flushed to disk, never through a link planted in the folder)."""
    with safe_files.replacing_all(targets, within=within, text=True, encoding=encoding, newline="") as handles:
        yield handles


def _write_json(session: Session, scope: InstitutionScope, out: Path, head: dict[str, Any]) -> ExportResult:
    counts: dict[str, int] = {}
    with _writing(out, "导出文件"):
        out.parent.mkdir(parents=True, exist_ok=True)
        with _staged([out], "utf-8") as (handle,):
            handle.write(json.dumps(head, ensure_ascii=False)[:-1])  # the object stays open: the tables follow
            for table in TABLES:
                handle.write(f",\n{json.dumps(table.name)}: [")
                count = 0
                for row in _rows(session, table, scope):
                    handle.write(",\n  " if count else "\n  ")
                    handle.write(json.dumps(json_row(table, row), ensure_ascii=False, allow_nan=False))
                    count += 1
                handle.write("\n]" if count else "]")
                counts[table.name] = count
            handle.write("\n}\n")
    return ExportResult(out, "json", [out], counts, scope)


def _write_csv(session: Session, scope: InstitutionScope, out: Path, head: dict[str, Any]) -> ExportResult:
    counts: dict[str, int] = {}
    files = [out / table.file for table in TABLES]
    with _writing(out, "导出目录"):
        safe_files.make_folder(out)
        with _staged(files, CSV_ENCODING, within=out) as handles:
            for table, handle in zip(TABLES, handles, strict=True):
                writer = csv.writer(handle)  # CRLF line ends and quoting as Excel expects (RFC 4180)
                writer.writerow(table.names)
                count = 0
                for row in _rows(session, table, scope):
                    writer.writerow(csv_row(row))
                    count += 1
                counts[table.name] = count
        # Written last: a folder whose manifest is current holds a complete export.
        with _staged([out / MANIFEST], "utf-8", within=out) as (handle,):
            handle.write(json.dumps(manifest(head, counts), ensure_ascii=False, indent=2) + "\n")
    return ExportResult(out, "csv", [*files, out / MANIFEST], counts, scope)
