"""Tracking start per institution, when each record's status was set, and who filled in an imported workbook.

- ``institution.tracking_start``: the first day the institution is tracked; occurrences due before it are not
  counted and never overdue. Existing institutions start on the day they were added (China time).
- ``record.status_at``: when the record's current status was set, so "done after the deadline" (逾期完成) is one
  comparison. Existing records take the time of their latest status event.
- ``import_batch.author`` / ``phone``: the workbook's 填报人 and 联系电话; ``submitted``: whether the import was the
  school's 报送 (its rows submitted) or kept as drafts.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Datetimes are stored as naive UTC on both back ends; China is UTC+8 all year.
_CHINA_DATE = {
    "sqlite": "date(created_at, '+8 hours')",
    "postgresql": "CAST(created_at + INTERVAL '8 hours' AS DATE)",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("institution") as table:
        table.add_column(sa.Column("tracking_start", sa.Date, nullable=True))
    op.execute(f"UPDATE institution SET tracking_start = {_CHINA_DATE[dialect]}")
    with op.batch_alter_table("institution") as table:
        table.alter_column("tracking_start", existing_type=sa.Date, nullable=False)

    with op.batch_alter_table("record") as table:
        table.add_column(sa.Column("status_at", sa.DateTime, nullable=True))
    op.execute("UPDATE record SET status_at = COALESCE((SELECT MAX(event.at) FROM event"
               " WHERE event.record_id = record.id AND event.field = 'status'), updated_at)")
    with op.batch_alter_table("record") as table:
        table.alter_column("status_at", existing_type=sa.DateTime, nullable=False)

    # Earlier batches get the defaults; new rows always name them, so the server defaults go again.
    with op.batch_alter_table("import_batch") as table:
        table.add_column(sa.Column("author", sa.String, nullable=False, server_default=""))
        table.add_column(sa.Column("phone", sa.String, nullable=False, server_default=""))
        table.add_column(sa.Column("submitted", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("import_batch") as table:
        for name in ("author", "phone", "submitted"):
            table.alter_column(name, server_default=None)
