"""Drive a service app in-process: its lifespan runs, requests go through ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from types import TracebackType

import httpx
from fastapi import FastAPI
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine


@asynccontextmanager
async def running_app_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as client:
            yield client


class RunningApps:
    """Apps started on first use and all stopped together, for session-long test apps."""

    def __init__(self) -> None:
        self._stack = AsyncExitStack()
        self._clients: dict[FastAPI, httpx.AsyncClient] = {}

    async def client_of(self, app: FastAPI) -> httpx.AsyncClient:
        """The client of ``app``, which is started (lifespan) on the first call."""
        if app not in self._clients:
            self._clients[app] = await self._stack.enter_async_context(running_app_client(app))
        return self._clients[app]

    async def __aenter__(self) -> RunningApps:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._clients.clear()
        await self._stack.aclose()


async def truncate_tables(engine: AsyncEngine, metadata: MetaData) -> None:
    """Empty every table of a service so the next test starts clean."""
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    if not names:
        return
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
