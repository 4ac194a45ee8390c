"""The schools a command covers, in SQL: one ``InstitutionScope`` read from the options, one condition on
``institution``, and the stored schools it selects (or the plain message that it selects none).

Every command that takes ``--province``, ``--level`` and ``--authority`` goes through here: the names are matched
against the bundled MOE list (``resolve_scope``), and every query narrows by ``scope_condition`` (on
``institution``) or ``codes_within`` (on a table's ``institution_code``), never a copy of it.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import ColumnElement, and_, select
from sqlmodel import Session

from jobpolicy.domain.institution_scope import InstitutionScope, parse_scope
from jobpolicy.errors import NotFound
from jobpolicy.reference import institution_list
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution


def resolve_scope(*, province: str | None = None, level: str | None = None,
                  authority: str | None = None) -> InstitutionScope:
    """The scope of the options as typed: ``山西`` → 山西省, a unique part of a 主管部门 → its full name.

    Raises:
        InvalidInput: an unknown or ambiguous province or 主管部门, or a level other than 本科/专科.
    """
    # Only a province or a 主管部门 is matched against the MOE list: reading it costs every command 30 ms.
    wanted = province is not None or authority is not None
    return parse_scope(province=province, level=level, authority=authority,
                       authorities=_authorities() if wanted else {})


@cache
def _authorities() -> dict[str, frozenset[str]]:
    """The 主管部门 of each province's listed schools, by province."""
    found: dict[str, set[str]] = {}
    for listed in institution_list().values():
        found.setdefault(listed.province, set()).update([listed.authority] if listed.authority else [])
    return {province: frozenset(names) for province, names in found.items()}


def scope_condition(scope: InstitutionScope) -> ColumnElement | None:
    """The condition on ``institution`` that selects the scope's schools; None when it covers every school."""
    wanted = [column == value for column, value in ((Institution.province, scope.province),
                                                   (Institution.level, scope.level),
                                                   (Institution.authority, scope.authority)) if value is not None]
    return and_(*wanted) if wanted else None


def codes_within(scope: InstitutionScope, column: ColumnElement, *, code: str | None = None) -> ColumnElement | None:
    """The condition on another table's institution code column (``Record.institution_code``…): the code is one
    of the scope's schools, or is ``code`` when one school is asked about. None when every school is read."""
    if code is not None:
        return column == code
    condition = scope_condition(scope)
    return None if condition is None else column.in_(select(Institution.code).where(condition))


def no_school(scope: InstitutionScope) -> NotFound:
    """The error for a filter that matches no stored school: say so, and whether the MOE list has such schools to
    add (``institution import`` takes the province and level)."""
    listed = sum(1 for school in institution_list().values() if school.is_regular and scope.matches(school))
    message = f"没有符合条件（{scope.label}）的学校"
    if not listed:
        return NotFound(f"{message}，2026 年高校名单中也没有",
                        hint="检查筛选条件；运行 jobpolicy institution list 查看已添加的学校")
    adds = " ".join(f"{option} {value}" for option, value in (("--province", scope.province),
                                                              ("--level", scope.level)) if value)
    return NotFound(f"{message}（2026 年高校名单中有 {listed} 所，尚未添加）",
                    hint=f"运行 jobpolicy institution import {adds}".rstrip() + " 添加")


def schools_in(session: Session, scope: InstitutionScope) -> list[Institution]:
    """The stored schools of the scope, by province then code (one query).

    Raises:
        NotFound: a filter is set and no stored school matches it (with no filter, an empty database gives []).
    """
    schools = repo.list_institutions(session=session, where=scope_condition(scope))
    if not schools and not scope.everything:
        raise no_school(scope)
    return schools
