"""order_history, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-07 09:00:00.000000
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


def upgrade() -> None:
    create_messaging_tables_v1()
    op.create_table(
        "order_history",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("first_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("total_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=64), nullable=True),
        sa.Column("payment_state", sa.String(length=16), nullable=True),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("payment_amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("payment_decline_reason", sa.String(length=64), nullable=True),
        sa.Column("shipment_id", sa.Uuid(), nullable=True),
        sa.Column("shipment_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('PENDING', 'CONFIRMED', 'CANCELLED')",
            name=op.f("ck_order_history_state_known"),
        ),
        sa.CheckConstraint(
            "payment_state IS NULL OR payment_state IN ('declined', 'captured', 'refunded')",
            name=op.f("ck_order_history_payment_state_known"),
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_history")),
    )
    op.create_index(
        "ix_order_history_first_event_at_order_id",
        "order_history",
        ["first_event_at", "order_id"],
    )
    op.create_index(
        "ix_order_history_customer_id_first_event_at_order_id",
        "order_history",
        ["customer_id", "first_event_at", "order_id"],
    )
    op.create_index(
        "ix_order_history_state_first_event_at_order_id",
        "order_history",
        ["state", "first_event_at", "order_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_order_history_state_first_event_at_order_id", table_name="order_history")
    op.drop_index(
        "ix_order_history_customer_id_first_event_at_order_id", table_name="order_history"
    )
    op.drop_index("ix_order_history_first_event_at_order_id", table_name="order_history")
    op.drop_table("order_history")
    drop_messaging_tables_v1()
