"""Recording: change one record, writing the new state and one event per changed field in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from jobpolicy import clock
from jobpolicy.domain.catalog import Item, Policy
from jobpolicy.domain.catalog_text import missed_target
from jobpolicy.domain.evidence_files import HEAD_BYTES, SIZE_HINT, TYPE_HINT, size_problem, type_problem
from jobpolicy.domain.limits import MAX_PACKAGE_BYTES, MAX_PACKAGE_FILES, megabytes, number_problem, require_date
from jobpolicy.domain.status import Review, Status, parse_status, status_choices, status_refusal
from jobpolicy.domain.values import DATE_EXAMPLES, date_problem, is_web_url, normalise, parse_number, parse_user_date
from jobpolicy.errors import InvalidInput
from jobpolicy.services._uow import writing
from jobpolicy.services.change_log import (
    TRACKED,
    Provenance,
    evidence_label,
    make_event,
    set_field,
    set_review,
    touch,
)
from jobpolicy.services.lookup import get_institution, resolve_item, resolve_period
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.services.tracking import institution_start
from jobpolicy.storage import repo
from jobpolicy.storage.evidence_store import store_for
from jobpolicy.storage.models import Event, Evidence, Institution, Record


@dataclass(frozen=True)
class RawChange:
    """What an office typed, as text; ``None`` leaves a field as it is. Validated by ``parse_change``."""

    status: str | None = None
    progress: str | None = None
    owner: str | None = None
    department: str | None = None
    due: str | None = None
    value: str | None = None
    note: str | None = None
    na_reason: str | None = None
    evidence: tuple[str, ...] = ()
    withdraw: tuple[str, ...] = ()  # names (or links) of evidence to withdraw


@dataclass(frozen=True)
class Change:
    """A validated change: field values to set, evidence to attach (``files``: where each file to store is, by
    sha256), evidence to withdraw (by name)."""

    values: dict[str, object]
    evidence: tuple[Evidence, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)
    withdraw: tuple[str, ...] = ()


@dataclass
class SetResult:
    """What one ``record set`` changed."""

    institution: Institution
    item: Item
    period: str
    record: Record
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # accepted, but worth a second look (a missed target)

    @property
    def changed(self) -> bool:
        return bool(self.events)


def _text(value: str | None) -> str | None:
    return None if value is None else value.strip()


def parse_change(raw: RawChange, *, base: Path | None = None) -> Change:
    """Validate what was typed.

    Raises:
        InvalidInput: a value is not acceptable; the message names the field and the accepted forms.
    """
    values: dict[str, object] = {}
    if raw.status is not None:
        status = parse_status(raw.status)
        if status is None:
            raise InvalidInput(status_refusal(raw.status), hint=f"可选：{status_choices()}")
        values["status"] = status.value
    if raw.progress is not None:
        number = parse_number(raw.progress)
        if number is None or number != int(number) or not 0 <= number <= 100:
            raise InvalidInput(f"进度“{raw.progress}”无效", hint="进度是 0 到 100 之间的整数（百分比）")
        values["progress"] = int(number)
    if raw.due is not None:
        due = parse_user_date(raw.due)
        if due is None:
            raise InvalidInput(f"完成时限“{raw.due}”{date_problem(raw.due)}", hint=f"可写作 {DATE_EXAMPLES}")
        values["due"] = require_date(due, "完成时限")
    if raw.value is not None:
        number = parse_number(raw.value)
        if number is None:
            raise InvalidInput(f"指标值“{raw.value}”不是数字", hint="只填数字，如 480、1200 或 1.2，不用下划线分隔")
        if (why := number_problem(number)) is not None:
            raise InvalidInput(f"指标值“{raw.value}”{why}", hint="只填数字，如 480 或 1.2")
        values["value"] = number
    for name in ("owner", "department", "note", "na_reason"):
        text = _text(getattr(raw, name))
        if text is not None:
            values[name] = text or None
    found = [found_evidence(ref, base=base) for ref in raw.evidence]
    files = {e.sha256: path for e, path in found if path is not None}
    check_package(len(files), sum(e.size or 0 for e, path in found if path is not None))
    withdraw = tuple(dict.fromkeys(name.strip() for name in raw.withdraw if name.strip()))
    return Change(values, tuple(e for e, _ in found), files, withdraw)


def check_package(count: int, total: int, where: str = "本次") -> None:
    """Refuse more files, or more bytes, than one package may hold (``limits.MAX_PACKAGE_*``).

    Raises:
        InvalidInput: too many files or bytes; nothing is stored.
    """
    if count > MAX_PACKAGE_FILES or total > MAX_PACKAGE_BYTES:
        raise InvalidInput(f"{where}佐证材料已有 {count} 个文件、{megabytes(total)}，超过上限（"
                           f"{MAX_PACKAGE_FILES} 个、{megabytes(MAX_PACKAGE_BYTES)}）",
                           hint="分几次报送，或压缩扫描件的分辨率")


def found_evidence(ref: str, *, base: Path | None = None, shown: str | None = None) -> tuple[Evidence, Path | None]:
    """``describe_evidence``, and for a file where it is, so that it can be stored."""
    evidence = describe_evidence(ref, base=base, shown=shown)
    return evidence, _located(ref, base) if evidence.kind == "file" else None


def _located(ref: str, base: Path | None) -> Path:
    path = Path(normalise(ref)).expanduser()
    return base / path if base is not None and not path.is_absolute() else path


def describe_evidence(ref: str, *, base: Path | None = None, shown: str | None = None) -> Evidence:
    """An evidence row for an http(s) URL, or for an existing file of an accepted type and size, to be stored
    (size and sha256; ``apply_change`` stores the file itself). ``shown`` is what the row records as the file's
    place instead of its path on this machine (e.g. its name inside a returned package).

    Raises:
        InvalidInput: neither a web link nor an existing file; a file of a type or size not accepted.
    """
    text = normalise(ref)
    if is_web_url(text):
        return Evidence(kind="url", ref=text, name=text, added_at=clock.now())
    if "://" in text or text.lower().startswith(("javascript:", "data:", "file:")):
        raise InvalidInput(f"佐证链接“{ref}”无效：只接受 http:// 或 https:// 链接", hint="或给出本机上存在的文件路径")
    path = _located(text, base)
    if not path.is_file():
        raise InvalidInput(f"佐证材料“{ref}”既不是 http(s) 链接，也不是存在的文件",
                           hint="检查文件路径，或给出以 http:// 或 https:// 开头的链接")
    size = path.stat().st_size
    if (why := size_problem(size)) is not None:
        raise InvalidInput(f"佐证材料“{path.name}”{why}", hint=SIZE_HINT)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        if (why := type_problem(path.name, head)) is not None:
            raise InvalidInput(f"佐证材料“{path.name}”{why}", hint=TYPE_HINT)
        digest.update(head)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return Evidence(kind="file", ref=shown or str(path.resolve()), name=path.name, size=size,
                    sha256=digest.hexdigest(), added_at=clock.now(), stored=True)


@dataclass
class Judged:
    """One change judged against a record in memory, nothing written yet: the record as it becomes (new when
    ``created``), the events it writes, the evidence it attaches or withdraws, and the files to store."""

    record: Record
    created: bool
    events: list[Event]
    evidence: list[Evidence] = field(default_factory=list)
    withdrawn: list[Evidence] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)


def new_record(*, institution_code: str, policy_id: str, item_id: str, period: str, change: Change,
               how: Provenance, plain: bool = False) -> Record:
    """The record a change creates: its status is the one the change states, else 未启动. ``plain``: as a
    ``repo.PlainRow``, for changes written by ``change_writes``, not by the session."""
    initial = change.values.get("status", Status.NOT_STARTED.value)
    make = repo.plain_row if plain else repo.new_row
    return make(Record, dict(institution_code=institution_code, policy_id=policy_id, item_id=item_id, period=period,
                             status=initial, status_at=how.at, updated_at=how.at, updated_by=how.actor))


def judge_change(record: Record, change: Change, how: Provenance, *, review: Review, created: bool,
                 cited: list[Evidence]) -> Judged:
    """Apply a validated change to a record in memory (``cited``: its evidence not withdrawn): the one rule of
    what a change writes, shared by ``apply_change`` and the batched import.

    An office's edit puts the record in ``review``: back to draft (a submitted, accepted or returned record
    included), or, for a school's 报送 (its returned workbook), submitted.

    Raises:
        InvalidInput: 不适用 without a reason; a name to withdraw that the record does not cite.
    """
    status = change.values.get("status", record.status)
    reason = change.values.get("na_reason", record.na_reason)
    if status == Status.NOT_APPLICABLE and not reason:
        raise InvalidInput(f"将 {record.item_id} 标为“不适用”时须说明理由", hint="加上 --reason 理由")
    judged = Judged(record, created, [])
    events = judged.events
    if created:
        events.append(make_event(record, "status", None, record.status, how))
    for name in TRACKED:
        if name in change.values:
            set_field(record, name, change.values[name], how, events)
    if record.reassess and "status" in change.values:
        # Stating the status again after a catalog change is the re-assessment the flag asked for.
        set_field(record, "reassess", False, how, events)
        set_field(record, "reassess_reason", None, how, events)
    _judge_evidence(judged, change, how, cited)
    if events and record.review != review:
        # A draft keeps the province's reason beside it until it is submitted again, which clears it.
        reason = None if review is Review.SUBMITTED else record.review_reason
        set_review(record, review.value, reason, how, events)
    if events:
        touch(record, how)
    return judged


def _judge_evidence(judged: Judged, change: Change, how: Provenance, cited: list[Evidence]) -> None:
    """The change's new evidence (a file the record already cites, unwithdrawn, is not attached twice) and what
    it withdraws, each with its event.

    Raises:
        InvalidInput: a name to withdraw that the record does not cite.
    """
    record, events = judged.record, judged.events
    known = {(e.kind, e.ref, e.sha256) for e in cited}
    for evidence in change.evidence:
        if (evidence.kind, evidence.ref, evidence.sha256) in known:
            continue
        if evidence.sha256 in change.files:
            judged.files[evidence.sha256] = change.files[evidence.sha256]
        evidence.record_id, evidence.added_at, evidence.added_by = record.id, how.at, how.actor
        judged.evidence.append(evidence)
        events.append(make_event(record, "evidence", None, evidence_label(evidence), how))
    for name in change.withdraw:
        matching = [e for e in cited if name in (e.name, e.ref)]
        if not matching:
            shown = "、".join(e.name for e in cited) or "无"
            raise InvalidInput(f"{record.item_id} 没有名为“{name}”的佐证材料", hint=f"现有佐证材料：{shown}")
        for evidence in matching:
            evidence.withdrawn_at, evidence.withdrawn_by = how.at, how.actor
            judged.withdrawn.append(evidence)
            events.append(make_event(record, "evidence", evidence_label(evidence), None, how))


def store_files(session: Session, judged: list[Judged]) -> None:
    """Store the evidence files the changes attach (once each, under its sha256), in the same transaction."""
    files = {sha256: path for one in judged for sha256, path in one.files.items()}
    if files:
        store = store_for(session)
        for sha256, path in files.items():
            store.put(session, path, expected=sha256)


def apply_change(session: Session, *, institution: Institution, policy: Policy, item: Item, period: str,
                 change: Change, how: Provenance, review: Review = Review.DRAFT) -> tuple[Record, list[Event]]:
    """Apply a validated change to one record, creating it if needed; return it and the events written
    (``judge_change`` says what; the ORM writes it: one change, as ``record set`` makes).

    Raises:
        InvalidInput: 不适用 without a reason; a name to withdraw that the record does not cite.
    """
    record = repo.get_record(session=session, institution_code=institution.code, policy_id=policy.id,
                             item_id=item.id, period=period)
    created = record is None
    if record is None:
        record = new_record(institution_code=institution.code, policy_id=policy.id, item_id=item.id, period=period,
                            change=change, how=how)
        repo.add(session=session, rows=[record])
    cited = [e for e in repo.evidence_of(session=session, record_ids=[record.id]) if e.withdrawn_at is None]
    judged = judge_change(record, change, how, review=review, created=created, cited=cited)
    store_files(session, [judged])
    if judged.events:
        repo.add(session=session, rows=[record, *judged.evidence, *judged.withdrawn, *judged.events])
    return record, judged.events


def set_record(engine: Engine, code: str, item_id: str, raw: RawChange, *, actor: str, period: str | None = None,
               policy_id: str | None = None, source: str = "命令 record set") -> SetResult:
    """Change one record of one institution, in one transaction with its events.

    Args:
        engine: the database.
        code: 学校标识码.
        item_id: the checklist item, e.g. ``support.16.a``.
        raw: the values as typed; ``None`` leaves a field unchanged.
        actor: who is recording.
        period: the occurrence of a recurring item (default: the one due next); ``once`` otherwise.
        policy_id: which policy, when several are loaded.
        source: what made the change, shown in history.

    Returns:
        The record after the change, the events written (none when nothing changed), and warnings: 已完成
        with an indicator value that misses its target is recorded, and said.

    Raises:
        NotFound: unknown institution or item.
        InvalidInput: any value, the period or the item's applicability is wrong; nothing is written.
    """
    change = parse_change(raw)
    if not change.values and not change.evidence and not change.withdraw:
        raise InvalidInput("没有要修改的内容", hint="至少给出 --status、--owner、--value、--evidence 等一项")
    how = Provenance(actor=actor, at=clock.now(), source=source)
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        policy = current_policy(session, policy_id)
        item = resolve_item(policy, institution, item_id)
        closed = frozenset(r.period for r in repo.records_of(session=session, institution_code=institution.code,
                                                             policy_id=policy.id, item_id=item.id)
                           if Status(r.status).closed)
        period = resolve_period(item, period, clock.today(), closed, institution_start(session, institution))
        record, events = apply_change(session, institution=institution, policy=policy, item=item, period=period,
                                      change=change, how=how)
        stated = events and ("status" in change.values or "value" in change.values)
        warning = missed_target(item, record.status, record.value) if stated else ""
        return SetResult(institution, item, period, record, events, [warning] if warning else [])
