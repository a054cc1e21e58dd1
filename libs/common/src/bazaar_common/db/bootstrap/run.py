"""One service's database bootstrap: database, roles, rights, and the two secrets.

Runs as a one-off ECS task of the service's own image, with the master user
read from Aurora's managed secret. Safe to run again: a second run changes
nothing and says so.
"""

from __future__ import annotations

import asyncpg

from bazaar_common.db.bootstrap.credentials import Login, ensure_login
from bazaar_common.db.bootstrap.schema_access import (
    Changes,
    ensure_database,
    ensure_membership,
    ensure_role,
    ensure_schema_access,
)
from bazaar_common.db.bootstrap.secret_store import BootstrapError, SecretStore
from bazaar_common.db.bootstrap.settings import BootstrapSettings

CONNECT_TIMEOUT_SECONDS = 10
# The maintenance database every PostgreSQL server, Aurora included, has.
MAINTENANCE_DATABASE = "postgres"


async def _connect_as_master(
    settings: BootstrapSettings, user: str, password: str, database: str
) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(
            host=settings.database_host,
            port=settings.database_port,
            user=user,
            password=password,
            database=database,
            ssl=settings.database_ssl.value,
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
    except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError):
        raise BootstrapError(f"the master user {user} cannot sign in to {database}") from None
    except (OSError, TimeoutError) as error:
        raise BootstrapError(
            f"no database server at {settings.database_host}:{settings.database_port}: "
            f"{type(error).__name__}"
        ) from None


async def bootstrap(settings: BootstrapSettings, store: SecretStore) -> Changes:
    changes = Changes()
    user, password = await store.master_login(settings.master_secret_arn)
    owner, app = settings.owner_role, settings.app_role
    admin = await _connect_as_master(settings, user, password, MAINTENANCE_DATABASE)
    try:
        await ensure_role(admin, owner, changes)
        await ensure_role(admin, app, changes)
        await ensure_membership(admin, owner)
        await ensure_database(admin, settings.database_name, owner, app, changes)
        for login in (Login(owner, settings.owner_secret_arn), Login(app, settings.app_secret_arn)):
            await ensure_login(admin, store, settings, login, changes)
    finally:
        await admin.close()
    in_database = await _connect_as_master(settings, user, password, settings.database_name)
    try:
        await ensure_schema_access(in_database, owner, app, changes)
    finally:
        await in_database.close()
    return changes
