"""Importing one filled-in checklist file: check what it claims, then judge and apply it row by row.

A school's returned workbook is its 报送: the rows it changed, and the unchanged rows it confirmed (确认报送 是),
go in as submitted, under the name of the workbook's 填报人; the importer is recorded on the batch. With
``submit`` off (``checklist import --draft``) they go in as drafts, as an office's own edits do.

A file is judged row by row in memory against its school's records (read in one query), then, when nothing in
it failed, written all at once (``change_writes``: a few ``executemany`` statements), all or nothing in one
transaction. A row is:
- 无变化 when every non-blank cell already equals the record (so importing a file twice changes nothing);
- 确认报送 when nothing in it changed but the school confirmed it, and its record is a draft;
- 冲突 when it would change a record whose revision moved since the export (``on_conflict`` decides: ``stop``
  keeps the whole file out, ``skip`` leaves that row, ``update`` applies it; blanks never overwrite either way);
- 错误 when a cell is invalid, or the item is unknown, not on the checklist or not in the exported file;
- 更新 otherwise.
Only the fields that really change are handed to ``recording.judge_change`` (the rule ``record set`` follows
too): restating a pre-filled status is not a new statement, so it neither writes an event nor clears a 待重新评估
flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PureWindowsPath

from sqlmodel import Session

from jobpolicy.clock import CHINA
from jobpolicy.domain.catalog import Item
from jobpolicy.domain.catalog_text import missed_target
from jobpolicy.domain.cell_text import cut_problem, is_cut, unedited
from jobpolicy.domain.checklist_cells import CellError, CellProblem, ParsedSheet, RowInput, sheet_period
from jobpolicy.domain.checklist_sheet import LABELS, NEW_SHEET_HINT, SheetMeta
from jobpolicy.domain.status import Review, Status
from jobpolicy.domain.values import is_web_url
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.services.change_log import Provenance, set_review, touch
from jobpolicy.services.change_writes import write_judged
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.lookup import resolve_item as _resolve_item
from jobpolicy.services.recording import (
    Change,
    Judged,
    check_package,
    found_evidence,
    judge_change,
    new_record,
)
from jobpolicy.services.stored_catalogs import CurrentPolicies
from jobpolicy.storage import bulk, repo
from jobpolicy.storage.models import Evidence, ImportBatch, Record

ON_CONFLICT = ("stop", "skip", "update")


class Outcome(StrEnum):
    """What happened to one row."""

    UPDATED = "updated"
    CONFIRMED = "confirmed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    ERROR = "error"

    @property
    def label(self) -> str:
        """Chinese label for result lines."""
        return {"updated": "更新", "confirmed": "确认报送", "unchanged": "无变化", "conflict": "冲突",
                "error": "错误"}[self.value]


RETURNED_UNCHANGED = "已退回且未作修改，未再报送：请按审核意见修改，或在备注中说明原内容无误"
CONFIRMED_EMPTY = "确认报送，但该项尚未填报（状态为空），未报送"


@dataclass(frozen=True)
class Sender:
    """Who a file comes from and who brings it in."""

    importer: str  # ``--by``: recorded on the batch
    author: str = ""  # the workbook's 填报人; blank only in a draft import that has none
    phone: str = ""
    submit: bool = True  # the school's 报送; False: ``--draft``

    @property
    def actor(self) -> str:
        """Whose work the events record: the 填报人, or the importer when a draft names nobody."""
        return self.author or self.importer


@dataclass(frozen=True)
class FieldChange:
    """One field a row changes (or would change): field name, value recorded, value in the file."""

    field: str
    old: object
    new: object


@dataclass
class RowResult:
    """The verdict on one row of a file."""

    sheet: str
    row: int
    item_id: str | None
    period: str | None = None
    outcome: Outcome = Outcome.UNCHANGED
    changes: list[FieldChange] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    exported_revision: int | None = None
    current_revision: int | None = None
    accepted: bool = False  # the change goes in (or would, in a dry run) if the file is written
    warnings: list[str] = field(default_factory=list)  # accepted, but worth a second look


@dataclass
class FileResult:
    """The verdict on one file: refused outright, or every row's result and whether the file was written."""

    path: Path  # as given: a checklist file, or a package (a folder or .zip holding one and its evidence)
    workbook: Path | None = None  # the checklist file itself; cited evidence files are beside it
    sha256: str | None = None
    encoding: str | None = None
    meta: SheetMeta | None = None
    institution_name: str | None = None
    rows: list[RowResult] = field(default_factory=list)
    refused: InvalidInput | None = None
    ignored: list[str] = field(default_factory=list)  # headers of columns that were not read
    missing: int | None = None  # exported rows not in the file (XLSX only: a CSV has no list of them)
    stopped: bool = False  # conflicts with on_conflict=stop kept the file out
    written: bool = False
    batch_id: int | None = None
    sender: Sender | None = None
    notes: list[str] = field(default_factory=list)  # about the file as a whole

    def count_of(self, outcome: str) -> int:
        """How many rows had this outcome (``updated``, ``unchanged``, ``conflict``, ``error``)."""
        return sum(1 for row in self.rows if row.outcome.value == outcome)

    @property
    def changed(self) -> int:
        """Rows that change the database (or would, in a dry run)."""
        return sum(1 for row in self.rows if row.accepted)

    @property
    def failed(self) -> bool:
        """Refused, a row in error, or stopped by a conflict: nothing of the file is written."""
        return self.refused is not None or self.stopped or self.count_of(Outcome.ERROR) > 0


