"""outbox and inbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:35:25.622038
"""

from collections.abc import Sequence

from bazaar_common.messaging.migration_ops import (
    create_messaging_tables_v1,
    drop_messaging_tables_v1,
)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1()


def downgrade() -> None:
    drop_messaging_tables_v1()
