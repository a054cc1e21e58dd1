"""Databases in tests: fresh ones (``fresh_database``) and raw reads of what got written."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def plain_dsn(url: str) -> str:
    """A SQLAlchemy asyncpg URL as asyncpg and libpq take it (``postgresql://``)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def database_name(prefix: str, test_name: str) -> str:
    """A database name of the test's own: ``prefix`` and the test's name, shortened."""
    return f"{prefix}_{test_name[:40].lower()}"


@dataclass(frozen=True)
class FreshDatabase:
    url: str  # SQLAlchemy's asyncpg form
    engine: AsyncEngine

    @property
    def dsn(self) -> str:
        """The URL for asyncpg itself, e.g. a LISTEN connection."""
        return plain_dsn(self.url)


async def engine_with_tables(url: str, metadata: MetaData, **engine_options: Any) -> AsyncEngine:
    """An engine on ``url`` once every table of ``metadata`` is created there."""
    engine = create_async_engine(url, **engine_options)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return engine


class MakeFreshDatabase(Protocol):
    """What ``fresh_database`` gives: call it with the test's tables."""

    def __call__(
        self, metadata: MetaData, *, prefix: str, **engine_options: Any
    ) -> Awaitable[FreshDatabase]: ...


class RawDatabase:
    """Raw SQL on a service's tables, bypassing its code, to check what really got written.

    A service's tests subclass it with reads of their own tables.
    """

    def __init__(self, engine: AsyncEngine, metadata: MetaData) -> None:
        self.engine = engine
        self.metadata = metadata

    async def rows(self, sql: str, **params: object) -> list[dict[str, Any]]:
        async with self.engine.connect() as connection:
            result = await connection.execute(text(sql), params)
            return [dict(row) for row in result.mappings()]

    async def scalar(self, sql: str, **params: object) -> Any:
        async with self.engine.connect() as connection:
            return await connection.scalar(text(sql), params)

    async def execute(self, sql: str, **params: object) -> None:
        """Run a writing statement in its own committed transaction."""
        async with self.engine.begin() as connection:
            await connection.execute(text(sql), params)

    async def count(self, table: str) -> int:
        # Only names of the service's own tables reach the SQL below.
        assert table in self.metadata.tables, f"{table!r} is not one of the service's tables"
        return int(await self.scalar(f'SELECT count(*) FROM "{table}"'))  # noqa: S608
