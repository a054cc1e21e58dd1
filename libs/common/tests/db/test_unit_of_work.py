import pytest
from sqlalchemy import text

from bazaar_common.db.unit_of_work import SqlUnitOfWork


@pytest.fixture
async def counters(engine):
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counters (name text PRIMARY KEY, n int)"))
    return engine


class CounterUnitOfWork(SqlUnitOfWork):
    def bind_repositories(self, connection):
        self.connection = connection

    async def add(self, name):
        await self.connection.execute(text("INSERT INTO counters VALUES (:n, 1)"), {"n": name})


async def names(engine):
    async with engine.connect() as connection:
        return list(await connection.scalars(text("SELECT name FROM counters ORDER BY name")))


async def test_commit_persists(counters):
    async with CounterUnitOfWork(counters) as uow:
        await uow.add("a")
        await uow.commit()
    assert await names(counters) == ["a"]


async def test_leaving_without_commit_rolls_back(counters):
    async with CounterUnitOfWork(counters) as uow:
        await uow.add("a")
    assert await names(counters) == []


async def test_an_error_rolls_back_everything(counters):
    with pytest.raises(RuntimeError):
        async with CounterUnitOfWork(counters) as uow:
            await uow.add("a")
            await uow.add("b")
            raise RuntimeError("use case failed")
    assert await names(counters) == []


async def test_commit_outside_the_block_is_refused(counters):
    with pytest.raises(RuntimeError, match="outside"):
        await CounterUnitOfWork(counters).commit()


async def test_connection_returns_to_the_pool(counters):
    for _ in range(5):  # the pool holds 2; a leak would block here
        async with CounterUnitOfWork(counters) as uow:
            await uow.add("x")
    assert counters.pool.checkedout() == 0
