"""the archive writer's queue of stored events not yet archived

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 22:00:00.000000

Events stored before this revision are queued too: the archive then holds
every event the store holds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive_pending",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("batch_key", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_archive_pending")),
    )
    op.create_index(
        "ix_archive_pending_claimed",
        "archive_pending",
        ["batch_key"],
        postgresql_where=sa.text("batch_key IS NOT NULL"),
    )
    op.execute("INSERT INTO archive_pending (event_id) SELECT event_id FROM events")


def downgrade() -> None:
    op.drop_index("ix_archive_pending_claimed", table_name="archive_pending")
    op.drop_table("archive_pending")
