"""NOTIFY inventory_catalog at commit of any product or stock write

Each process of the service caches catalog reads (entrypoints/catalog_cache)
and LISTENs on this channel to drop what another process changed. A trigger,
not the unit of work, sends it: every write is covered, whoever makes it (a
use case, a migration, psql). The payload is the sku; an empty one (TRUNCATE)
means everything. Postgres delivers it only if the transaction commits, and
folds repeats of one payload within a transaction into one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 16:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "inventory_catalog"
TABLES = ("products", "stock")


def upgrade() -> None:
    op.execute(
        f"""
        CREATE FUNCTION notify_catalog_row_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('{CHANNEL}', OLD.sku);
            ELSE
                PERFORM pg_notify('{CHANNEL}', NEW.sku);
                IF TG_OP = 'UPDATE' AND OLD.sku <> NEW.sku THEN
                    PERFORM pg_notify('{CHANNEL}', OLD.sku);
                END IF;
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION notify_catalog_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_catalog AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION notify_catalog_row_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_notify_catalog_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_truncate()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_catalog_truncate ON {table}")
        op.execute(f"DROP TRIGGER {table}_notify_catalog ON {table}")
    op.execute("DROP FUNCTION notify_catalog_truncate()")
    op.execute("DROP FUNCTION notify_catalog_row_change()")
