"""Finding what a command names: a stored institution, an item on its checklist, the period of a recurring item."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlmodel import Session

from jobpolicy.domain.catalog import Actor, Item, Policy
from jobpolicy.domain.institution import School, candidate_line, find_by_name, similar_names
from jobpolicy.domain.item_search import item_by_id, item_line, search_items, similar_ids
from jobpolicy.domain.matching import did_you_mean
from jobpolicy.domain.periods import ONCE, parse_period, period_refusal
from jobpolicy.domain.periods import current_period as cadence_current_period
from jobpolicy.domain.scoring import counted_period
from jobpolicy.domain.values import normalise
from jobpolicy.errors import Ambiguous, InvalidInput, NotFound
from jobpolicy.reference import check_code, institution_list
from jobpolicy.storage import access, repo
from jobpolicy.storage.models import Institution


def get_institution(session: Session, code: str, *, lock: bool = False) -> Institution:
    """A stored institution, named by its 学校标识码, its name, or a part of its name only one stored school has.

    With ``lock``, its row is locked until the transaction ends: writers lock it so that two offices changing the
    same institution's records on PostgreSQL take turns (READ COMMITTED would otherwise let one overwrite the
    other's revision). SQLite writers already take turns.

    Raises:
        InvalidInput: a malformed code (text without Chinese is taken for a code).
        Ambiguous: the name fits several stored schools.
        NotFound: not added yet, or no stored school has that name.
    """
    # names are Chinese: text without any is a code, and a malformed one is refused as such
    code = check_code(code) if normalise(code).isascii() else _stored_by_name(session, code).code
    institution = repo.get_institution(session=session, code=code, lock=lock)
    if institution is None and not access.sees_every_school(session):
        raise NotFound(f"学校 {code} 不在登录名 {access.session_login(session)} 可访问的范围内（或尚未添加）",
                       hint="运行 jobpolicy access list 查看本账号可访问的学校；需要时请省级管理员授权")
    if institution is None:
        raise NotFound(f"学校 {code} 尚未添加", hint=f"先运行 jobpolicy institution add {code}")
    return institution


def school_named(text: str, schools: Iterable[School], *, among: str,
                 example: Callable[[School], str]) -> School | None:
    """The one school ``text`` names among ``schools`` (see ``domain.institution.find_by_name``); None if none does.

    Raises:
        Ambiguous: several do: the first ten are listed, with ``example(first)`` as the hint.
    """
    found = find_by_name(text, schools)
    if len(found) > 1:
        raise Ambiguous(f"“{normalise(text)}”对应{among}的 {len(found)} 所学校，请写全称或学校标识码",
                        [candidate_line(school) for school in found], hint=f"例如 {example(found[0])}")
    return found[0] if found else None


def _stored_by_name(session: Session, text: str) -> Institution:
    stored = repo.list_institutions(session=session)
    found = school_named(text, stored, among="已添加", example=lambda school: school.code)
    if found is not None:
        return found
    name = normalise(text)
    listed = find_by_name(text, institution_list().values())
    near = similar_names(text, stored)
    if len(listed) == 1:
        hint = f"教育部名单中有 {candidate_line(listed[0])}；先运行 jobpolicy institution add {listed[0].code}"
    elif near:
        hint = did_you_mean(near)
    elif listed:
        hint = f"教育部名单中有 {len(listed)} 所名称含“{name}”的学校：运行 jobpolicy institution search {name} 查看"
    else:
        hint = "运行 jobpolicy institution list 查看已添加的学校"
    raise NotFound(f"已添加的学校中没有“{name}”", hint=hint)


def resolve_item(policy: Policy, institution: Institution, text: str) -> Item:
    """The one item ``text`` names on this institution's checklist: its id in any case, or a measure, official
    number (（十一）) or keywords that name only one item there.

    Raises:
        NotFound: nothing on the checklist is named so (with the nearest ids, if any).
        Ambiguous: several items are.
        InvalidInput: the id names an item not carried out by universities, or not applying to this institution.
    """
    found = find_items(policy, institution, text)
    if len(found) == 1:
        return found[0]
    raise Ambiguous(f"“{normalise(text)}”对应{institution.name}清单上的 {len(found)} 个检查项，请写检查项编号",
                    [item_line(item) for item in found], hint=f"例如 {found[0].id}")


def find_items(policy: Policy, institution: Institution, text: str) -> list[Item]:
    """Every item of this institution's checklist that ``text`` names, in document order (see ``search_items``).

    Raises:
        NotFound: nothing on the checklist is named so (with the nearest ids, if any).
        InvalidInput: the id names an item not carried out by universities, or not applying to this institution.
    """
    item = item_by_id(policy, text)
    if item is not None:
        _check_on_checklist(item, institution)
        return [item]
    checklist = policy.institution_items(level=institution.level, province=institution.province)
    search = search_items(policy, text, checklist)
    if search.items:
        return list(search.items)
    if search.kind != "none":
        raise NotFound(f"{search.label}中没有{institution.name}清单上的检查项",
                       hint=f"运行 jobpolicy record show {institution.code} 查看本校清单")
    near = did_you_mean(similar_ids(text, checklist))
    raise NotFound(f"未知检查项“{normalise(text)}”" + (f"，{near}" if near else ""),
                   hint="可写检查项编号、举措号（如 十一）或关键词；运行 jobpolicy policy items 关键词 查找")


def _check_on_checklist(item: Item, institution: Institution) -> None:
    if item.actor is not Actor.UNIVERSITY:
        raise InvalidInput(f"检查项 {item.id} 由{item.actor.label}落实，不在高校清单中",
                           hint=f"运行 jobpolicy record show {institution.code} 查看本校清单")
    if not item.applies_to.matches(level=institution.level, province=institution.province):
        raise InvalidInput(f"检查项 {item.id} 不适用于 {institution.name}（{institution.level or '层次未知'}）",
                           hint="该项的适用范围见 jobpolicy policy show")


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
