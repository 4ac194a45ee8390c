"""Row-level security that costs an index lookup, not a scan, per row; evidence findable by its file's sha256.

The policies of 0007 said "this school is one of mine" as ``institution_code IN (SELECT jobpolicy_office_codes())``
and "this evidence belongs to a record I see" as ``record_id IN (SELECT id FROM record)``. PostgreSQL ORs the
permissive policies in an order of its own, so the administrator's cheap ``jp_admin`` does not spare the others,
and for a row written on its own (every ``executemany`` row, every change an office records) such an ``IN``
becomes a scan of ``record`` until the row's record turns up: 50 ms an evidence row at 300 schools, hours for a
national load. Now:

- a login's schools and provinces are read once per statement into an array (``= ANY (ARRAY(SELECT …))``, an
  InitPlan), which an index scan on the code or province column can use, and which costs nothing per row when
  empty (the administrator's case);
- an evidence row's record is found by its id (``EXISTS … WHERE r.id = evidence.record_id``), an index lookup per
  row or one hashed pass for a whole table, as the planner judges;
- a stored file is read through an evidence row citing it, found through a new index on ``evidence.sha256``;
- the administrator's check comes first in every policy, so the other lookups are not made for the administrator;
- the functions the policies call are PL/pgSQL, whose plans the session keeps (a SQL function that cannot be
  inlined is planned again in every statement, that is for every row of an ``executemany``).

Who may read or write what is unchanged (tests/storage/test_access*.py).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _functions(schema: str) -> list[str]:
    # PL/pgSQL, not SQL: a SQL function that cannot be inlined (these pin their search path) is parsed and planned
    # again in every statement that calls it, and the policies call them in every statement, once per row of an
    # executemany; PL/pgSQL keeps its plans for the session (half the time a call).
    pinned = f'LANGUAGE plpgsql STABLE SET search_path = "{schema}"'
    return [
        f"""CREATE OR REPLACE FUNCTION jobpolicy_is_admin() RETURNS boolean {pinned} AS $$ BEGIN
            RETURN (SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c
                    WHERE c.oid = '"{schema}".event'::regclass); END $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_office_codes() RETURNS SETOF text {pinned} AS $$ BEGIN
            RETURN QUERY SELECT institution_code::text FROM access_grant
                         WHERE login = current_user AND kind = 'office'; END $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_provinces() RETURNS SETOF text {pinned} AS $$ BEGIN
            RETURN QUERY SELECT province::text FROM access_grant
                         WHERE login = current_user AND kind = 'reviewer'; END $$""",
        f"""CREATE OR REPLACE FUNCTION jobpolicy_reviewed_codes() RETURNS SETOF text {pinned} AS $$ BEGIN
            RETURN QUERY SELECT code::text FROM institution
                         WHERE province = ANY (ARRAY(SELECT jobpolicy_provinces())); END $$""",
    ]


ADMIN = "(SELECT jobpolicy_is_admin())"
OFFICE = "= ANY (ARRAY(SELECT jobpolicy_office_codes()))"
REVIEWER = "= ANY (ARRAY(SELECT jobpolicy_reviewed_codes()))"
OFFICE_REVIEW = "review IN ('draft', 'submitted')"  # an office submits; only a reviewer accepts or returns
REVIEWER_REVIEW = "review IN ('accepted', 'returned')"
SCHOOL = f"code {OFFICE} OR province = ANY (ARRAY(SELECT jobpolicy_provinces()))"
SEEN_RECORD = "EXISTS (SELECT 1 FROM record r WHERE r.id = evidence.record_id)"  # through record's own policies
OFFICE_RECORD = f"EXISTS (SELECT 1 FROM record r WHERE r.id = evidence.record_id AND r.institution_code {OFFICE})"

READ = f"institution_code {OFFICE} OR institution_code {REVIEWER}"

# (table, policy, command, USING, WITH CHECK): every policy of 0007 but jp_admin and jp_own, which read no other
# table and call no function but the administrator's check.
POLICIES = [
    ("record", "jp_read", "SELECT", READ, None),
    ("event", "jp_read", "SELECT", READ, None),
    ("import_batch", "jp_read", "SELECT", READ, None),
    ("institution", "jp_read", "SELECT", SCHOOL, None),
    # Writers lock their school's row (SELECT … FOR UPDATE), which needs an UPDATE policy; no update passes.
    ("institution", "jp_lock", "UPDATE", SCHOOL, "false"),
    ("record", "jp_office_add", "INSERT", None, f"institution_code {OFFICE} AND {OFFICE_REVIEW}"),
    ("record", "jp_office_change", "UPDATE", f"institution_code {OFFICE}",
     f"institution_code {OFFICE} AND {OFFICE_REVIEW}"),
    ("record", "jp_review", "UPDATE", f"institution_code {REVIEWER}",
     f"institution_code {REVIEWER} AND {REVIEWER_REVIEW}"),
    ("event", "jp_office_add", "INSERT", None,
     f"institution_code {OFFICE} AND (field <> 'review' OR new IN ('draft', 'submitted'))"),
    ("event", "jp_review_add", "INSERT", None, f"institution_code {REVIEWER} AND field IN ('review', 'review_reason')"),
    ("evidence", "jp_read", "SELECT", SEEN_RECORD, None),
    ("evidence", "jp_office_add", "INSERT", None, OFFICE_RECORD),
    ("evidence", "jp_office_change", "UPDATE", OFFICE_RECORD, OFFICE_RECORD),
    # A stored file is read through an evidence row this login sees (or by who stored it).
    ("evidence_blob", "jp_read", "SELECT",
     "stored_by = session_user OR EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = evidence_blob.sha256)", None),
    ("import_batch", "jp_office_add", "INSERT", None, f"institution_code {OFFICE}"),
    ("import_batch", "jp_office_change", "UPDATE", f"institution_code {OFFICE}", f"institution_code {OFFICE}"),
]


def _create(table: str, name: str, command: str, using: str | None, check: str | None) -> str:
    """The policy, each condition preceded by the administrator's check. PostgreSQL ORs the permissive policies in
    an order of its own (``jp_admin`` last, as it happens) and evaluates an InitPlan only when its value is needed:
    said first in each policy, the administrator's check spares every other lookup. Who may do what is the same,
    since ``jp_admin`` grants the administrator everything anyway."""
    clauses = [f"{word} ({ADMIN} OR ({condition}))"
               for word, condition in (("USING", using), ("WITH CHECK", check)) if condition is not None]
    return f"CREATE POLICY {name} ON {table} FOR {command} {' '.join(clauses)}"


def upgrade() -> None:
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    for statement in _functions(schema):
        op.execute(statement)
    for table, name, *rest in POLICIES:
        op.execute(f"DROP POLICY {name} ON {table}")
        op.execute(_create(table, name, *rest))
