"""PostgreSQL logins and what each may reach: roles, GRANTs and the ``access_grant`` rows row security reads.

Keyword-only, session first, never commits (the service owns the transaction). Identifiers and the password are
quoted by the server (``quote_ident`` / ``format('%L')``), never pasted in by hand. PostgreSQL only.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, delete, select

from jobpolicy.storage.models import AccessGrant

OFFICE, REVIEWER, ADMIN = "office", "reviewer", "admin"
READABLE = ("alembic_version", "policy_version", "catalog_item", "policy_mapping", "setting", "access_grant",
            "institution", "record", "event", "evidence", "evidence_blob", "import_batch")
# Row security decides which rows; these decide which statements. Nobody but the owner may UPDATE or DELETE an
# event, load a catalog (policy_version, catalog_item), add a school or write access_grant.
# ``UPDATE (tracking_start) ON institution`` is there only for SELECT … FOR UPDATE, which writers take on their
# school's row; the row policy lets no such update through.
WRITES = {
    OFFICE: ("UPDATE (tracking_start) ON institution", "INSERT, UPDATE ON record", "INSERT ON event",
             "INSERT, UPDATE (withdrawn_at, withdrawn_by) ON evidence", "INSERT ON evidence_blob",
             "INSERT, UPDATE ON import_batch"),
    # a reviewer changes the review of a record, never what the office recorded
    REVIEWER: ("UPDATE (tracking_start) ON institution",
               "UPDATE (review, review_reason, revision, updated_at, updated_by) ON record", "INSERT ON event"),
}


def _ident(session: Session, name: str) -> str:
    return session.execute(text("SELECT quote_ident(CAST(:name AS text))"), {"name": name}).scalar_one()


def _schema(session: Session) -> str:
    return _ident(session, session.execute(text("SELECT current_schema()")).scalar_one())


def session_login(session: Session) -> str:
    """The login this session connected as (``session_user``)."""
    return session.execute(text("SELECT session_user")).scalar_one()


def owner(session: Session) -> str:
    """The role that owns jobpolicy's tables: the administrator, with every member of it."""
    return session.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                                "AND tablename = 'event'")).scalar_one()


def is_admin(session: Session) -> bool:
    """Whether this session's role reaches every school (the owner, a member of it, or a superuser)."""
    return bool(session.execute(text("SELECT jobpolicy_is_admin()")).scalar_one())


def sees_every_school(session: Session) -> bool:
    """Whether nothing is hidden from this session: always on SQLite, for an administrator on PostgreSQL."""
    return session.get_bind().dialect.name != "postgresql" or is_admin(session)


def role_exists(session: Session, login: str) -> bool:
    """Whether PostgreSQL has a role of this name."""
    return session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}).first() is not None


def logins_known(session: Session, logins: list[str]) -> set[str]:
    """Which of ``logins`` are roles that may log in."""
    found = session.execute(text("SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname = ANY(:names)"),
                            {"names": logins})
    return {row[0] for row in found}


def admins(session: Session) -> list[str]:
    """Logins that are the owner or members of it (``access grant --admin``), sorted."""
    rows = session.execute(text("SELECT r.rolname FROM pg_roles r WHERE r.rolcanlogin "
                                "AND pg_has_role(r.oid, (SELECT tableowner FROM pg_tables WHERE schemaname = "
                                "current_schema() AND tablename = 'event'), 'MEMBER') AND NOT r.rolsuper "
                                "ORDER BY r.rolname"))
    return [row[0] for row in rows]


def create_login(session: Session, *, login: str, password: str) -> None:
    """CREATE ROLE … LOGIN PASSWORD …, the statement built by the server so nothing typed can break out of it."""
    build = text("SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', CAST(:login AS text), CAST(:password AS text))")
    statement = session.execute(build, {"login": login, "password": password}).scalar_one()
    session.execute(text(statement))


def grant_privileges(session: Session, *, login: str, kind: str) -> None:
    """Give ``login`` the statements its kind may run; the rows are row security's business."""
    who, schema = _ident(session, login), _schema(session)
    if kind == ADMIN:
        session.execute(text(f"GRANT {_ident(session, owner(session))} TO {who}"))
        return
    session.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {who}"))
    session.execute(text(f"GRANT SELECT ON {', '.join(READABLE)} TO {who}"))
    for privilege in WRITES[kind]:
        session.execute(text(f"GRANT {privilege} TO {who}"))
    session.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {who}"))


def revoke_privileges(session: Session, *, login: str) -> None:
    """Take back every privilege on jobpolicy's schema, and membership of the owner role."""
    who, schema = _ident(session, login), _schema(session)
    session.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}"))
    session.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}"))
    session.execute(text(f"REVOKE USAGE ON SCHEMA {schema} FROM {who}"))
    if login in admins(session):
        session.execute(text(f"REVOKE {_ident(session, owner(session))} FROM {who}"))


def grants_of(session: Session, *, login: str | None = None) -> list[AccessGrant]:
    """The access rows of one login, or of every login, in a stable order."""
    query = select(AccessGrant).order_by(AccessGrant.login, AccessGrant.kind, AccessGrant.institution_code,
                                         AccessGrant.province)
    if login is not None:
        query = query.where(AccessGrant.login == login)
    return list(session.exec(query).all())


def drop_grants(session: Session, *, login: str) -> int:
    """Delete the access rows of a login; return how many there were."""
    return session.execute(delete(AccessGrant).where(AccessGrant.login == login)).rowcount