class FileImport:
    """The import of one parsed file inside one write transaction."""

    def __init__(self, session: Session, parsed: ParsedSheet, result: FileResult, *, sender: Sender, at: datetime,
                 on_conflict: str, apply: bool, policies: CurrentPolicies) -> None:
        """Check what the file claims against the database (``policies``: the command's, read once for all files).

        Raises:
            InvalidInput: another policy version than the current one, or a malformed institution code.
            NotFound: the institution or the policy is not in the database.
        """
        self.session, self.parsed, self.result = session, parsed, result
        self.sender, self.at, self.on_conflict, self.apply = sender, at, on_conflict, apply
        self.today = at.astimezone(CHINA).date()
        meta = parsed.meta
        self.institution = get_institution(session, meta.institution_code, lock=True)
        self.policy = policies.current(session, meta.policy_id)
        if self.policy.version != meta.policy_version:
            raise InvalidInput(f"文件是按政策 {meta.policy_key} 导出的，数据库中该政策的当前版本是 {self.policy.key}",
                               hint=f"{NEW_SHEET_HINT}（按 {self.policy.key} 导出），把已填的内容转填后再导入")
        result.institution_name = self.institution.name
        # changed in memory, written by ``write_judged``
        records, evidence = bulk.school_records(session=session, institution_code=self.institution.code,
                                                policy_id=self.policy.id)
        self.records: dict[tuple[str, str], Record] = {(r.item_id, r.period): r for r in records}
        self.cited: dict[int, list[Evidence]] = {}
        self.known: dict[int, set[tuple[str, str, str | None]]] = {}
        for proof in evidence:
            if proof.withdrawn_at is not None:
                continue
            self.cited.setdefault(proof.record_id, []).append(proof)
            self.known.setdefault(proof.record_id, set()).add((proof.kind, proof.ref, proof.sha256))
            self.known[proof.record_id].add(("name", proof.name, None))
        self.seen: dict[tuple[str, str], int] = {}
        self.files: dict[str, Path] = {}  # the evidence files the rows bring, by sha256, to store
        self.package_bytes = 0
        self.accepted: list[tuple[Item, RowResult, Change]] = []  # to write once every row is judged

    def run(self) -> None:
        """Judge every row, then, when the file may be written, write its batch and every accepted row at once."""
        for row in self.parsed.rows:
            self.result.rows.append(self._row(row))
        if self.parsed.revisions is not None:
            self.result.missing = len(set(self.parsed.revisions) - set(self.seen))
        confirmed = sum(1 for row in self.parsed.rows if row.confirm)
        if confirmed and not self.sender.submit:
            self.result.notes.append(f"按草稿导入（--draft）：{confirmed} 行填了“确认报送”，未报送")
        if self.apply and self.accepted and not self.result.failed:
            batch_id = self._batch()
            write_judged(self.session, [self._judged(*accepted, batch_id) for accepted in self.accepted])
            self.result.batch_id = batch_id

    def _problem(self, row: RowInput, key: str | None, message: str) -> CellProblem:
        return self.parsed.problem(row, key, message)

    def _row(self, row: RowInput) -> RowResult:
        result = RowResult(row.sheet, row.row, row.item_id, problems=list(row.problems))
        item = self._item(row, result)
        if item is None or result.period is None:
            return self._error(result)
        key = (item.id, result.period)
        record = self.records.get(key)
        evidence = self._evidence(row, record, result)
        values = self._changed(row, record, result)
        self._reason(row, record, values, result)
        result.exported_revision = row.revision if row.revision is not None else (self.parsed.revisions or {}).get(key)
        result.current_revision = record.revision if record is not None else 0
        if result.problems:
            return self._error(result)
        result.changes = [FieldChange(n, getattr(record, n) if record else None, v) for n, v in values.items()]
        result.changes += [FieldChange("evidence", None, e.ref if e.kind == "url" else e.name) for e in evidence]
        confirmed = self._confirmed(row, record, result)
        if not result.changes and not confirmed:
            return result
        self._target(item, record, values, result)
        conflict = result.exported_revision != result.current_revision
        result.outcome = Outcome.CONFLICT if conflict else Outcome.UPDATED if result.changes else Outcome.CONFIRMED
        if conflict and self.on_conflict == "stop":
            self.result.stopped = True
        elif not conflict or self.on_conflict == "update":
            result.accepted = True
            files = {e.sha256: self.files[e.sha256] for e in evidence if e.kind == "file"}
            self.accepted.append((item, result, Change(values, tuple(evidence), files)))
        return result

    def _changed(self, row: RowInput, record: Record | None, result: RowResult) -> dict[str, object]:
        """The row's values that differ from the record: not a text cut with our mark, nor one a spreadsheet
        rewrote (``domain.cell_text``), which nobody edited; a cut text that was edited is a problem."""
        values = {}
        for name, value in row.values.items():
            stored = getattr(record, name) if record is not None else None
            if stored == value:
                continue
            if isinstance(value, str) and is_cut(value):
                problem = cut_problem(value, stored)
                if problem is not None:
                    result.problems.append(self._problem(row, name, f"{LABELS[name]}{problem}"))
                continue
            if isinstance(value, str) and unedited(value, stored):
                continue
            values[name] = value
        return values

    def _confirmed(self, row: RowInput, record: Record | None, result: RowResult) -> bool:
        """Whether an unchanged row is submitted because the school confirmed it (a changed row always is)."""
        if not row.confirm or result.changes or not self.sender.submit:
            return False
        if record is None:
            result.warnings.append(CONFIRMED_EMPTY)
            return False
        if record.review == Review.RETURNED:
            result.warnings.append(RETURNED_UNCHANGED)  # the same rule as review submit: fix it, or say why not
            return False
        return record.review == Review.DRAFT

    def _target(self, item: Item, record: Record | None, values: dict[str, object], result: RowResult) -> None:
        """Warn of 已完成 with a value that misses its target, where the row states either."""
        if "status" in values or "value" in values:
            status = values.get("status", record.status if record else None)
            warning = missed_target(item, status, values.get("value", record.value if record else None))
            if warning:
                result.warnings.append(warning)

    def _error(self, result: RowResult) -> RowResult:
        result.outcome = Outcome.ERROR
        return result

    def _item(self, row: RowInput, result: RowResult) -> Item | None:
        """The row's item and period (set on ``result``), each checked, and the row checked to be exported once."""
        if row.item_id is None:
            return None
        try:
            item = _resolve_item(self.policy, self.institution, row.item_id)
            result.period = sheet_period(item, row.period, self.today)
        except (NotFound, InvalidInput) as exc:
            result.problems.append(self._problem(row, "item", exc.message))
            return None
        except CellError as exc:
            result.problems.append(self._problem(row, "period", str(exc)))
            return item
        key = (item.id, result.period)
        if key in self.seen:
            result.problems.append(self._problem(row, None, f"与第 {self.seen[key]} 行重复（同一检查项、同一期次）"))
        else:
            self.seen[key] = row.row
        if self.parsed.revisions is not None and key not in self.parsed.revisions:
            result.problems.append(self._problem(row, None, "不在导出的清单中：请不要新增行，也不要改动编号和期次"))
        return item

    def _evidence(self, row: RowInput, record: Record | None, result: RowResult) -> list[Evidence]:
        """New evidence in the row: links, and files next to the imported file; what is recorded is skipped."""
        known = self.known.get(record.id, set()) if record is not None else set()
        found: list[Evidence] = []
        for token in dict.fromkeys(row.evidence):
            if ("url", token, None) in known or ("name", token, None) in known:
                continue
            try:
                evidence, path = found_evidence(self._evidence_path(token), shown=token)
                self._count(evidence)
            except InvalidInput as exc:
                result.problems.append(self._problem(row, "evidence", exc.message))
                continue
            triple = (evidence.kind, evidence.ref, evidence.sha256)
            if triple not in known and all((e.kind, e.ref, e.sha256) != triple for e in found):
                found.append(evidence)
                if path is not None:
                    self.files[evidence.sha256] = path
        return found

    def _count(self, evidence: Evidence) -> None:
        """Add a file to the package's total, refusing the file that takes it over the limit."""
        if evidence.kind == "file" and evidence.sha256 not in self.files:
            self.package_bytes += evidence.size or 0
            check_package(len(self.files) + 1, self.package_bytes, where="本文件的")

    def _evidence_path(self, token: str) -> str:
        """A link as it is; a file only inside the imported file's folder, so a file cannot make us read others.

        Raises:
            InvalidInput: a file outside that folder, or none there.
        """
        if is_web_url(token) or "://" in token or token.lower().startswith(("javascript:", "data:")):
            return token
        base = (self.result.workbook or self.result.path).resolve().parent
        # Offices type Windows paths (材料\名单.pdf); a province may import on Linux, where \ is no separator.
        path = base.joinpath(*PureWindowsPath(token).parts).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            raise InvalidInput(f"佐证材料“{token}”既不是 http(s) 链接，也不在清单所在的文件夹或压缩包中")
        return str(path)

    def _reason(self, row: RowInput, record: Record | None, values: dict[str, object], result: RowResult) -> None:
        """不适用 needs a reason: the 不适用理由 column; else, as in format 1 which has no such column, the 备注."""
        status = values.get("status", record.status if record else None)
        if status != Status.NOT_APPLICABLE or values.get("na_reason") or (record is not None and record.na_reason):
            return
        reason = row.values.get("note") or (record.note if record else None)
        if reason:
            values["na_reason"] = reason
        elif "na_reason" in self.parsed.letters:
            result.problems.append(self._problem(row, "na_reason", "状态为“不适用”时须在“不适用理由”列写明理由"))
        else:
            result.problems.append(self._problem(row, "status", "状态为“不适用”时须在备注中写明理由"))

    def _judged(self, item: Item, result: RowResult, change: Change, batch_id: int) -> Judged:
        """What one accepted row writes: its change (``recording.judge_change``), or, confirmed as it stands, its
        submission."""
        how = Provenance(actor=self.sender.actor, at=self.at, batch_id=batch_id,
                         source=f"导入批次 #{batch_id}（{self.result.path.name}）")
        period = result.period or ""
        record = self.records.get((item.id, period))
        if not result.changes:  # confirmed as it stands
            events: list = []
            set_review(record, Review.SUBMITTED.value, None, how, events)
            touch(record, how)
            return Judged(record, False, events)
        created = record is None
        if record is None:
            record = new_record(institution_code=self.institution.code, policy_id=self.policy.id, item_id=item.id,
                                period=period, change=change, how=how, plain=True)
        review = Review.SUBMITTED if self.sender.submit else Review.DRAFT
        return judge_change(record, change, how, review=review, created=created,
                            cited=[] if created else self.cited.get(record.id, []))

    def _batch(self) -> int:
        """The batch of this file, written with its counts once every row is judged: its id."""
        meta, sender = self.parsed.meta, self.sender
        batch = dict(file_name=self.result.path.name, sha256=self.result.sha256 or "", policy_key=meta.policy_key,
                     institution_code=self.institution.code, imported_by=sender.importer, imported_at=self.at,
                     author=sender.author, phone=sender.phone, submitted=sender.submit, rows=len(self.parsed.rows),
                     changed=self.result.changed)
        return repo.insert_one(session=self.session, model=ImportBatch, row=batch)
