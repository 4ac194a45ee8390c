"""The upward workflow: an office submits its records, the administrator accepts them or returns one.

A returned record stays 已退回 until the office changes it (any change makes it a draft again), so "returned and
unchanged since" is simply its review state; ``submit`` leaves such records out unless told to resend them, with a
note that goes into their history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.checklist_sheet import SheetRow
from jobpolicy.domain.status import Review
from jobpolicy.errors import InvalidInput
from jobpolicy.services._uow import writing
from jobpolicy.services.change_log import Provenance, set_review, touch
from jobpolicy.services.checklist_rows import checklist_rows
from jobpolicy.services.lookup import get_institution, resolve_item, resolve_period
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Institution, Record

RESEND_HINT = "按审核意见修改后再报送；确认原内容无误时加 --resend 说明"


@dataclass(frozen=True)
class ReviewResult:
    """The records whose review state changed."""

    institution_name: str
    records: list[Record]
    events: list[Event]


def change_review(records: list[Record], review: Review, reason: str | None, how: Provenance) -> list[Event]:
    """Set the review state (and reason) of records; return the events to store with them."""
    events: list[Event] = []
    for record in records:
        set_review(record, review.value, reason, how, events)
        touch(record, how)
    return events


@dataclass(frozen=True)
class SubmitResult(ReviewResult):
    """What ``submit`` sent, what it held back, and what is still not filled in."""

    resent: list[Record] = field(default_factory=list)  # returned and unchanged, sent again with a note
    held: list[Record] = field(default_factory=list)  # returned and unchanged, not sent
    unfilled: list[SheetRow] = field(default_factory=list)  # the checklist's rows with nothing recorded


def submit(engine: Engine, code: str, *, actor: str, resend: str | None = None,
           policy_id: str | None = None) -> SubmitResult:
    """Submit an institution's drafts for review; returned records only once changed, or with ``resend``.

    Args:
        engine: the database.
        code: 学校标识码.
        actor: who submits.
        resend: a note saying why returned records that have not changed are sent again as they are; it is
            recorded in their history. None: they are held back.
        policy_id: which policy, when several are loaded.

    Returns:
        The records sent (drafts first, then any resent), those held back, and the rows still 未填报.

    Raises:
        InvalidInput: nothing to send (or only returned records without ``resend``), or an empty ``resend``.
    """
    if resend is not None and not resend.strip():
        raise InvalidInput("原样再报送已退回的项时须写明说明", hint="例如 --resend 数据已核实无误，见佐证材料")
    at = clock.now()
    how = Provenance(actor=actor, at=at, source="命令 review submit")
    again = Provenance(actor=actor, at=at, source=f"命令 review submit --resend（说明：{(resend or '').strip()}）")
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        policy = current_policy(session, policy_id)
        records = repo.records_of(session=session, institution_code=institution.code, policy_id=policy.id)
        drafts = [r for r in records if r.review == Review.DRAFT]
        returned = [r for r in records if r.review == Review.RETURNED]
        resent, held = (returned, []) if resend is not None else ([], returned)
        if not drafts and not resent:
            raise _nothing_to_send(institution, held)
        events = change_review(drafts, Review.SUBMITTED, None, how) + change_review(resent, Review.SUBMITTED, None,
                                                                                     again)
        repo.add(session=session, rows=[*drafts, *resent, *events])
        rows = checklist_rows(policy, institution, records, {}, clock.today(), None)
        unfilled = [row for row in rows if not row.recorded]
        return SubmitResult(institution.name, [*drafts, *resent], events, resent, held, unfilled)


def _nothing_to_send(institution: Institution, held: list[Record]) -> InvalidInput:
    if not held:
        return InvalidInput(f"{institution.name} 没有待报送的记录", hint="先用 jobpolicy record set 填报")
    items = "、".join(dict.fromkeys(r.item_id for r in held))
    return InvalidInput(f"{institution.name} 没有可报送的记录：{len(held)} 项已退回但尚未修改（{items}）",
                        hint=f"{RESEND_HINT}（jobpolicy todo {institution.code} 列出审核意见）")


def accept(engine: Engine, code: str, item_ids: list[str], *, actor: str, policy_id: str | None = None) -> ReviewResult:
    """Accept submitted records: all of them, or those of the given items.

    Raises:
        InvalidInput: a named item has nothing submitted, or nothing at all is submitted.
    """
    how = Provenance(actor=actor, at=clock.now(), source="命令 review accept")
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        policy = current_policy(session, policy_id)
        submitted = [r for r in repo.records_of(session=session, institution_code=institution.code,
                                                policy_id=policy.id) if r.review == Review.SUBMITTED]
        if item_ids:
            wanted = {resolve_item(policy, institution, i).id for i in item_ids}
            missing = sorted(wanted - {r.item_id for r in submitted})
            if missing:
                raise InvalidInput(f"检查项 {'、'.join(missing)} 没有已报送待审核的记录",
                                   hint=f"运行 jobpolicy record show {institution.code} 查看审核状态")
            submitted = [r for r in submitted if r.item_id in wanted]
        if not submitted:
            raise InvalidInput(f"{institution.name} 没有已报送待审核的记录",
                               hint="学校需先运行 jobpolicy review submit")
        events = change_review(submitted, Review.ACCEPTED, None, how)
        repo.add(session=session, rows=[*submitted, *events])
        return ReviewResult(institution.name, submitted, events)


def return_item(engine: Engine, code: str, item_id: str, reason: str, *, actor: str, period: str | None = None,
                policy_id: str | None = None) -> ReviewResult:
    """Return a submitted or accepted item to the office, with the reason.

    Raises:
        InvalidInput: no reason, a period that names no period of the item, or the item has no submitted or
            accepted record.
    """
    if not reason or not reason.strip():
        raise InvalidInput("退回时须写明理由", hint="加上 --reason 理由")
    how = Provenance(actor=actor, at=clock.now(), source="命令 review return")
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        policy = current_policy(session, policy_id)
        item = resolve_item(policy, institution, item_id)
        label = resolve_period(item, period, clock.today()) if period is not None else None
        records = [r for r in repo.records_of(session=session, institution_code=institution.code,
                                              policy_id=policy.id, item_id=item.id)
                   if r.review in (Review.SUBMITTED, Review.ACCEPTED) and label in (None, r.period)]
        if not records:
            raise InvalidInput(f"检查项 {item.id} 没有已报送或已审核的记录，无法退回",
                               hint=f"运行 jobpolicy record show {institution.code} {item.id} 查看")
        events = change_review(records, Review.RETURNED, reason.strip(), how)
        repo.add(session=session, rows=[*records, *events])
        return ReviewResult(institution.name, records, events)
