"""idempotency keys of the admin writes

Every state-changing POST takes an Idempotency-Key (ADR 0019); a retried
restock must not add its units twice.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 10:00:00.000000
"""

from collections.abc import Sequence

from bazaar_common.idempotency.migration_ops import (
    create_idempotency_keys_v1,
    drop_idempotency_keys_v1,
)

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_idempotency_keys_v1()


def downgrade() -> None:
    drop_idempotency_keys_v1()
