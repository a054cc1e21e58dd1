from bazaar_audit.adapters.tables import metadata
from bazaar_common.db.alembic_env import run_migrations

run_migrations(metadata)
