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
        self.bound = connection

    async def add(self, name):
        await self.bound.execute(text("INSERT INTO counters VALUES (:n, 1)"), {"n": name})


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


async def test_a_nested_block_joins_the_outer_transaction(counters):
    uow = CounterUnitOfWork(counters)
    async with uow:
        await uow.add("outer")
        async with uow:  # a use case called inside, e.g. by a consumer
            await uow.add("inner")
            await uow.commit()  # deferred to the outer block
        assert await names(counters) == []  # nothing visible yet
    # the outer block left without committing: both are rolled back
    assert await names(counters) == []
    async with uow:
        async with uow:
            await uow.add("inner")
            await uow.commit()
        await uow.commit()
    assert await names(counters) == ["inner"]


async def test_reading_inside_an_open_unit_sees_its_uncommitted_writes(counters):
    uow = CounterUnitOfWork(counters)
    async with uow:
        await uow.add("pending")
        async with uow.reading():
            rows = await uow.connection.scalar(text("SELECT count(*) FROM counters"))
        assert rows == 1


async def test_after_commit_callbacks_run_once_the_outermost_block_commits(counters):
    ran = []
    uow = CounterUnitOfWork(counters)
    async with uow:
        async with uow:  # a use case joining a consumer's transaction
            await uow.add("a")
            uow.after_commit(lambda: ran.append("committed"))
            await uow.commit()
            assert ran == []  # the inner commit commits nothing
        await uow.commit()
    assert ran == ["committed"]
    assert await names(counters) == ["a"]


async def test_after_commit_callbacks_are_dropped_on_rollback(counters):
    ran = []
    uow = CounterUnitOfWork(counters)
    async with uow:
        await uow.add("a")
        uow.after_commit(lambda: ran.append("a"))
    async with uow:
        await uow.add("b")
        await uow.commit()
    assert ran == []
    assert await names(counters) == ["b"]
