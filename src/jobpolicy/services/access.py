"""Who may reach which schools on a shared PostgreSQL database: grant, revoke and list, enforced by the database.

An office's login reaches its schools' rows; a reviewer's login its province's schools, to accept or return; an
administrator's login everything. The rules live in PostgreSQL (GRANTs and the row-level security policies of
migration 0006, keyed on ``access_grant``), so they hold for any client, psql included. On SQLite there are no
logins: whoever can open the file can change all of it, so the file is the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from jobpolicy import clock
from jobpolicy.errors import AccessNotApplicable, InvalidInput, NotFound
from jobpolicy.services._uow import denied, reading, writing
from jobpolicy.services.lookup import get_institution
from jobpolicy.services.scope import resolve_scope
from jobpolicy.storage import access
from jobpolicy.storage.access import ADMIN, OFFICE, REVIEWER
from jobpolicy.storage.db import is_sqlite
from jobpolicy.storage.models import AccessGrant, Institution

KIND_NAMES = {OFFICE: "学校账号", REVIEWER: "审核账号", ADMIN: "管理员"}
MAX_LOGIN = 63  # PostgreSQL cuts longer identifiers, so two long names could become one role


@dataclass(frozen=True)
class Access:
    """One login's access: its kind and what it reaches (school codes and names, or a province)."""

    login: str
    kind: str | None  # None: no access at all
    schools: list[tuple[str, str]] = field(default_factory=list)  # (code, name) for an office
    province: str | None = None  # for a reviewer
    can_login: bool = True  # False: the role was dropped or may not log in, the rows are left over


@dataclass(frozen=True)
class GrantResult:
    """What ``access grant`` did: the login's access now, whether the login was created, what was added."""

    access: Access
    created: bool
    added: list[str]


def require_postgres(engine: Engine) -> None:
    """Refuse access management on SQLite, saying that the file is the boundary.

    Raises:
        AccessNotApplicable: the database is an SQLite file.
    """
    if is_sqlite(engine):
        raise AccessNotApplicable(
            "SQLite 数据库文件不分账号：能打开这个文件的人就能读写其中全部学校的记录，文件本身就是访问边界",
            hint="一个文件只给一所学校的就业部门或一位省级操作员使用；多所学校共用一个数据库请部署 PostgreSQL"
                 "（见 docs/deploy-postgresql.md）")


def _require_admin(session: Session) -> None:
    # PostgreSQL would refuse the GRANT anyway; asking first names the reason before a missing login is.
    if not access.is_admin(session):
        raise denied(access.session_login(session), "access_grant")


def _check_login(login: str) -> str:
    name = login.strip()
    if not name or len(name) > MAX_LOGIN or "\x00" in name or name.lower().startswith("pg_"):
        raise InvalidInput(f"登录名“{login}”无效",
                           hint=f"登录名为 1 到 {MAX_LOGIN} 个字符，不能以 pg_ 开头，如 office_sxu")
    return name


def _kind_of(rows: list[AccessGrant]) -> str | None:
    return rows[0].kind if rows else None


def _refuse_other_kind(login: str, rows: list[AccessGrant], kind: str, session: Session) -> None:
    held = ADMIN if login in access.admins(session) else _kind_of(rows)
    if held is not None and held != kind:
        raise InvalidInput(f"{login} 已是{KIND_NAMES[held]}，一个登录名只能有一种身份",
                           hint=f"先运行 jobpolicy access revoke {login}，再重新授权")


def grant(engine: Engine, login: str, *, institutions: list[str] | None = None, province: str | None = None,
          admin: bool = False, password: str | None = None) -> GrantResult:
    """Let a login reach schools (an office), a province (a reviewer), or everything (an administrator).

    Args:
        engine: the database (PostgreSQL), used as its administrator.
        login: the PostgreSQL login role.
        institutions: schools, named as every command names them (学校标识码, full or unique part of a name).
        province: a province, as ``--province`` takes it elsewhere (``山西`` or ``山西省``).
        admin: make the login an administrator (a member of the tables' owner role).
        password: create the login with this password first; None: the login must exist.

    Returns:
        The login's access after the grant, whether it was created, and the schools or province added.

    Raises:
        AccessNotApplicable: SQLite.
        InvalidInput: not exactly one of the three kinds, a bad login name or province, a login that already holds
            another kind, or an empty password.
        NotFound: no such login (without ``password``), or a school not added.
        AccessDenied: this session is not the administrator.
    """
    require_postgres(engine)
    name, kind = _check_login(login), _one_kind(login, institutions, province, admin)
    if password is not None and not password:
        raise InvalidInput("新账号的密码不能为空", hint="重新运行，并输入密码")
    wanted_province = resolve_scope(province=province).province if kind == REVIEWER else None
    with writing(engine) as session:
        _require_admin(session)
        _check_role(session, name, create=password is not None)
        rows = access.grants_of(session, login=name)
        _refuse_other_kind(name, rows, kind, session)
        if password is not None:
            access.create_login(session, login=name, password=password)
        targets = ([(get_institution(session, text).code, None) for text in institutions or []] if kind == OFFICE
                   else [(None, wanted_province)])
        new = _new_targets(name, kind, rows, targets)
        access.grant_privileges(session, login=name, kind=kind)
        by, at = access.session_login(session), clock.now()
        session.add_all([AccessGrant(login=name, kind=kind, institution_code=code, province=prov, granted_by=by,
                                     granted_at=at) for code, prov in new])
        session.flush()
        return GrantResult(_describe(session, name), password is not None, [code or prov for code, prov in new])


