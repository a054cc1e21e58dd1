from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

SAMPLE_MIGRATIONS = str(Path(__file__).parent / "sample_migrations")


@pytest.fixture
def sample_migrations() -> str:
    return SAMPLE_MIGRATIONS


@pytest.fixture
async def fresh_database_url(create_test_database, request):
    return await create_test_database(f"common_{request.node.name[:40].lower()}")


@pytest.fixture
async def engine(fresh_database_url):
    engine = create_async_engine(fresh_database_url, pool_size=2, max_overflow=0)
    yield engine
    await engine.dispose()
