"""Access by login on PostgreSQL, enforced by the database; every event stamped by the server.

- ``access_grant``: which schools (an office), which province (a reviewer), or everything (an admin) a PostgreSQL
  login may reach. Row-level security policies read it; only the administrator (the tables' owner, or a member
  of that role) may write it.
- ``event.login``: who really connected (``session_user``), set by a trigger whatever the client sends; ``actor``
  stays the display name (``--by``). Older events keep ``''``: nobody knows their login.
- On PostgreSQL event times, and a record's ``updated_at`` / ``status_at``, come from the server's clock (``now()``),
  not the writer's PC. The one exception is for tests that travel in time: an administrator's session that sets
  ``jobpolicy.client_clock = on`` keeps the times it sends. It gives nothing away, since an administrator owns the
  tables and could drop the triggers; offices and reviewers cannot use it.
- Row-level security (ENABLE + FORCE, so the owner too goes through the policies) on every table that holds a
  school's rows; UPDATE, DELETE and TRUNCATE on ``event`` revoked from everyone but the owner, and the owner
  refused too by triggers (TRUNCATE included). What each login may do is granted by ``jobpolicy access grant``.

Existing rows are untouched. Stored evidence files (``evidence_blob``, 0005) are read only through an evidence
row the login sees. After this upgrade a login without a grant sees no school: grant each one its
schools (see docs/deploy-postgresql.md).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Tables holding one school's rows, and the condition (on the row) naming that school.
SCHOOL_TABLES = {
    "institution": "code",
    "record": "institution_code",
    "event": "institution_code",
    "import_batch": "institution_code",
}


def _functions(schema: str) -> list[str]:
    # Function bodies resolve names at run time: pin the search path to the schema they were made for.
    pinned = f'LANGUAGE sql STABLE SET search_path = "{schema}"'
    return [
        # The tables' owner and its members (``access grant --admin``); superusers bypass row security anyway.
        f"""CREATE OR REPLACE FUNCTION jobpolicy_is_admin() RETURNS boolean {pinned} AS $$
            SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c
            WHERE c.oid = '"{schema}".event'::regclass $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_office_codes() RETURNS SETOF text {pinned} AS $$
            SELECT institution_code FROM access_grant WHERE login = current_user AND kind = 'office' $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_provinces() RETURNS SETOF text {pinned} AS $$
            SELECT province FROM access_grant WHERE login = current_user AND kind = 'reviewer' $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_reviewed_codes() RETURNS SETOF text {pinned} AS $$
            SELECT code FROM institution WHERE province IN (SELECT jobpolicy_provinces()) $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_server_time(client timestamp) RETURNS timestamp {pinned} AS $$
            SELECT CASE WHEN current_setting('jobpolicy.client_clock', true) = 'on' AND jobpolicy_is_admin()
                        THEN client ELSE CAST(now() AT TIME ZONE 'UTC' AS timestamp) END $$""",
    ]


def _triggers(schema: str) -> list[str]:
    pinned = f'LANGUAGE plpgsql SET search_path = "{schema}"'
    return [
        # The append-only refusal again, now as a permission error (SQLSTATE 42501) the CLI explains in one line.
        f"""CREATE OR REPLACE FUNCTION jobpolicy_event_append_only() RETURNS trigger {pinned} AS $$
            BEGIN RAISE EXCEPTION 'event log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$""",
        "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event "
        "FOR EACH STATEMENT EXECUTE FUNCTION jobpolicy_event_append_only()",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_event_stamp() RETURNS trigger {pinned} AS $$
            BEGIN NEW.login := session_user; NEW.at := jobpolicy_server_time(NEW.at); RETURN NEW; END $$""",
        "CREATE TRIGGER event_stamp BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION jobpolicy_event_stamp()",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_blob_stamp() RETURNS trigger {pinned} AS $$
            BEGIN NEW.stored_by := session_user; RETURN NEW; END $$""",
        "CREATE TRIGGER evidence_blob_stamp BEFORE INSERT ON evidence_blob "
        "FOR EACH ROW EXECUTE FUNCTION jobpolicy_blob_stamp()",
        # A record's times follow the server too; status_at moves only with the status (no "done on time" forged).
        f"""CREATE OR REPLACE FUNCTION jobpolicy_record_stamp() RETURNS trigger {pinned} AS $$
            BEGIN
                NEW.updated_at := jobpolicy_server_time(NEW.updated_at);
                IF TG_OP = 'UPDATE' THEN
                    -- status_at as sent, not updated_at: the ORM may flush the status before the times.
                    IF NEW.status IS DISTINCT FROM OLD.status THEN
                        NEW.status_at := jobpolicy_server_time(NEW.status_at);
                    ELSE NEW.status_at := OLD.status_at; END IF;
                ELSIF NOT jobpolicy_is_admin() THEN
                    NEW.status_at := NEW.updated_at;  -- the administrator's catalog moves carry status_at over
                END IF;
                RETURN NEW;
            END $$""",
        "CREATE TRIGGER record_stamp BEFORE INSERT OR UPDATE ON record "
        "FOR EACH ROW EXECUTE FUNCTION jobpolicy_record_stamp()",
    ]


