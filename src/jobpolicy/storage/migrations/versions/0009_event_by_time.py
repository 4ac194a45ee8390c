"""The events of a time span across every school, found by an index: what the past as a delta from today reads.

``services.as_of.records_as_of`` rebuilds only the records an event changed at or after the moment asked for, and
reads the others' rows; finding those records was a scan of the whole event log (a million rows at national scale)
for each moment. ``ix_event_at`` (``at``, ``field``, ``record_id``) makes it a range read of the window's events
that never touches the table. ``ix_event_institution_at`` stays: one school's events by time.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_event_at", "event", ["at", "field", "record_id"])
