"""shipments, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-06 12:26:37.768718
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
        "shipments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("order_id", name=op.f("uq_shipments_order_id")),
    )
    op.create_index("ix_shipments_created_at_id", "shipments", ["created_at", "id"])
    op.create_index(
        "ix_shipments_customer_id_created_at_id",
        "shipments",
        ["customer_id", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_shipments_customer_id_created_at_id", table_name="shipments")
    op.drop_index("ix_shipments_created_at_id", table_name="shipments")
    op.drop_table("shipments")
    drop_messaging_tables_v1()
