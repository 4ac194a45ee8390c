"""The upward workflow: an office submits its records, the administrator accepts them or returns one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.status import Review
from jobpolicy.errors import InvalidInput
from jobpolicy.services._uow import writing
from jobpolicy.services.change_log import Provenance, set_review, touch
from jobpolicy.services.lookup import get_institution, resolve_item
from jobpolicy.services.policies import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Event, Record


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


def submit(engine: Engine, code: str, *, actor: str, policy_id: str | None = None) -> ReviewResult:
    """Submit every draft or returned record of an institution for review.

    Raises:
        InvalidInput: nothing is waiting to be submitted.
    """
    how = Provenance(actor=actor, at=clock.now(), source="命令 review submit")
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        policy = current_policy(session, policy_id)
        records = [r for r in repo.records_of(session=session, institution_code=institution.code, policy_id=policy.id)
                   if r.review in (Review.DRAFT, Review.RETURNED)]
        if not records:
            raise InvalidInput(f"{institution.name} 没有待报送的记录", hint="先用 jobpolicy record set 填报")
        events = change_review(records, Review.SUBMITTED, None, how)
        repo.add(session=session, rows=[*records, *events])
        return ReviewResult(institution.name, records, events)


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
        InvalidInput: no reason, or the item has no submitted or accepted record.
    """
    if not reason or not reason.strip():
        raise InvalidInput("退回时须写明理由", hint="加上 --reason 理由")
    how = Provenance(actor=actor, at=clock.now(), source="命令 review return")
    with writing(engine) as session:
        institution = get_institution(session, code, lock=True)
        policy = current_policy(session, policy_id)
        item = resolve_item(policy, institution, item_id)
        records = [r for r in repo.records_of(session=session, institution_code=institution.code,
                                              policy_id=policy.id, item_id=item.id)
                   if r.review in (Review.SUBMITTED, Review.ACCEPTED) and (period is None or r.period == period)]
        if not records:
            raise InvalidInput(f"检查项 {item.id} 没有已报送或已审核的记录，无法退回",
                               hint=f"运行 jobpolicy record show {institution.code} {item.id} 查看")
        events = change_review(records, Review.RETURNED, reason.strip(), how)
        repo.add(session=session, rows=[*records, *events])
        return ReviewResult(institution.name, records, events)
