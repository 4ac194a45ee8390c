"""Institutions: add from the bundled MOE list or by hand, import many, list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.institution import ListedInstitution, names_containing, similar_names
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.domain.matching import did_you_mean
from jobpolicy.domain.values import normalise
from jobpolicy.errors import InvalidInput, NotFound
from jobpolicy.reference import check_code, institution_list
from jobpolicy.services._uow import reading, writing
from jobpolicy.services.lookup import school_named
from jobpolicy.services.scope import resolve_scope, schools_in
from jobpolicy.storage import repo
from jobpolicy.storage.models import Institution

LEVEL_CHOICES = ("本科", "专科", "成人")


def _from_listing(listed: ListedInstitution, start: date | None) -> Institution:
    return Institution(code=listed.code, name=listed.name, authority=listed.authority, province=listed.province,
                       city=listed.city, level=listed.level, remark=listed.remark, listed=True,
                       list_year=listed.year_of_list, created_at=clock.now(), tracking_start=start or clock.today())


def _refresh(stored: Institution, listed: ListedInstitution) -> bool:
    """Bring a stored institution up to the newer list (rename, 专科→本科 upgrade); return whether it changed."""
    changed = False
    for attr in ("name", "authority", "province", "city", "level", "remark"):
        if getattr(stored, attr) != getattr(listed, attr):
            setattr(stored, attr, getattr(listed, attr))
            changed = True
    stored.listed, stored.list_year = True, listed.year_of_list
    return changed


@dataclass(frozen=True)
class AddResult:
    """The institution and what happened to it."""

    institution: Institution
    outcome: str  # added | exists | updated


def add_institution(engine: Engine, code: str, *, name: str | None = None, province: str | None = None,
                    city: str | None = None, level: str | None = None, start: date | None = None) -> AddResult:
    """Add one institution: from the bundled list when its code is there, else by hand with ``name``.

    Tracking starts on ``start``, default today (China); an institution already stored keeps its start
    (``tracking.set_institution_start`` changes it). A province given by hand is stored by its full name.
    ``code`` may also be a name on the bundled list, or a part of a name only one listed school has.

    Raises:
        InvalidInput: a malformed code, or an unlisted code without ``name``, or a bad level or province.
        Ambiguous: the name fits several listed schools.
        NotFound: no listed school has that name.
    """
    code = check_code(code) if normalise(code).isascii() else listed_by_name(code).code
    listed = institution_list().get(code)
    if listed is None and not (name and name.strip()):
        raise InvalidInput(f"学校标识码 {code} 不在教育部 2026 年高校名单中，需用 --name 写明学校名称",
                           hint=f"例如 jobpolicy institution add {code} --name 学校全称 --province 山西省 --level 本科")
    if level is not None and level not in LEVEL_CHOICES:
        raise InvalidInput(f"办学层次“{level}”无效", hint="可选：本科、专科、成人")
    # Stored by its full name, as the list has it, so that --province finds a school added by hand too.
    province = resolve_scope(province=province).province if province is not None else None
    with writing(engine) as session:
        stored = repo.get_institution(session=session, code=code)
        if stored is not None:
            changed = listed is not None and _refresh(stored, listed)
            repo.add(session=session, rows=[stored])
            return AddResult(stored, "updated" if changed else "exists")
        row = _from_listing(listed, start) if listed else Institution(
            code=code, name=name.strip(), province=(province or "").strip(), city=(city or "").strip(),
            level=level or "", listed=False, created_at=clock.now(), tracking_start=start or clock.today())
        repo.add(session=session, rows=[row])
        return AddResult(row, "added")


def listed_by_name(text: str) -> ListedInstitution:
    """The school of the bundled list named ``text``, or the only one whose name contains it.

    Raises:
        Ambiguous: several listed schools fit.
        NotFound: none does.
    """
    schools, name = institution_list().values(), normalise(text)
    found = school_named(text, schools, among="教育部名单中", example=lambda school: (
        f"jobpolicy institution add {school.code}；jobpolicy institution search {name} 列出全部"))
    if found is not None:
        return found
    near = similar_names(text, schools)
    raise NotFound(f"教育部 2026 年高校名单中没有“{name}”",
                   hint=(f"{did_you_mean(near)}；" if near else "") + "名单外的学校用 10 位学校标识码和 --name 添加")


@dataclass(frozen=True)
class SearchHit:
    """A school of the bundled list, and whether it is already in the database."""

    school: ListedInstitution
    added: bool


@dataclass(frozen=True)
class SearchResult:
    """What ``institution search`` found: the schools whose names contain the words, else the nearest names."""

    hits: list[SearchHit]
    near: list[str]


def search_institutions(engine: Engine, text: str, *, province: str | None = None) -> SearchResult:
    """Schools of the bundled MOE list whose name contains ``text`` (of one province, when given), in list order.

    Raises:
        InvalidInput: an empty search, or a province that is not on the list.
    """
    if not normalise(text):
        raise InvalidInput("没有给出要查找的学校名称", hint="例如 jobpolicy institution search 山西")
    wanted = resolve_scope(province=province).province if province is not None else None
    pool = [i for i in institution_list().values() if wanted is None or i.province == wanted]
    found = names_containing(text, pool)
    if not found:
        return SearchResult([], similar_names(text, pool))
    with reading(engine) as session:
        added = repo.existing_codes(session=session, codes=[i.code for i in found])
    return SearchResult([SearchHit(school, school.code in added) for school in found], [])


@dataclass
class ImportResult:
    """What ``institution import`` did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def import_institutions(engine: Engine, *, province: str | None = None, level: str | None = None,
                        start: date | None = None) -> ImportResult:
    """Add every listed 普通高校 (of a province and level, when given); refresh names of those already stored.

    成人高校 are left out unless ``level`` is ``成人``: the 2025 opinion covers 普通高校. The ones added start
    being tracked on ``start``, default today; those already stored keep their start.
    """
    if level is not None and level not in LEVEL_CHOICES:
        raise InvalidInput(f"办学层次“{level}”无效", hint="可选：本科、专科、成人")
    wanted_province = resolve_scope(province=province).province
    selected = [
        i for i in institution_list().values()
        if (wanted_province is None or i.province == wanted_province)
        and (i.level == level if level else i.is_regular)
    ]
    result = ImportResult()
    with writing(engine) as session:
        existing = repo.existing_codes(session=session, codes=[i.code for i in selected])
        for listed in selected:
            if listed.code not in existing:
                session.add(_from_listing(listed, start))
                result.added.append(listed.code)
                continue
            stored = repo.get_institution(session=session, code=listed.code)
            if _refresh(stored, listed):
                result.updated.append(listed.code)
            else:
                result.unchanged += 1
        session.flush()
    return result


def list_institutions(engine: Engine, *, scope: InstitutionScope = EVERYWHERE) -> list[Institution]:
    """Stored institutions (of the scope, when given), by province then code.

    Raises:
        NotFound: a filter is set and no stored school matches it.
    """
    with reading(engine) as session:
        return schools_in(session, scope)
