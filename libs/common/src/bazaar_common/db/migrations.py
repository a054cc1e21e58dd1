"""Alembic, run by the service itself at start, safe when many tasks start at once.

Every task of a service may start together (a deployment, a scale-out). The
upgrade runs inside one transaction that first takes a Postgres advisory
lock, so one task migrates while the others wait and then find nothing to do.
Postgres DDL is transactional: a failed migration leaves the schema as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# Any fixed 64-bit key works: advisory locks are scoped to one database, and
# each service has its own. This one spells "bazaar" in ASCII.
MIGRATION_LOCK_KEY = 0x62617A616172


def alembic_config(script_location: str, connection: Connection | None = None) -> Config:
    """``script_location`` is a package path such as ``bazaar_inventory:migrations``."""
    config = Config()
    config.set_main_option("script_location", script_location)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class SchemaState(StrEnum):
    CURRENT = "current"
    AHEAD = "ahead"  # a newer release migrated; expand/contract keeps this code working
    BEHIND = "behind"


@dataclass(frozen=True)
class SchemaExpectation:
    """What this code knows of its schema, to judge the database's revision."""

    head: str | None
    known: frozenset[str]

    @classmethod
    def of(cls, script_location: str) -> SchemaExpectation:
        scripts = ScriptDirectory.from_config(alembic_config(script_location))
        known = frozenset(script.revision for script in scripts.walk_revisions())
        return cls(head=scripts.get_current_head(), known=known)

    def state_of(self, revision: str | None) -> SchemaState:
        if revision == self.head:
            return SchemaState.CURRENT
        if revision is not None and revision not in self.known:
            return SchemaState.AHEAD
        return SchemaState.BEHIND


async def upgrade_to_head(engine: AsyncEngine, script_location: str) -> None:
    async with engine.begin() as connection:
        # Taken before Alembic starts (env.py takes it again; advisory locks
        # nest within a session): Alembic's context is process-global, so two
        # upgrades must not even interleave within one process.
        await connection.run_sync(take_migration_lock)
        await connection.run_sync(_upgrade, script_location)


def take_migration_lock(connection: Connection) -> None:
    """Held until the transaction ends; every migration run takes it first."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def _upgrade(connection: Connection, script_location: str) -> None:
    command.upgrade(alembic_config(script_location, connection), "head")


async def current_revision(connection: AsyncConnection) -> str | None:
    exists = await connection.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
    if not exists:
        return None
    revision: str | None = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    return revision


async def tables_of(connection: AsyncConnection) -> list[str]:
    """Every table of the database outside Postgres's own schemas, as ``schema.table``.

    None means a database nothing has been written to: a rebuild's target.
    """
    rows = await connection.execute(
        text(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY 1"
        )
    )
    return list(rows.scalars())
