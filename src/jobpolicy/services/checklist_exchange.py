"""The spreadsheet round trip offices live in: export one checklist file per institution, import them back.

Export writes an XLSX workbook (or a CSV) per institution, pre-filled with what is recorded; import reads the
filled-in files safely (``sheet_files``), checks what each claims, and applies each file in one transaction
(``checklist_import``). Formats: ``domain.checklist_sheet``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path

from sqlalchemy import ColumnElement, Engine

from jobpolicy import clock, safe_files
from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.checklist_cells import ParsedSheet, parse_sheet
from jobpolicy.domain.checklist_sheet import AUTHOR, NEW_SHEET_HINT, SheetMeta
from jobpolicy.domain.file_names import refuse_windows_unsafe, safe_file_name
from jobpolicy.domain.institution_scope import InstitutionScope
from jobpolicy.domain.periods import parse_period
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.render.checklist_csv import csv_bytes
from jobpolicy.render.checklist_workbook import workbook_bytes
from jobpolicy.render.record_views import local_time
from jobpolicy.render.report_files import write_file
from jobpolicy.services._uow import check_clock, reading, writing
from jobpolicy.services.checklist_import import ON_CONFLICT, FileImport, FileResult, Sender
from jobpolicy.services.checklist_rows import checklist_rows, evidence_refs
from jobpolicy.services.evidence_package import opened
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.scope import codes_within, schools_in
from jobpolicy.services.sheet_files import is_checklist_file, read_sheet_file
from jobpolicy.services.stored_catalogs import CurrentPolicies, current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution, Record

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class ExportedFile:
    """One written checklist file."""

    path: Path
    code: str
    name: str
    rows: int


@dataclass(frozen=True)
class ExportResult:
    """What ``export_checklists`` wrote, and for which schools: a filter's (``scope``), or those named (None)."""

    files: list[ExportedFile]
    fmt: str
    policy_key: str
    scope: InstitutionScope | None = None
    folder: Path | None = None  # where a filter's files went, as an absolute path


def export_checklists(engine: Engine, schools: Sequence[str] | InstitutionScope, out: Path | str | None = None, *,
                      fmt: str | None = None, period: str | None = None,
                      policy_id: str | None = None) -> ExportResult:
    """Write each institution's checklist, pre-filled with its current records, for its office to fill in.

    Every school's records and evidence are read in one query each, and each school's file is written as its
    records stream in: a province's or the nation's schools never sit in memory at once.

    Args:
        engine: the database.
        schools: the institutions, each by 学校标识码 or name (see ``lookup.get_institution``), or a filter
            (``services.scope.resolve_scope``): its schools.
        out: with one institution, a ``.xlsx``/``.csv`` file or a folder; with several, a folder (created).
            Default: for a filter a folder named after it (``山西省-专科-清单``), else the current folder.
        fmt: ``xlsx`` or ``csv``; default: from the suffix of ``out``, else ``xlsx``.
        period: the period of recurring items (e.g. ``2025``) where their cadence has it; default: the one
            ``record set`` would use.
        policy_id: which policy, when several are loaded.

    Returns:
        The files written, one per institution.

    Raises:
        NotFound: an institution or the policy is not in the database, or a filter matches no stored school.
        InvalidInput: no school given, a bad code, format, period or output path, or an existing file that is
            not a checklist.
        ReportError: a file cannot be written.
    """
    scope = schools if isinstance(schools, InstitutionScope) else None
    out = _default_out(scope) if out is None else Path(out)
    at, today = clock.now(), clock.today()
    with reading(engine) as session:
        institutions, where = _schools(session, schools)
        fmt = _format(fmt, out, len(institutions))
        policy = current_policy(session, policy_id)
        _check_period(policy, institutions, period)
        targets = _targets(out, fmt, institutions)
        proofs = evidence_refs(repo.evidence_refs_where(session=session, policy_id=policy.id, where=where))
        records = repo.records_where(session=session, policy_id=policy.id, where=where)
        written = []
        for school, mine, target in zip(institutions, _per_school(institutions, records), targets, strict=True):
            rows = checklist_rows(policy, school, mine, proofs, today, period)
            meta = SheetMeta(policy.id, policy.version, school.code, school.name, at.isoformat(timespec="seconds"))
            title = f"{school.name}（{school.code}）  {policy.display_title} {policy.key}  导出于 {local_time(at)}"
            write_file(target, workbook_bytes(meta, rows, title=title) if fmt == "xlsx" else csv_bytes(meta, rows),
                       option="--out", within=None if target == out else out)
            written.append(ExportedFile(target, school.code, school.name, len(rows)))
    folder = Path(os.path.abspath(out)) if scope is not None else None
    return ExportResult(written, fmt, policy.key, scope, folder)


def _default_out(scope: InstitutionScope | None) -> Path:
    return Path(safe_file_name(f"{scope.file_stem}-清单")) if scope is not None else Path(".")