ADMIN = "(SELECT jobpolicy_is_admin())"
OFFICE = "IN (SELECT jobpolicy_office_codes())"
REVIEWER = "IN (SELECT jobpolicy_reviewed_codes())"
OFFICE_REVIEW = "review IN ('draft', 'submitted')"  # an office submits; only a reviewer accepts or returns
REVIEWER_REVIEW = "review IN ('accepted', 'returned')"
SCHOOL = f"code {OFFICE} OR province IN (SELECT jobpolicy_provinces())"


def _policies() -> list[str]:
    guarded = (*SCHOOL_TABLES, "evidence", "evidence_blob", "access_grant")
    statements = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY" for t in guarded]
    statements += [f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY" for t in guarded]
    statements += [f"CREATE POLICY jp_admin ON {t} USING ({ADMIN}) WITH CHECK ({ADMIN})" for t in guarded]
    statements += [f"CREATE POLICY jp_read ON {t} FOR SELECT USING ({c} {OFFICE} OR {c} {REVIEWER})"
                   for t, c in SCHOOL_TABLES.items() if t != "institution"]
    statements += [
        "CREATE POLICY jp_own ON access_grant FOR SELECT USING (login = current_user)",
        # By province, not through jobpolicy_reviewed_codes(), which reads this very table.
        f"CREATE POLICY jp_read ON institution FOR SELECT USING ({SCHOOL})",
        # Writers lock their school's row (SELECT … FOR UPDATE), which needs an UPDATE policy; no update passes.
        f"CREATE POLICY jp_lock ON institution FOR UPDATE USING ({SCHOOL}) WITH CHECK (false)",
        f"CREATE POLICY jp_office_add ON record FOR INSERT WITH CHECK (institution_code {OFFICE} AND {OFFICE_REVIEW})",
        f"CREATE POLICY jp_office_change ON record FOR UPDATE USING (institution_code {OFFICE}) "
        f"WITH CHECK (institution_code {OFFICE} AND {OFFICE_REVIEW})",
        f"CREATE POLICY jp_review ON record FOR UPDATE USING (institution_code {REVIEWER}) "
        f"WITH CHECK (institution_code {REVIEWER} AND {REVIEWER_REVIEW})",
        f"CREATE POLICY jp_office_add ON event FOR INSERT WITH CHECK (institution_code {OFFICE} "
        f"AND (field <> 'review' OR new IN ('draft', 'submitted')))",
        f"CREATE POLICY jp_review_add ON event FOR INSERT WITH CHECK (institution_code {REVIEWER} "
        f"AND field IN ('review', 'review_reason'))",
        "CREATE POLICY jp_read ON evidence FOR SELECT USING (record_id IN (SELECT id FROM record))",
        f"CREATE POLICY jp_office_add ON evidence FOR INSERT WITH CHECK (record_id IN "
        f"(SELECT id FROM record WHERE institution_code {OFFICE}))",
        f"CREATE POLICY jp_office_change ON evidence FOR UPDATE USING (record_id IN "
        f"(SELECT id FROM record WHERE institution_code {OFFICE})) WITH CHECK (record_id IN "
        f"(SELECT id FROM record WHERE institution_code {OFFICE}))",
        # A stored file is read through an evidence row this login sees; any office may store a new one.
        # (INSERT … ON CONFLICT DO NOTHING checks the new row against this too, before any evidence row cites it)
        "CREATE POLICY jp_read ON evidence_blob FOR SELECT "
        "USING (stored_by = session_user OR sha256 IN (SELECT sha256 FROM evidence))",
        "CREATE POLICY jp_office_add ON evidence_blob FOR INSERT WITH CHECK (EXISTS (SELECT jobpolicy_office_codes()))",
        f"CREATE POLICY jp_office_add ON import_batch FOR INSERT WITH CHECK (institution_code {OFFICE})",
        f"CREATE POLICY jp_office_change ON import_batch FOR UPDATE USING (institution_code {OFFICE}) "
        f"WITH CHECK (institution_code {OFFICE})",
    ]
    return statements


# Nobody but the owner keeps a right to change history; the owner is stopped by the triggers.
REVOKE_EVENT_CHANGES = """DO $$DECLARE r record; BEGIN
    FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
             WHERE table_schema = current_schema() AND table_name = 'event'
               AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
               AND grantee <> (SELECT tableowner FROM pg_tables
                               WHERE schemaname = current_schema() AND tablename = 'event')
    LOOP
        EXECUTE 'REVOKE UPDATE, DELETE, TRUNCATE ON event FROM '
                || CASE WHEN r.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(r.grantee) END;
    END LOOP; END$$"""


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: rebuilding ``event`` on SQLite would drop its append-only triggers.
    op.add_column("event", sa.Column("login", sa.String(63), nullable=False, server_default=""))
    op.add_column("evidence_blob", sa.Column("stored_by", sa.String(63), nullable=False, server_default=""))
    op.create_table(
        "access_grant",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(63), nullable=False, index=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("institution_code", sa.String(10)),
        sa.Column("province", sa.String),
        sa.Column("granted_by", sa.String(63), nullable=False),
        sa.Column("granted_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("login", "kind", "institution_code", "province"),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    for statement in [*_functions(schema), *_triggers(schema), *_policies(), REVOKE_EVENT_CHANGES]:
        op.execute(statement)
