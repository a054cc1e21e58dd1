"""payments, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-01 07:18:49.666369
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
        "payments",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decline_reason", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(captured_at IS NOT NULL) = (status IN ('captured', 'refunded'))",
            name=op.f("ck_payments_captured_at_iff_money_moved"),
        ),
        sa.CheckConstraint(
            "(refunded_at IS NOT NULL) = (status = 'refunded')",
            name=op.f("ck_payments_refunded_at_iff_refunded"),
        ),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_payments_currency_iso_4217")),
        sa.CheckConstraint(
            "decline_reason IS NULL OR status IN ('declined', 'voided')",
            name=op.f("ck_payments_reason_only_on_refusals"),
        ),
        sa.CheckConstraint(
            "status <> 'declined'"
            " OR coalesce(decline_reason, '') IN ('card-declined', 'amount-over-limit')",
            name=op.f("ck_payments_declined_has_reason"),
        ),
        sa.CheckConstraint(
            "status <> 'voided' OR (decline_reason IS NULL AND amount_minor IS NULL"
            " AND customer_id IS NULL) OR (coalesce(decline_reason, '') = 'payment-voided'"
            " AND amount_minor IS NOT NULL AND customer_id IS NOT NULL)",
            name=op.f("ck_payments_void_answers_one_capture"),
        ),
        sa.CheckConstraint(
            "status = 'voided' OR (customer_id IS NOT NULL AND amount_minor IS NOT NULL)",
            name=op.f("ck_payments_capture_asked"),
        ),
        sa.CheckConstraint(
            "status IN ('captured', 'declined', 'refunded', 'voided')",
            name=op.f("ck_payments_status_known"),
        ),
        sa.CheckConstraint(
            "(amount_minor IS NULL) = (currency IS NULL)",
            name=op.f("ck_payments_amount_has_currency"),
        ),
        sa.CheckConstraint("amount_minor >= 0", name=op.f("ck_payments_amount_not_negative")),
        sa.CheckConstraint(
            "refunded_at >= captured_at", name=op.f("ck_payments_refund_after_capture")
        ),
        sa.CheckConstraint(
            "updated_at >= created_at", name=op.f("ck_payments_updated_after_created")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_payments")),
        sa.UniqueConstraint("id", name=op.f("uq_payments_id")),
    )
    op.create_index("ix_payments_created_at_id", "payments", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_payments_customer_id_created_at_id",
        "payments",
        ["customer_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_payments_customer_id_created_at_id", table_name="payments")
    op.drop_index("ix_payments_created_at_id", table_name="payments")
    op.drop_table("payments")
    drop_messaging_tables_v1()