def _schools(session, schools: Sequence[str] | InstitutionScope) -> tuple[list[Institution], ColumnElement]:
    """The institutions to export, by code, and the condition on ``Record`` that reads theirs.

    Raises:
        InvalidInput: no code and no filter, or a malformed code.
        NotFound: a code not added, or a filter that matches no stored school.
    """
    if isinstance(schools, InstitutionScope):
        if schools.everything:
            raise InvalidInput("没有给出学校标识码，也没有给出筛选条件",
                               hint="例如 jobpolicy checklist export 4114010108，或按省份导出每校一个文件："
                                    "jobpolicy checklist export --province 山西")
        found = sorted(schools_in(session, schools), key=lambda school: school.code)
        condition = codes_within(schools, Record.institution_code)
        return found, condition
    if not schools:
        raise InvalidInput("没有给出学校", hint="例如 jobpolicy checklist export 4114010108 --out 清单.xlsx")
    # each by 学校标识码 or name (see ``lookup.get_institution``); a school named twice gets one file
    found = {school.code: school for school in (get_institution(session, text) for text in schools)}
    wanted = sorted(found)
    return [found[code] for code in wanted], Record.institution_code.in_(wanted)


def _per_school(institutions: list[Institution], records: Iterator[Record]) -> Iterator[list[Record]]:
    """Each institution's records, in the order of ``institutions`` (by code), from one stream ordered by code."""
    groups = groupby(records, key=lambda record: record.institution_code)
    pending = next(groups, None)
    for school in institutions:
        while pending is not None and pending[0] < school.code:  # records of a school not exported
            pending = next(groups, None)
        if pending is not None and pending[0] == school.code:
            yield list(pending[1])
            pending = next(groups, None)
        else:
            yield []


def _check_period(policy: Policy, institutions: list[Institution], period: str | None) -> None:
    """Refuse a period that no recurring item on these schools' checklists has, before anything is written."""
    if period is None:
        return
    kinds = {(school.level, school.province) for school in institutions}
    items = {item.id: item for level, province in kinds
             for item in policy.institution_items(level=level, province=province)}
    if not any(item.cadence is not None and parse_period(item.cadence, period) for item in items.values()):
        raise InvalidInput(f"期次“{period}”不是这些学校清单上任何周期性事项的有效期次",
                           hint="按年的事项写 2025 或 2025年，按月的写 2025-09 或 2025年9月")


def _format(fmt: str | None, out: Path, count: int) -> str:
    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput(f"格式“{fmt}”无效", hint="可选：xlsx、csv")
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        return fmt or "xlsx"
    if count > 1:
        raise InvalidInput(f"导出 {count} 所学校时 --out 须是文件夹，不能是 .{suffix} 文件",
                           hint="例如 --out 清单/2025")
    if fmt is not None and fmt != suffix:
        raise InvalidInput(f"--out 的扩展名 .{suffix} 与 --format {fmt} 不一致", hint=f"写成 --out 文件名.{fmt}")
    return suffix


def _targets(out: Path, fmt: str, institutions: list[Institution]) -> list[Path]:
    """Where each file goes; an existing file is replaced only when it is a checklist jobpolicy exported."""
    if out.suffix.lower().lstrip(".") in FORMATS:
        refuse_windows_unsafe(out, option="--out")
        targets = [out]
    else:
        if out.exists() and not out.is_dir():
            raise InvalidInput(f"--out {out} 是已存在的文件，不是文件夹", hint="换一个 --out 路径")
        if out.name:
            refuse_windows_unsafe(out, option="--out")
        targets = [out / safe_file_name(f"{school.code}-{school.name}", f".{fmt}") for school in institutions]
    for target in targets:
        safe_files.refuse_links(target, within=None if target == out else out)  # before the first file is written
        if target.exists() and not is_checklist_file(target):
            raise InvalidInput(f"{target} 已存在，且不是 jobpolicy 导出的清单，不会覆盖",
                               hint="换一个 --out 路径，或先移走该文件")
    return targets


@dataclass
class ImportResult:
    """What ``import_checklists`` did with each file."""

    files: list[FileResult]
    dry_run: bool
    on_conflict: str

    @property
    def wrote(self) -> bool:
        """Whether any file went into the database (not in a dry run, not when every file failed)."""
        return any(f.written for f in self.files)

    def failure(self) -> InvalidInput | None:
        """The error to exit with (code 3) when a file was refused, had a row in error or was stopped by a
        conflict; None when every file went in (or, in a dry run, would)."""
        failed = [f for f in self.files if f.failed]
        if not failed:
            return None
        hint = "按上面每一行的原因修改文件后重新导入；冲突可改用 --on-conflict skip 或 update"
        if len(failed) > 1:
            names = "、".join(f.path.name for f in failed)
            return InvalidInput(f"{len(failed)} 个文件未导入（{names}），这些文件没有改动任何数据", hint=hint)
        file = failed[0]
        if file.refused is not None:
            return InvalidInput(f"{file.path.name}：{file.refused.message}", hint=file.refused.hint)
        errors, conflicts = file.count_of("error"), file.count_of("conflict")
        why = f"有 {errors} 行错误" if errors else f"有 {conflicts} 行冲突（--on-conflict stop）"
        return InvalidInput(f"{file.path.name} 未导入：{why}，没有改动任何数据", hint=hint)


