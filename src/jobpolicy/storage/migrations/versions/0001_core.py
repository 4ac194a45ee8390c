"""Core tables: loaded policies and items, institutions, records and their event log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("policy_id", sa.String(64), nullable=False, index=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("catalog_sha256", sa.String(64), nullable=False),
        sa.Column("catalog_text", sa.Text, nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("loaded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("policy_id", "version"),
    )
    op.create_table(
        "catalog_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("policy_version_id", sa.Integer, sa.ForeignKey("policy_version.id"), nullable=False, index=True),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("section_id", sa.String(32), nullable=False),
        sa.Column("measure_id", sa.String(48), nullable=False),
        sa.Column("actor", sa.String(16), nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("wording_hash", sa.String(16), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("indicator_target", sa.Float),
        sa.Column("indicator_comparator", sa.String(2)),
        sa.Column("due", sa.Date),
        sa.Column("rrule", sa.String),
        sa.Column("cadence_start", sa.Date),
        sa.Column("levels", sa.String, nullable=False),
        sa.Column("provinces", sa.String, nullable=False),
        sa.UniqueConstraint("policy_version_id", "item_id"),
    )
    op.create_table(
        "institution",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("authority", sa.String, nullable=False),
        sa.Column("province", sa.String, nullable=False, index=True),
        sa.Column("city", sa.String, nullable=False),
        sa.Column("level", sa.String, nullable=False),
        sa.Column("remark", sa.String, nullable=False),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("list_year", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("institution_code", sa.String(10), sa.ForeignKey("institution.code"), nullable=False, index=True),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer),
        sa.Column("owner", sa.String),
        sa.Column("department", sa.String),
        sa.Column("due", sa.Date),
        sa.Column("value", sa.Float),
        sa.Column("note", sa.String),
        sa.Column("na_reason", sa.String),
        sa.Column("review", sa.String(16), nullable=False),
        sa.Column("review_reason", sa.String),
        sa.Column("reassess", sa.Boolean, nullable=False),
        sa.Column("reassess_reason", sa.String),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String, nullable=False),
        sa.UniqueConstraint("institution_code", "policy_id", "item_id", "period"),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("record.id"), nullable=False),
        sa.Column("institution_code", sa.String(10), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old", sa.String),
        sa.Column("new", sa.String),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("change_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_event_record_field", "event", ["record_id", "field", "id"])
    op.create_index("ix_event_institution_at", "event", ["institution_code", "at"])
