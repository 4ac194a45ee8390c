"""Institutions: add from the bundled MOE list or by hand, import many, list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from jobpolicy import clock
from jobpolicy.domain.institution import ListedInstitution
from jobpolicy.domain.institution_scope import EVERYWHERE, InstitutionScope
from jobpolicy.errors import InvalidInput
from jobpolicy.reference import check_code, institution_list
from jobpolicy.services._uow import reading, writing
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

    Raises:
        InvalidInput: a malformed code, or an unlisted code without ``name``, or a bad level or province.
    """
    code = check_code(code)
    listed = institution_list().get(code)
    if listed is None and not (name and name.strip()):
        raise InvalidInput(f"学校标识码 {code} 不在教育部 2026 年高校名单中，需用 --name 写明学校名称",
                           hint=f"例如 jobpolicy institution add {code} --name 学校全称 --province 山西省 --level 本科")
    if level is not None and level not in LEVEL_CHOICES:
        raise InvalidInput(f"办学层次“{level}”无效", hint="可选：本科、专科、成人")
    # Stored by its full name, as the list has it, so that --province finds a school added by hand too.
    province = resolve_scope(province=province).province if province else None
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
