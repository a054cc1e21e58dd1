"""The plugin's app fixtures: each app starts once; each test starts on empty tables."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from bazaar_common.db.naming import service_metadata
from bazaar_common.testing.app_client import RunningApps
from bazaar_common.testing.database import engine_with_tables

metadata = service_metadata()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True))


def counting_app(events: list[str], name: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events.append(f"start {name}")
        yield
        events.append(f"stop {name}")

    app = FastAPI(lifespan=lifespan)

    @app.get("/name")
    async def who() -> str:
        return name

    return app


async def test_each_app_starts_once_and_all_stop_together():
    events: list[str] = []
    first, second = counting_app(events, "first"), counting_app(events, "second")
    async with RunningApps() as running:
        client = await running.client_of(first)
        assert await running.client_of(first) is client
        other = await running.client_of(second)
        assert (await client.get("/name")).json() == "first"
        assert (await other.get("/name")).json() == "second"
        assert events == ["start first", "start second"]
    assert events == ["start first", "start second", "stop second", "stop first"]


@pytest.fixture(scope="session")
async def service_app(create_test_database: Callable[[str], Awaitable[str]]) -> FastAPI:
    url = await create_test_database("common_app_fixtures")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = await engine_with_tables(url, metadata)
        yield
        await app.state.engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/notes")
    async def count() -> int:
        async with app.state.engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(notes)))

    return app


@pytest.fixture(scope="session")
def service_tables() -> MetaData:
    return metadata


@pytest.mark.parametrize("run", [1, 2])
async def test_every_test_starts_on_empty_tables(app, client, run):
    assert (await client.get("/notes")).json() == 0
    async with app.state.engine.begin() as connection:
        await connection.execute(insert(notes).values(id=1))
    assert (await client.get("/notes")).json() == 1
