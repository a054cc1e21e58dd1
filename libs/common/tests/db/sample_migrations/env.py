from sqlalchemy import MetaData

from bazaar_common.db.alembic_env import run_migrations

run_migrations(MetaData())
