"""history records, idempotency keys, outbox and inbox

Revision ID: 0001
Revises:
Create Date: 2026-12-06 21:44:51.765028
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bazaar_common.idempotency.migration_ops import (
    create_idempotency_keys_v1,
    drop_idempotency_keys_v1,
)
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
    create_idempotency_keys_v1()
    op.create_table(
        "history_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_event_id", sa.Uuid(), nullable=True),
        sa.Column("source_subject", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_records")),
        sa.UniqueConstraint("source_event_id", name=op.f("uq_history_records_source_event_id")),
    )
    op.create_index("ix_history_records_created_at_id", "history_records", ["created_at", "id"])
    op.create_index(
        "ix_history_records_customer_id_created_at_id",
        "history_records",
        ["customer_id", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_history_records_customer_id_created_at_id", table_name="history_records")
    op.drop_index("ix_history_records_created_at_id", table_name="history_records")
    op.drop_table("history_records")
    drop_idempotency_keys_v1()
    drop_messaging_tables_v1()
