from bazaar_common.db.alembic_env import run_migrations
from bazaar_history.adapters.tables import metadata

run_migrations(metadata)
