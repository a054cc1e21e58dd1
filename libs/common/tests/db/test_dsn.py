"""asyncpg_dsn: SQLAlchemy's DATABASE_URL as asyncpg's own connections take it."""

from __future__ import annotations

import asyncpg

from bazaar_common.db.dsn import asyncpg_dsn
from bazaar_common.db.read_pool import create_read_pool
from bazaar_common.settings import Environment, ServiceSettings


def make_settings(database_url: str) -> ServiceSettings:
    return ServiceSettings.model_validate(
        {
            "environment": Environment.TEST,
            "database_url": database_url,
            "auth_issuer": "https://issuer.test",
            "auth_client_ids": ["client"],
        }
    )


def with_query(database_url: str, query: str) -> str:
    return f"{database_url}{'&' if '?' in database_url else '?'}{query}"


def test_the_driver_prefix_goes_and_ssl_becomes_sslmode() -> None:
    settings = make_settings(
        database_url="postgresql+asyncpg://app:secret@db.example:5432/orders?ssl=require"
    )
    assert asyncpg_dsn(settings) == "postgresql://app:secret@db.example:5432/orders?sslmode=require"


def test_a_url_without_a_query_keeps_none() -> None:
    settings = make_settings(database_url="postgresql+asyncpg://app:secret@db.example:5432/orders")
    assert asyncpg_dsn(settings) == "postgresql://app:secret@db.example:5432/orders"


async def test_asyncpg_connects_with_the_ssl_setting_the_bootstrap_writes(
    fresh_database_url,
) -> None:
    # What the database bootstrap writes into the services' secret carries ?ssl=...;
    # passed through as is, asyncpg sends `ssl` to the server, which refuses it.
    settings = make_settings(database_url=with_query(fresh_database_url, "ssl=disable"))
    connection = await asyncpg.connect(asyncpg_dsn(settings))
    try:
        assert await connection.fetchval("select 1") == 1
    finally:
        await connection.close()
    pool = await create_read_pool(settings, application_name="dsn-test")
    try:
        async with pool.connection() as pooled:
            assert await pooled.fetchval("select 2") == 2
    finally:
        await pool.close()
