import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.errors import DatabaseUnavailable, is_transient
from bazaar_common.db.unit_of_work import connect
from bazaar_common.testing.ports import free_port


async def failure_of(engine, *statements):
    async with engine.connect() as connection:
        with pytest.raises(sa_exc.DBAPIError) as failure:
            for statement in statements:
                await connection.execute(text(statement))
    return failure.value


async def test_a_statement_timeout_is_transient(engine):
    error = await failure_of(engine, "SET statement_timeout = 50", "SELECT pg_sleep(2)")
    assert is_transient(error)


async def test_a_constraint_violation_is_not_transient(engine):
    error = await failure_of(
        engine, "CREATE TEMP TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1), (1)"
    )
    assert not is_transient(error)


async def test_a_syntax_error_is_not_transient(engine):
    assert not is_transient(await failure_of(engine, "SELEC 1"))


async def test_an_unreachable_server_is_database_unavailable():
    engine = create_async_engine(f"postgresql+asyncpg://u@127.0.0.1:{free_port()}/db")
    try:
        with pytest.raises(DatabaseUnavailable) as refused:
            await connect(engine)
    finally:
        await engine.dispose()
    assert refused.value.status == 503
    assert refused.value.headers["Retry-After"]
