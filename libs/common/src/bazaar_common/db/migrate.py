"""``python -m bazaar_common.db.migrate --package <package>``: a service's migrations, then exit.

In AWS each task runs this first, in a container of its own that holds the
schema owner's ``DATABASE_URL``; the service's container starts once it
exited 0 and serves as a role that cannot change the schema
(``bazaar_common.db.bootstrap``). Under the migration advisory lock, so the
tasks of a deployment that start together migrate once. Locally the service
migrates itself at start (``RUN_MIGRATIONS``), as the owner it runs as.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.migrations import current_revision, upgrade_to_head
from bazaar_common.settings import AsyncpgUrl, describe_validation_error


class MigrationSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True, case_sensitive=False)

    database_url: AsyncpgUrl = Field(repr=False)
    # Long enough for DDL on a big table, short enough that a blocked
    # migration fails its task instead of hanging the deployment.
    migration_statement_timeout_ms: int = Field(default=300_000, ge=1_000, le=3_600_000)
    migration_lock_timeout_ms: int = Field(default=30_000, ge=1_000, le=600_000)


async def migrate(settings: MigrationSettings, package: str) -> tuple[str | None, str | None]:
    """(revision before, revision after)."""
    engine = create_async_engine(
        str(settings.database_url),
        pool_size=1,
        max_overflow=0,
        connect_args={
            "timeout": 10,
            "server_settings": {
                "application_name": f"{package}-migrate",
                "statement_timeout": str(settings.migration_statement_timeout_ms),
                "lock_timeout": str(settings.migration_lock_timeout_ms),
            },
        },
    )
    try:
        async with engine.connect() as connection:
            before = await current_revision(connection)
        await upgrade_to_head(engine, f"{package}:migrations")
        async with engine.connect() as connection:
            after = await current_revision(connection)
    finally:
        await engine.dispose()
    return before, after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bazaar_common.db.migrate", description=__doc__)
    parser.add_argument(
        "--package",
        required=True,
        help="the service's package, whose migrations are <package>:migrations",
    )
    arguments = parser.parse_args(argv)
    try:
        settings = MigrationSettings()  # from the environment
    except ValidationError as error:
        print(f"migrate: configuration error: {describe_validation_error(error)}", file=sys.stderr)
        return 2
    try:
        before, after = asyncio.run(migrate(settings, arguments.package))
    except Exception as error:  # one line for the task's log, whatever broke
        print(f"migrate: {arguments.package}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    moved = "already at" if before == after else f"from {before} to"
    print(f"migrate: {arguments.package}: {moved} {after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
