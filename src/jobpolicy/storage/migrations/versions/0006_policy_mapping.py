"""Mappings between loaded policy versions: how a province's plan relates its items to the opinion's.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_mapping",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("from_policy_id", sa.String(64), nullable=False),
        sa.Column("from_version", sa.String(32), nullable=False),
        sa.Column("to_policy_id", sa.String(64), nullable=False),
        sa.Column("to_version", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("in_catalog", sa.Boolean, nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("from_policy_id", "from_version", "to_policy_id", "to_version"),
    )
