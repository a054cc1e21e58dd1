"""A fresh database holding the tables a test declares, for the ``fresh_database`` fixture."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import MetaData
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