def _one_kind(login: str, institutions: list[str] | None, province: str | None, admin: bool) -> str:
    kinds = [kind for kind, given in ((OFFICE, institutions), (REVIEWER, province), (ADMIN, admin)) if given]
    if len(kinds) != 1:
        raise InvalidInput("请给出一种身份：--institution 学校（学校账号）、--province 省份（审核账号）"
                           "或 --admin（管理员）", hint=f"例如 jobpolicy access grant {login} --institution 4114010108")
    return kinds[0]


def _check_role(session: Session, name: str, *, create: bool) -> None:
    exists = access.role_exists(session, name)
    if create and exists:
        raise InvalidInput(f"登录名 {name} 已存在，不能再创建", hint=f"去掉 --create：jobpolicy access grant {name} …")
    if not create and not exists:
        raise NotFound(f"数据库中没有登录名 {name}",
                       hint="加 --create 创建（会提示设置密码），或请数据库管理员先创建该登录名")
    if name == access.owner(session):
        raise InvalidInput(f"{name} 是数据表的所有者，已是管理员", hint="为各校、各审核人分别授权其他登录名")


def _new_targets(name: str, kind: str, rows: list[AccessGrant],
                 targets: list[tuple[str | None, str | None]]) -> list[tuple[str | None, str | None]]:
    """The (school, province) pairs not granted yet; a reviewer keeps its one province."""
    have = {(r.institution_code, r.province) for r in rows}
    new = [t for t in dict.fromkeys(targets) if t not in have]
    if kind == REVIEWER and rows and new:
        raise InvalidInput(f"{name} 已是{rows[0].province}的审核账号，一个审核账号只审核一个省份",
                           hint=f"先运行 jobpolicy access revoke {name}，或另建一个登录名")
    return new


def revoke(engine: Engine, login: str) -> Access:
    """Take every access away from a login (the role itself is left; drop it in PostgreSQL if no longer used).

    Returns:
        What the login had.

    Raises:
        AccessNotApplicable: SQLite.
        NotFound: the login has no access to take.
        AccessDenied: this session is not the administrator.
    """
    require_postgres(engine)
    name = _check_login(login)
    with writing(engine) as session:
        _require_admin(session)
        had = _describe(session, name)
        if had.kind is None:
            raise NotFound(f"{name} 没有任何访问权限", hint="运行 jobpolicy access list 查看已授权的登录名")
        if access.role_exists(session, name):
            access.revoke_privileges(session, login=name)
        access.drop_grants(session, login=name)
        return had


def list_access(engine: Engine) -> list[Access]:
    """Every login's access, administrators first; a non-administrator sees only its own.

    Raises:
        AccessNotApplicable: SQLite.
    """
    require_postgres(engine)
    with reading(engine) as session:
        return _describe_all(session, None if access.is_admin(session) else access.session_login(session))


def _describe(session: Session, login: str) -> Access:
    found = _describe_all(session, login)
    return found[0] if found else Access(login, None)


def _describe_all(session: Session, login: str | None) -> list[Access]:
    """Access of one login or of all, in a fixed number of queries (a province has hundreds of offices)."""
    rows = access.grants_of(session, login=login)
    admins = [a for a in access.admins(session) if login in (None, a)]
    logins = [*admins, *dict.fromkeys(r.login for r in rows if r.login not in admins)]
    known = access.logins_known(session, logins)
    codes = [r.institution_code for r in rows if r.kind == OFFICE]
    names = {i.code: i.name for i in session.exec(select(Institution).where(col(Institution.code).in_(codes)))}
    found = [Access(a, ADMIN, can_login=a in known) for a in admins]
    for name in logins[len(admins):]:
        mine = [r for r in rows if r.login == name]
        schools = [(r.institution_code, names.get(r.institution_code, "")) for r in mine if r.kind == OFFICE]
        found.append(Access(name, mine[0].kind, schools, mine[0].province, can_login=name in known))
    return found
