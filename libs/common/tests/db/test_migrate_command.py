"""``python -m bazaar_common.db.migrate``: what each ECS task runs before its service starts."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.db.migrate import main


@pytest.fixture
def sample_package(tmp_path, monkeypatch, sample_migrations) -> str:
    """A package keeping the sample migrations where a service keeps its own."""
    package = tmp_path / "bazaar_sample"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copytree(sample_migrations, package / "migrations")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "bazaar_sample"


async def widget_count(url: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(text("SELECT count(*) FROM widgets")))
    finally:
        await engine.dispose()


def test_it_migrates_to_head_once_and_says_where_it_went(
    fresh_database_url, sample_package, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", fresh_database_url)

    assert main(["--package", sample_package]) == 0
    assert capsys.readouterr().out == "migrate: bazaar_sample: from None to 0001\n"
    assert main(["--package", sample_package]) == 0
    assert capsys.readouterr().out == "migrate: bazaar_sample: already at 0001\n"
    assert asyncio.run(widget_count(fresh_database_url)) == 1


def test_a_bad_url_exits_2_and_touches_nothing(sample_package, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@somewhere/db")

    assert main(["--package", sample_package]) == 2
    assert "DATABASE_URL" in capsys.readouterr().err


def test_an_unreachable_database_exits_1_in_one_line(sample_package, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody:x@127.0.0.1:9/none")

    assert main(["--package", sample_package]) == 1
    printed = capsys.readouterr().err
    assert printed.startswith("migrate: bazaar_sample: ")
    assert printed.count("\n") == 1
