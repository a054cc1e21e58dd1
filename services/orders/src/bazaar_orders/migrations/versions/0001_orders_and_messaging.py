"""orders, lines, transitions, idempotency keys, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-01 07:22:03.348247
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

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
        "orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("step_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=64), nullable=True),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("card_token", sa.String(length=64), nullable=False),
        sa.Column("stock_requested", sa.Boolean(), nullable=False),
        sa.Column("capture_requested", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'CANCELLED') = (cancel_reason IS NOT NULL AND cancel_reason IN "
            "('out-of-stock', 'payment-declined', 'customer-cancelled', 'step-timeout'))",
            name=op.f("ck_orders_cancel_reason_iff_cancelled"),
        ),
        sa.CheckConstraint(
            "(status = 'PENDING') = (step IS NOT NULL AND step_started_at IS NOT NULL)",
            name=op.f("ck_orders_step_iff_pending"),
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_orders_currency_iso_4217")),
        sa.CheckConstraint(
            "status IN ('PENDING', 'CONFIRMED', 'CANCELLED')", name=op.f("ck_orders_status_known")
        ),
        sa.CheckConstraint(
            "step IS NULL OR step IN ('reserving-stock', 'capturing-payment')",
            name=op.f("ck_orders_step_known"),
        ),
        sa.CheckConstraint(
            "NOT capture_requested OR stock_requested", name=op.f("ck_orders_capture_after_stock")
        ),
        sa.CheckConstraint("total_minor >= 0", name=op.f("ck_orders_total_not_negative")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_orders_version_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    op.create_index(
        "ix_orders_created",
        "orders",
        [sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_index(
        "ix_orders_customer_created",
        "orders",
        ["customer_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_index(
        "ix_orders_pending_step_started",
        "orders",
        ["status", "step_started_at"],
        unique=False,
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lease_token", sa.Uuid(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_status", sa.SmallInteger(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state <> 'completed' OR "
            "(response_status IS NOT NULL AND response_body IS NOT NULL AND order_id IS NOT NULL)",
            name=op.f("ck_idempotency_keys_completed_has_response"),
        ),
        sa.CheckConstraint(
            "state <> 'in-progress' OR (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)",
            name=op.f("ck_idempotency_keys_in_progress_has_lease"),
        ),
        sa.CheckConstraint(
            "state IN ('in-progress', 'completed')", name=op.f("ck_idempotency_keys_state_known")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_idempotency_keys_order_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index(
        "ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"], unique=False
    )
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("position >= 0", name=op.f("ck_order_lines_position_not_negative")),
        sa.CheckConstraint(
            "quantity BETWEEN 1 AND 1000", name=op.f("ck_order_lines_quantity_in_range")
        ),
        sa.CheckConstraint(
            "unit_price_minor >= 0", name=op.f("ck_order_lines_unit_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_lines_order_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("order_id", "position", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("order_id", "sku", name="uq_order_lines_order_id_sku"),
    )
    op.create_table(
        "order_transitions",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("from_step", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("to_step", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("cause_event_id", sa.Uuid(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status = 'PENDING'",
            name=op.f("ck_order_transitions_from_pending_only"),
        ),
        sa.CheckConstraint(
            "from_status IS NULL OR from_status IN ('PENDING', 'CONFIRMED', 'CANCELLED')",
            name=op.f("ck_order_transitions_from_status_known"),
        ),
        sa.CheckConstraint(
            "to_status IN ('PENDING', 'CONFIRMED', 'CANCELLED')",
            name=op.f("ck_order_transitions_to_status_known"),
        ),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_order_transitions_seq_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_transitions_order_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", "seq", name=op.f("pk_order_transitions")),
    )


def downgrade() -> None:
    op.drop_table("order_transitions")
    op.drop_table("order_lines")
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index(
        "ix_orders_pending_step_started",
        table_name="orders",
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.drop_index("ix_orders_customer_created", table_name="orders")
    op.drop_index("ix_orders_created", table_name="orders")
    op.drop_table("orders")
    drop_messaging_tables_v1()
