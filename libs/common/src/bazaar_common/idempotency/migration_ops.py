"""Alembic operations creating the idempotency keys table, for service migrations.

A migration is a frozen snapshot, so these are versioned like the messaging
tables' (``bazaar_common.messaging.migration_ops``): when
:func:`bazaar_common.idempotency.table.add_idempotency_keys` changes, add a
``_v2`` that alters the v1 table; never edit v1. The DDL is what
``alembic revision --autogenerate`` writes for the table with its default
names (orders' own 0001 created its variant before this existed).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TABLE = "idempotency_keys"


def create_idempotency_keys_v1() -> None:
    """Create ``idempotency_keys`` (caller, key) with its expiry index."""
    op.create_table(
        TABLE,
        sa.Column("caller", sa.String(length=128), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("lease_token", sa.Uuid(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_status", sa.SmallInteger(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state <> 'completed' OR (response_status IS NOT NULL AND response_body IS NOT NULL)",
            name=op.f("ck_idempotency_keys_completed_has_response"),
        ),
        sa.CheckConstraint(
            "state <> 'in-progress' OR (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)",
            name=op.f("ck_idempotency_keys_in_progress_has_lease"),
        ),
        sa.CheckConstraint(
            "state IN ('in-progress', 'completed')", name=op.f("ck_idempotency_keys_state_known")
        ),
        sa.PrimaryKeyConstraint("caller", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index("ix_idempotency_keys_expires_at", TABLE, ["expires_at"], unique=False)


def drop_idempotency_keys_v1() -> None:
    op.drop_index("ix_idempotency_keys_expires_at", table_name=TABLE)
    op.drop_table(TABLE)
