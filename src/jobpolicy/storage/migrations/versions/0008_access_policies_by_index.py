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
- a stored file is read through an evidence row citing it, found through a new index on ``evidence.sha256``.

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
    pinned = f'LANGUAGE sql STABLE SET search_path = "{schema}"'
    return [
        f"""CREATE OR REPLACE FUNCTION jobpolicy_reviewed_codes() RETURNS SETOF text {pinned} AS $$
            SELECT code FROM institution WHERE province = ANY (ARRAY(SELECT jobpolicy_provinces())) $$""",
    ]


OFFICE = "= ANY (ARRAY(SELECT jobpolicy_office_codes()))"
REVIEWER = "= ANY (ARRAY(SELECT jobpolicy_reviewed_codes()))"
OFFICE_REVIEW = "review IN ('draft', 'submitted')"  # an office submits; only a reviewer accepts or returns
REVIEWER_REVIEW = "review IN ('accepted', 'returned')"
SCHOOL = f"code {OFFICE} OR province = ANY (ARRAY(SELECT jobpolicy_provinces()))"
SEEN_RECORD = "EXISTS (SELECT 1 FROM record r WHERE r.id = evidence.record_id)"  # through record's own policies
OFFICE_RECORD = f"EXISTS (SELECT 1 FROM record r WHERE r.id = evidence.record_id AND r.institution_code {OFFICE})"

# (table, policy, the rest of its CREATE POLICY after "ON table"): every policy of 0007 but jp_admin and jp_own,
# which read no other table.
POLICIES = [
    ("record", "jp_read", f"FOR SELECT USING (institution_code {OFFICE} OR institution_code {REVIEWER})"),
    ("event", "jp_read", f"FOR SELECT USING (institution_code {OFFICE} OR institution_code {REVIEWER})"),
    ("import_batch", "jp_read", f"FOR SELECT USING (institution_code {OFFICE} OR institution_code {REVIEWER})"),
    ("institution", "jp_read", f"FOR SELECT USING ({SCHOOL})"),
    ("institution", "jp_lock", f"FOR UPDATE USING ({SCHOOL}) WITH CHECK (false)"),
    ("record", "jp_office_add", f"FOR INSERT WITH CHECK (institution_code {OFFICE} AND {OFFICE_REVIEW})"),
    ("record", "jp_office_change", f"FOR UPDATE USING (institution_code {OFFICE}) "
                                   f"WITH CHECK (institution_code {OFFICE} AND {OFFICE_REVIEW})"),
    ("record", "jp_review", f"FOR UPDATE USING (institution_code {REVIEWER}) "
                            f"WITH CHECK (institution_code {REVIEWER} AND {REVIEWER_REVIEW})"),
    ("event", "jp_office_add", f"FOR INSERT WITH CHECK (institution_code {OFFICE} "
                               f"AND (field <> 'review' OR new IN ('draft', 'submitted')))"),
    ("event", "jp_review_add", f"FOR INSERT WITH CHECK (institution_code {REVIEWER} "
                               f"AND field IN ('review', 'review_reason'))"),
    ("evidence", "jp_read", f"FOR SELECT USING ({SEEN_RECORD})"),
    ("evidence", "jp_office_add", f"FOR INSERT WITH CHECK ({OFFICE_RECORD})"),
    ("evidence", "jp_office_change", f"FOR UPDATE USING ({OFFICE_RECORD}) WITH CHECK ({OFFICE_RECORD})"),
    ("evidence_blob", "jp_read", "FOR SELECT USING (stored_by = session_user "
                                 "OR EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = evidence_blob.sha256))"),
    ("import_batch", "jp_office_add", f"FOR INSERT WITH CHECK (institution_code {OFFICE})"),
    ("import_batch", "jp_office_change", f"FOR UPDATE USING (institution_code {OFFICE}) "
                                         f"WITH CHECK (institution_code {OFFICE})"),
]


def upgrade() -> None:
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    for statement in _functions(schema):
        op.execute(statement)
    for table, name, rest in POLICIES:
        op.execute(f"DROP POLICY {name} ON {table}")
        op.execute(f"CREATE POLICY {name} ON {table} {rest}")
