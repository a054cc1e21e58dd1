"""Drive a service app in-process: its lifespan runs, requests go through ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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


async def truncate_tables(engine: AsyncEngine, metadata: MetaData) -> None:
    """Empty every table of a service so the next test starts clean."""
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    if not names:
        return
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
