"""The evidence store: which evidence rows have their file stored, withdrawn evidence, and (on PostgreSQL) the files.

- ``evidence.stored``: the file itself is in the store; rows from before are described only (size, sha256), so
  the check never reports them as missing. Existing rows are not stored.
- ``evidence.withdrawn_at`` / ``withdrawn_by``: evidence withdrawn by an office; the row and the file stay, so
  reports of the past still show it.
- ``evidence_blob``: the files, keyed by sha256. PostgreSQL keeps them here; SQLite keeps them in a folder beside
  the database file (``storage.evidence_store``) and leaves this table empty.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# A stored file is never changed or deleted by the tool: the database refuses it, as it does for the event log.
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER evidence_blob_no_update BEFORE UPDATE ON evidence_blob "
        "BEGIN SELECT RAISE(ABORT, 'evidence store is append-only'); END",
        "CREATE TRIGGER evidence_blob_no_delete BEFORE DELETE ON evidence_blob "
        "BEGIN SELECT RAISE(ABORT, 'evidence store is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION jobpolicy_evidence_blob_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'evidence store is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER evidence_blob_append_only BEFORE UPDATE OR DELETE ON evidence_blob "
        "FOR EACH ROW EXECUTE FUNCTION jobpolicy_evidence_blob_append_only()",
    ],
}


def upgrade() -> None:
    with op.batch_alter_table("evidence") as table:
        table.add_column(sa.Column("stored", sa.Boolean, nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("withdrawn_at", sa.DateTime, nullable=True))
        table.add_column(sa.Column("withdrawn_by", sa.String, nullable=True))
    with op.batch_alter_table("evidence") as table:
        table.alter_column("stored", server_default=None)
    op.create_table(
        "evidence_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("stored_at", sa.DateTime, nullable=False),
    )
    for statement in TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
