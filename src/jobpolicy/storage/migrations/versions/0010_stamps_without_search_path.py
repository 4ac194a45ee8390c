"""The server's stamps (0007) without a ``search_path`` pin: every name in their bodies qualified instead.

The event and record stamp triggers, and the administrator's check they call, pinned their ``search_path`` so that a
login could not put a function of its own (``now``, ``jobpolicy_is_admin``, an operator) ahead of ours and forge a
time. A pinned function sets and restores that setting on every call, which invalidates the session's resolved path
each time: the triggers run once per row written, and at national scale that was a third of PostgreSQL's bulk load.

Now the bodies name everything they use by schema: the built-ins by ``pg_catalog`` (``now()`` and ``AT TIME ZONE``
become ``pg_catalog.now()`` and ``pg_catalog.timezone``, every comparison ``OPERATOR(pg_catalog.=)``), our own
functions and tables by the schema the migration runs in, resolved here with ``current_schema()`` as 0007 did for
its pins. The functions stay SECURITY INVOKER; whatever a session's ``search_path`` holds, no name in them resolves
through it. ``jobpolicy_server_time`` is folded into the two triggers (a nested call per row), and dropped.

The event trigger is called only for a row whose login or time is not already the server's (``WHEN``): a
condition evaluated as an expression, whose functions and operators are bound when the trigger is created, costs
a fraction of a PL/pgSQL call. ``storage.bulk`` sends an event's login and time as the server's own
(``session_user``, ``now()``), so the many rows of a load or an import skip the call and come out the same.
Who may write what, and which times are kept, is unchanged (tests/storage/test_access_tables.py,
tests/services/test_access.py).

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

EQ = "OPERATOR(pg_catalog.=)"
SERVER_NOW = "pg_catalog.timezone('UTC', pg_catalog.now())"  # now() AT TIME ZONE 'UTC', as a plain timestamp


def _statements(schema: str) -> list[str]:
    owner = f'"{schema}"'
    # Keep the client's time only for an administrator's session that asked for it (tests that travel in time).
    # (IS TRUE: the setting is NULL when never set, and NULL must mean the server's clock.)
    client_clock = (f"(pg_catalog.current_setting('jobpolicy.client_clock', true) {EQ} 'on' "
                    f"AND {owner}.jobpolicy_is_admin()) IS TRUE")
    return [
        f"""CREATE OR REPLACE FUNCTION {owner}.jobpolicy_is_admin() RETURNS boolean LANGUAGE plpgsql STABLE AS $$
            BEGIN
                RETURN (SELECT pg_catalog.pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c
                        WHERE c.oid {EQ} '{owner}.event'::pg_catalog.regclass);
            END $$""",
        f"""CREATE OR REPLACE FUNCTION {owner}.jobpolicy_event_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.login := session_user;
                IF NOT ({client_clock}) THEN NEW.at := {SERVER_NOW}; END IF;
                RETURN NEW;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION {owner}.jobpolicy_blob_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.stored_by := session_user; RETURN NEW; END $$""",
        # A record's times follow the server; status_at moves only with the status (no "done on time" forged).
        f"""CREATE OR REPLACE FUNCTION {owner}.jobpolicy_record_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                client boolean := {client_clock};
            BEGIN
                IF NOT client THEN NEW.updated_at := {SERVER_NOW}; END IF;
                IF TG_OP {EQ} 'UPDATE' THEN
                    -- status_at as sent, not updated_at: the ORM may flush the status before the times.
                    IF (NEW.status {EQ} OLD.status) IS NOT TRUE THEN
                        IF NOT client THEN NEW.status_at := {SERVER_NOW}; END IF;
                    ELSE NEW.status_at := OLD.status_at; END IF;
                ELSIF NOT {owner}.jobpolicy_is_admin() THEN
                    NEW.status_at := NEW.updated_at;  -- the administrator's catalog moves carry status_at over
                END IF;
                RETURN NEW;
            END $$""",
        f"DROP FUNCTION {owner}.jobpolicy_server_time(timestamp)",
        # An event that already carries the login and the server's time has nothing to change: the trigger's
        # condition, an expression (its names bound here, once), spares the function call (storage.bulk sends so).
        "DROP TRIGGER event_stamp ON event",
        f"""CREATE TRIGGER event_stamp BEFORE INSERT ON event FOR EACH ROW
            WHEN (NEW.login::text IS DISTINCT FROM session_user::text OR NEW.at IS DISTINCT FROM {SERVER_NOW})
            EXECUTE FUNCTION {owner}.jobpolicy_event_stamp()""",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    for statement in _statements(schema):
        op.execute(statement)
