"""Finding what a command names: a stored institution, an item on its checklist, the period of a recurring item."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from jobpolicy.domain.catalog import Actor, Item, Policy
from jobpolicy.domain.periods import ONCE, parse_period, period_refusal
from jobpolicy.domain.periods import current_period as cadence_current_period
from jobpolicy.domain.scoring import counted_period
from jobpolicy.domain.values import normalise
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.reference import check_code
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution


def get_institution(session: Session, code: str, *, lock: bool = False) -> Institution:
    """A stored institution; with ``lock``, its row is locked until the transaction ends.

    Writers lock it so that two offices changing the same institution's records on PostgreSQL take turns
    (READ COMMITTED would otherwise let one overwrite the other's revision). SQLite writers already take turns.

    Raises:
        NotFound: not added yet.
    """
    code = check_code(code)
    institution = repo.get_institution(session=session, code=code, lock=lock)
    if institution is None:
        raise NotFound(f"学校 {code} 尚未添加", hint=f"先运行 jobpolicy institution add {code}")
    return institution


def resolve_item(policy: Policy, institution: Institution, item_id: str) -> Item:
    """The item, checked to be on this institution's checklist.

    Raises:
        NotFound: no such item in the policy.
        InvalidInput: the item is not carried out by universities, or does not apply to this institution.
    """
    item = policy.item(item_id.strip())
    if item is None:
        raise NotFound(f"未知检查项“{item_id}”", hint=f"运行 jobpolicy policy show {policy.id} 查看编号")
    if item.actor is not Actor.UNIVERSITY:
        raise InvalidInput(f"检查项 {item.id} 由{item.actor.label}落实，不在高校清单中",
                           hint=f"运行 jobpolicy record show {institution.code} 查看本校清单")
    if not item.applies_to.matches(level=institution.level, province=institution.province):
        raise InvalidInput(f"检查项 {item.id} 不适用于 {institution.name}（{institution.level or '层次未知'}）",
                           hint="该项的适用范围见 jobpolicy policy show")
    return item


def resolve_period(item: Item, period: str | None, today: date, closed: frozenset[str] = frozenset(),
                   start: date | None = None) -> str:
    """The record's period: ``once`` for one-off items; for recurring ones the period given (in any spelling
    ``periods.parse_period`` reads: 2026-10, 2026/10, 2026年10月 …) as its label, or the occurrence still owed: the
    one status counts for an institution tracked from ``start`` (last due since the start) unless ``closed`` says it
    is done, else the next.

    Raises:
        InvalidInput: a period for a one-off item, or one that names no single period of the item's cadence.
    """
    text = normalise(period) if period else None
    if item.cadence is None:
        if text not in (None, ONCE):
            raise InvalidInput(f"检查项 {item.id} 不是周期性事项，期次只能是 once", hint="去掉 --period")
        return ONCE
    if text is None:
        counted = counted_period(item, today, start)
        if counted is not None and counted.period not in closed:
            return counted.period
        return cadence_current_period(item.cadence, today)
    label = parse_period(item.cadence, text)
    if label is None:
        reason, hint = period_refusal(item.cadence, text, today)
        raise InvalidInput(f"检查项 {item.id} 的期次“{text}”无效：{reason}", hint=hint)
    return label