class _Discard(Exception):
    """Leave the transaction without committing (dry run, a failed file, or nothing to write)."""


def import_checklists(engine: Engine, paths: Sequence[Path | str], *, importer: str, on_conflict: str = "stop",
                      dry_run: bool = False, draft: bool = False, author: str | None = None) -> ImportResult:
    """Import filled-in checklist files, each all or nothing in its own transaction.

    A school's returned workbook is its 报送: the rows it changed and the rows it confirmed (确认报送) go in as
    submitted, each event under the name of the workbook's 填报人, the batch under the importer's.

    Args:
        engine: the database.
        paths: .xlsx or .csv files exported by ``export_checklists`` and filled in.
        importer: who is importing, recorded on each file's batch.
        on_conflict: a row whose record changed since the export: ``stop`` (the file is not imported),
            ``skip`` (that row is left out) or ``update`` (the row is applied anyway).
        dry_run: judge every row, write nothing.
        draft: keep what the files change as drafts (not submitted), and ignore 确认报送.
        author: the 填报人 of files that leave it blank (format 1 files have none).

    Returns:
        Per file: refused (and why), or every row's result, and whether it was written and as which batch.
        A file without a 填报人 is refused, unless ``author`` or ``draft`` is given.

    Raises:
        InvalidInput: ``on_conflict`` is not one of stop, skip, update.
    """
    if on_conflict not in ON_CONFLICT:
        raise InvalidInput(f"--on-conflict “{on_conflict}”无效", hint="可选：stop、skip、update")
    at = clock.now()
    check_clock(engine)  # once: every file's changes are stamped ``at``
    sender = Sender(importer=importer, author=(author or "").strip(), submit=not draft)
    policies = CurrentPolicies(engine)
    with _set_aside_from_collection():
        files = [_import_file(engine, Path(p), on_conflict=on_conflict, dry_run=dry_run, sender=sender, at=at,
                              policies=policies) for p in paths]
    return ImportResult(files, dry_run, on_conflict)


@contextmanager
def _set_aside_from_collection() -> Iterator[None]:
    """Keep what exists now (the libraries, the parsed catalog) out of the cycle collector's way until the files
    are imported: reading a workbook allocates millions of objects, and every full collection they set off would
    walk all of those again (1–1.5 ms of CPU a file). Given back to the collector afterwards, so nothing leaks."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _sender(parsed: ParsedSheet, given: Sender) -> Sender:
    """Who this file comes from: its 填报人 and 联系电话, else the ``author`` given.

    Raises:
        InvalidInput: a 报送 without a 填报人.
    """
    author = parsed.author or given.author
    if not author and given.submit:
        if parsed.meta.fmt == "1":
            raise InvalidInput(f"这是旧版清单（格式 1），没有“{AUTHOR}”一栏，无法作为报送导入",
                               hint=f"导入时加 --author 姓名 注明填报人，或加 --draft 作为草稿导入；{NEW_SHEET_HINT}")
        raise InvalidInput(f"清单第 2 行的“{AUTHOR}”为空，不知道是谁报送的",
                           hint="请学校填上填报人姓名后重新发送；或导入时加 --author 姓名，或加 --draft 作为草稿导入")
    return replace(given, author=author, phone=parsed.phone)


def _import_file(engine: Engine, path: Path, *, on_conflict: str, dry_run: bool, sender: Sender, at,
                 policies: CurrentPolicies) -> FileResult:
    result = FileResult(path)
    try:
        with opened(path) as workbook:
            result.workbook = workbook
            read = read_sheet_file(workbook)
            result.sha256, result.encoding = read.sha256, read.encoding
            parsed = parse_sheet(read.raw)
            result.meta, result.ignored = parsed.meta, parsed.ignored
            result.sender = _sender(parsed, sender)
            with writing(engine, clock_checked=True) as session:
                FileImport(session, parsed, result, sender=result.sender, at=at, on_conflict=on_conflict,
                           apply=not dry_run, policies=policies).run()
                if dry_run or result.failed or not result.batch_id:
                    raise _Discard
                result.written = True
    except _Discard:
        pass
    except (InvalidInput, NotFound) as exc:  # the file itself, or what it claims, is not acceptable
        result.refused = exc if isinstance(exc, InvalidInput) else InvalidInput(exc.message, hint=exc.hint)
        result.rows, result.written, result.batch_id = [], False, None
    if not result.written:
        result.batch_id = None
    return result
