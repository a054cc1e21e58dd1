"""The one async engine a service process holds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bazaar_common.settings import ServiceSettings


def create_engine(
    settings: ServiceSettings, *, application_name: str, pool_size: int | None = None
) -> AsyncEngine:
    """An asyncpg engine whose every limit is explicit.

    The pool is fixed-size (no overflow) and a checkout waits at most
    ``db_pool_timeout_seconds``: an exhausted pool answers 503 quickly instead of
    queueing requests for 30 s. ``statement_timeout`` caps any one query.
    """
    return create_async_engine(
        str(settings.database_url),
        pool_size=pool_size or settings.db_pool_size,
        max_overflow=0,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=1_800,
        connect_args={
            "timeout": 5,
            "server_settings": {
                "application_name": application_name,
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "idle_in_transaction_session_timeout": "60000",
            },
        },
    )
