"""the append-only event store, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from bazaar_common.messaging.migration_ops import (
    create_messaging_tables_v1,
    drop_messaging_tables_v1,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# History is never rewritten, even by a bug or a hand-typed statement: every
# UPDATE or DELETE on events fails, whatever rows it would touch (a statement
# trigger, so even one matching no row, or an upsert, is refused). TRUNCATE
# is not refused: the tests empty the table between cases with it, and it
# needs the TRUNCATE privilege, which the service's runtime role should not
# hold in AWS.
APPEND_ONLY_FUNCTION = """
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'The audit trail is never changed; record a new event instead.';
END;
$$
"""
APPEND_ONLY_TRIGGER = """
CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("causation_id", sa.Uuid(), nullable=True),
        sa.Column("traceparent", sa.String(length=55), nullable=True),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
    )
    op.create_index(
        "ix_events_subject_occurred_at", "events", ["subject", "occurred_at", "event_id"]
    )
    op.create_index("ix_events_type_occurred_at", "events", ["type", "occurred_at", "event_id"])
    op.create_index("ix_events_occurred_at", "events", ["occurred_at", "event_id"])
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(APPEND_ONLY_TRIGGER)

    create_messaging_tables_v1()


def downgrade() -> None:
    drop_messaging_tables_v1()
    op.execute("DROP TRIGGER events_append_only ON events")
    op.execute("DROP FUNCTION events_append_only()")
    op.drop_index("ix_events_occurred_at", table_name="events")
    op.drop_index("ix_events_type_occurred_at", table_name="events")
    op.drop_index("ix_events_subject_occurred_at", table_name="events")
    op.drop_table("events")
