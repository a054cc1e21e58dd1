"""widgets, created slowly so concurrent starts overlap

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("SELECT pg_sleep(0.3)")
    op.create_table("widgets", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO widgets (id) VALUES (1)")


def downgrade() -> None:
    op.drop_table("widgets")
