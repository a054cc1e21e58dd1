"""The real service process: readiness follows its database, bad config stops it.

These start ``python -m bazaar_inventory`` as a subprocess, on a Postgres
server of their own that the test stops and starts again.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import PostgresServer, recreate_database

pytestmark = pytest.mark.slow

START_TIMEOUT = 30.0
SWITCH_TIMEOUT = 20.0


def service_env(**variables: str) -> dict[str, str]:
    """A clean environment: nothing leaks in from the one running the tests."""
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**base, "PYTHONUNBUFFERED": "1", "HOST": "127.0.0.1", **variables}


async def wait_for(
    client: httpx.AsyncClient, path: str, accept: Callable[[httpx.Response], bool], seconds: float
) -> httpx.Response:
    """Poll ``path`` until a response is accepted; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = await client.get(path)
        except httpx.TransportError as error:
            last = error
        else:
            if accept(last):
                return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"GET {path}: no acceptable answer in {seconds} s; last: {last!r}")


class Service:
    def __init__(self, process: asyncio.subprocess.Process, base_url: str, log: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log = log


@pytest.fixture
async def postgres() -> AsyncIterator[PostgresServer]:
    server = PostgresServer()
    try:
        await asyncio.to_thread(server.initialise)
        await asyncio.to_thread(server.start)
        await recreate_database(server.admin_dsn, "inventory")
        yield server
    finally:
        with contextlib.suppress(RuntimeError):  # already stopped
            await asyncio.to_thread(server.stop)
        server.remove()


@pytest.fixture
async def service(postgres, jwks_server, tmp_path) -> AsyncIterator[Service]:
    port = free_port()
    log = tmp_path / "service.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bazaar_inventory",
            env=service_env(
                DATABASE_URL=postgres.url("inventory"),
                PORT=str(port),
                AUTH_ISSUER=jwks_server.issuer_url,
                AUTH_CLIENT_IDS=jwks_server.issuer.client_id,
                ENVIRONMENT="test",
                DB_POOL_TIMEOUT_SECONDS="2",
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Service(process, f"http://127.0.0.1:{port}", log)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


def is_ready(response: httpx.Response) -> bool:
    return response.status_code == 200


def is_not_ready(response: httpx.Response) -> bool:
    return response.status_code == 503


async def test_readiness_follows_the_database_without_a_restart(service, postgres, expect_problem):
    async with httpx.AsyncClient(base_url=service.base_url, timeout=10) as client:
        try:
            ready = await wait_for(client, "/readyz", is_ready, START_TIMEOUT)
        except AssertionError:
            raise AssertionError(service.log.read_text()[-3000:]) from None
        assert ready.json()["checks"] == {"database": "ok", "migrations": "ok"}
        # Concurrent requests leave several connections in the pool.
        warm = await asyncio.gather(*(client.get("/inventory/products") for _ in range(8)))
        assert [response.status_code for response in warm] == [200] * 8
        assert warm[0].json() == {"items": [], "next_cursor": None}

        await asyncio.to_thread(postgres.stop)

        # First on a pooled connection the server dropped, then on new ones.
        for _ in range(3):
            expect_problem(await client.get("/inventory/products"), 503, "database-unavailable")
            expect_problem(await client.get("/inventory/products/A-1"), 503)
        down = await wait_for(client, "/readyz", is_not_ready, SWITCH_TIMEOUT)
        problem = expect_problem(down, 503, "not-ready")
        assert problem["checks"]["database"].startswith("unreachable")
        assert down.headers["retry-after"].isdigit()
        assert service.process.returncode is None, "the service must keep running"

        await asyncio.to_thread(postgres.start)

        back = await wait_for(client, "/readyz", is_ready, SWITCH_TIMEOUT)
        assert back.json()["checks"] == {"database": "ok", "migrations": "ok"}
        for _ in range(12):  # more than the pool holds: no dead connection is left
            catalog = await client.get("/inventory/products")
            assert catalog.status_code == 200, catalog.text
        assert service.process.returncode is None
    log = service.log.read_text()
    assert "unhandled error" not in log, log[-3000:]


def run_service(**variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bazaar_inventory"],
        env=service_env(PORT=str(free_port()), **variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


VALID = {
    "DATABASE_URL": "postgresql+asyncpg://inventory:s3cr3t-from-vault@127.0.0.1:1/inventory",
    "AUTH_ISSUER": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example",
    "AUTH_CLIENT_IDS": "client-a,client-b",
    "ENVIRONMENT": "test",
}


@pytest.mark.parametrize("missing", ["DATABASE_URL", "AUTH_CLIENT_IDS", "AUTH_ISSUER"])
def test_a_missing_variable_stops_the_service_with_one_line(missing):
    variables = {name: value for name, value in VALID.items() if name != missing}
    result = run_service(**variables)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]
    assert "Traceback" not in result.stderr


def test_prod_refuses_the_published_local_password():
    result = run_service(
        **{
            **VALID,
            "ENVIRONMENT": "prod",
            "DATABASE_URL": "postgresql+asyncpg://bazaar:bazaar@db.internal:5432/inventory",
        }
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]
    assert "published local password" in lines[0]
    assert "bazaar:bazaar" not in result.stderr, "the secret itself is never printed"
