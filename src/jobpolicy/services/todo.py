"""An office's to-do: what needs it now, in the order of its checklist file.

Four groups, each in the workbook's order (catalog order, then period), every item in the first group it falls
in: items the province returned (with its reason), items overdue or due within N days (from the deadlines
service, so "due" means what it means there), items never filled in (未填报), and drafts not yet submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from jobpolicy.domain.catalog import Policy
from jobpolicy.domain.checklist_sheet import HEADER_ROW
from jobpolicy.domain.status import Review, Status
from jobpolicy.services._uow import reading
from jobpolicy.services.checklist_rows import checklist_rows
from jobpolicy.services.deadlines import list_deadlines
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.stored_catalogs import current_policy
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution, Record


@dataclass(frozen=True)
class TodoLine:
    """One item in one period that needs the office."""

    item_id: str
    title: str
    period: str
    row: int | None  # its row in the checklist file exported today; None for an occurrence not on it
    status: str | None  # None: nothing recorded
    reason: str | None = None  # the province's reason, for a returned item
    due: date | None = None  # the policy's deadline (the office's plan date does not move it)
    days_left: int | None = None  # due within the window (0: today)
    days_late: int | None = None  # overdue


@dataclass
class Todo:
    """An institution's to-do on ``as_of``."""

    institution: Institution
    policy: Policy
    as_of: date
    within_days: int
    returned: list[TodoLine] = field(default_factory=list)
    due: list[TodoLine] = field(default_factory=list)
    unfilled: list[TodoLine] = field(default_factory=list)
    drafts: list[TodoLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.returned or self.due or self.unfilled or self.drafts)


def office_todo(engine: Engine, code: str, *, within_days: int = 30, policy_id: str | None = None) -> Todo:
    """What an institution's office has to do now, in the order of its checklist file.

    Args:
        engine: the database.
        code: 学校标识码.
        within_days: how far ahead "due" reaches, in days.
        policy_id: which policy, when several are loaded.

    Returns:
        Returned items, items overdue or due within ``within_days``, items never filled in, and drafts.

    Raises:
        NotFound: unknown institution or policy.
        InvalidInput: a negative ``within_days``.
    """
    deadlines = list_deadlines(engine, institution=code, within_days=within_days, policy_id=policy_id)
    with reading(engine) as session:
        institution = get_institution(session, code)
        policy = current_policy(session, policy_id)
        records = repo.records_of(session=session, institution_code=institution.code, policy_id=policy.id)
    rows = checklist_rows(policy, institution, records, {}, deadlines.as_of, None)
    numbers = {(row.item_id, row.period): HEADER_ROW + 1 + index for index, row in enumerate(rows)}
    order = {item.id: index for index, item in enumerate(policy.items())}
    titles = {item.id: item.title for item in policy.items()}
    todo = Todo(institution, policy, deadlines.as_of, within_days)
    seen: set[tuple[str, str]] = set()

    def add(group: list[TodoLine], lines: list[TodoLine]) -> None:
        fresh = [line for line in lines if (line.item_id, line.period) not in seen]
        seen.update((line.item_id, line.period) for line in fresh)
        group.extend(sorted(fresh, key=lambda line: (order.get(line.item_id, len(order)), line.period)))

    def line(item_id: str, period: str, record: Record | None, **more) -> TodoLine:
        return TodoLine(item_id, titles.get(item_id, ""), period, numbers.get((item_id, period)),
                        record.status if record else None, **more)

    add(todo.returned, [line(r.item_id, r.period, r, reason=r.review_reason) for r in records
                        if r.review == Review.RETURNED])
    mine = {(r.item_id, r.period): r for r in records}
    add(todo.due, [line(o.item_id, o.period, mine.get((o.item_id, o.period)), due=o.deadline, days_left=o.days_left,
                        days_late=o.days_late)
                   for o in deadlines.obligations if not (o.status and Status(o.status).closed)])
    add(todo.unfilled, [line(row.item_id, row.period, None) for row in rows if not row.recorded])
    add(todo.drafts, [line(r.item_id, r.period, r) for r in records if r.review == Review.DRAFT])
    return todo
