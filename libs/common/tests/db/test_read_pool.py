"""The hot reads' asyncpg pool on a real Postgres: ended sessions, a full pool, refusals.

The round-1 experiment ran plain SQL on the unit of work's connection: a
session the server ended left that pooled connection broken for the next
request. These end sessions the way an operator or a failover does
(``pg_terminate_backend``) and check that only the statement that saw it
fails, as the same 503 problem the engine path answers, and the next read
gets a working connection.
"""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Float, bindparam, column, func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.dependencies import ReadPoolDep
from bazaar_common.db.dsn import asyncpg_dsn
from bazaar_common.db.errors import (
    POOL_EXHAUSTED,
    DatabaseUnavailable,
    install_database_error_handlers,
)
from bazaar_common.db.read_pool import ReadPool, create_read_pool
from bazaar_common.db.read_statement import ReadStatement
from bazaar_common.http.problem import install_problem_handlers
from bazaar_common.settings import Environment, ServiceSettings
from bazaar_common.testing.ports import free_port

APPLICATION = "read-pool-test"
BACKEND_PID = ReadStatement.of("backend_pid", select(func.pg_backend_pid().label("pid")))
SLEEP = ReadStatement.of(
    "sleep", select(func.pg_sleep(bindparam("seconds", type_=Float)).label("slept"))
)
NOT_SQL = ReadStatement.of("not_sql", select(column("nope")).select_from(text("no_such_table")))


def settings_of(database_url: str, **overrides: object) -> ServiceSettings:
    return ServiceSettings.model_validate(
        {
            "environment": Environment.TEST,
            "database_url": database_url,
            "auth_issuer": "https://issuer.test",
            "auth_client_ids": ["client"],
            **overrides,
        }
    )


@pytest.fixture
async def settings(fresh_database_url) -> ServiceSettings:
    return settings_of(fresh_database_url, db_read_pool_size=2, db_pool_timeout_seconds=0.5)


@pytest.fixture
async def reads(settings):
    pool = await create_read_pool(settings, application_name=APPLICATION)
    yield pool
    await pool.close()


@pytest.fixture
async def admin(settings):
    """A connection of its own, to end the pool's sessions from outside."""
    connection = await asyncpg.connect(asyncpg_dsn(settings))
    yield connection
    await connection.close()


async def backend_pid(reads: ReadPool) -> int:
    [row] = await reads.fetch(BACKEND_PID)
    return int(row["pid"])


async def terminate(admin: asyncpg.Connection, pid: int) -> None:
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)


async def pid_running_sleep(admin: asyncpg.Connection) -> int:
    for _ in range(200):
        pid = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity"
            " WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'",
            APPLICATION,
        )
        if pid is not None:
            return int(pid)
        await asyncio.sleep(0.02)
    raise AssertionError("the sleeping read never showed up in pg_stat_activity")


async def test_a_read_returns_rows_with_the_statements_columns(reads):
    [row] = await reads.fetch(SLEEP, seconds=0)
    assert tuple(row.keys()) == SLEEP.columns == ("slept",)


async def test_a_session_ended_while_idle_is_replaced_at_the_next_read(reads, admin):
    first = await backend_pid(reads)
    await terminate(admin, first)
    await asyncio.sleep(0.1)  # the server's goodbye reaches the idle connection

    assert await backend_pid(reads) != first
    assert await backend_pid(reads) != first


async def test_a_session_ended_mid_statement_fails_that_read_only(reads, admin):
    sleeping = asyncio.create_task(reads.fetch(SLEEP, seconds=30))
    ended_pid = await pid_running_sleep(admin)
    await terminate(admin, ended_pid)

    with pytest.raises(DatabaseUnavailable) as ended:
        await sleeping
    assert ended.value.status == 503
    assert ended.value.headers["Retry-After"]
    # Every later read works: the broken connection left the pool.
    for _ in range(4):
        assert await backend_pid(reads) != ended_pid


async def test_a_full_pool_answers_503_within_the_checkout_timeout(reads):
    held = [reads.connection(), reads.connection()]
    for connection in held:
        await connection.__aenter__()
    try:
        with pytest.raises(DatabaseUnavailable) as busy:
            await asyncio.wait_for(reads.fetch(BACKEND_PID), timeout=3)
        assert busy.value.detail == POOL_EXHAUSTED
    finally:
        for connection in held:
            await connection.__aexit__(None, None, None)
    assert await backend_pid(reads) > 0


async def test_a_statement_timeout_is_503(fresh_database_url):
    settings = settings_of(fresh_database_url, db_statement_timeout_ms=100)
    reads = await create_read_pool(settings, application_name=APPLICATION)
    try:
        with pytest.raises(DatabaseUnavailable):
            await reads.fetch(SLEEP, seconds=2)
    finally:
        await reads.close()


async def test_a_wrong_statement_is_not_a_503_but_a_bug(reads):
    with pytest.raises(asyncpg.UndefinedTableError):
        await reads.fetch(NOT_SQL)


async def test_an_unreachable_server_is_503():
    settings = settings_of(f"postgresql+asyncpg://u@127.0.0.1:{free_port()}/db")
    reads = await create_read_pool(settings, application_name=APPLICATION)
    try:
        with pytest.raises(DatabaseUnavailable):
            await reads.fetch(BACKEND_PID)
    finally:
        await reads.close()


def app_reading_with(reads: ReadPool) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.read_pool = reads

    @app.get("/sleep")
    async def sleep(pool: ReadPoolDep, seconds: float = 0) -> dict[str, str]:
        await pool.fetch(SLEEP, seconds=seconds)
        return {"status": "ok"}

    return app


async def engine_problem_for_an_ended_session(database_url: str, admin: asyncpg.Connection):
    """What the engine path (the unit of work's) answers when its session is ended mid-statement."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    app = FastAPI()
    install_problem_handlers(app)
    install_database_error_handlers(app)

    @app.get("/sleep")
    async def sleep() -> dict[str, str]:
        async with engine.connect() as connection:
            await connection.execute(
                text("SELECT set_config('application_name', :name, false)"),
                {"name": APPLICATION},
            )
            await connection.execute(text("SELECT pg_sleep(30)"))
        return {"status": "ok"}

    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answer = asyncio.create_task(client.get("/sleep"))
            await terminate(admin, await pid_running_sleep(admin))
            return await answer
    finally:
        await engine.dispose()


async def test_over_http_an_ended_session_is_the_engines_503_and_the_next_request_works(
    reads, admin, fresh_database_url
):
    transport = httpx.ASGITransport(app=app_reading_with(reads))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = asyncio.create_task(client.get("/sleep", params={"seconds": 30}))
        await terminate(admin, await pid_running_sleep(admin))
        response = await answer
        following = [await client.get("/sleep") for _ in range(3)]

    engines = await engine_problem_for_an_ended_session(fresh_database_url, admin)
    assert response.status_code == engines.status_code == 503
    assert response.headers["content-type"] == engines.headers["content-type"]
    assert response.headers["retry-after"] == engines.headers["retry-after"]
    assert response.json() == engines.json()
    assert [each.status_code for each in following] == [200, 200, 200]
