"""The load test against the native stack: every service as a process, the gateway, moto.

The runner and locustfile deploy.yml runs against staging (``python -m
bazaar_delivery load-test``), with the ``local`` profile of
tests/load/profiles.toml: half a minute of customers browsing and ordering
and an admin reading the audit log, every order settled afterwards, then
every reliability invariant checked over what the load left in the databases.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_devstack.cognito import access_token, add_user
from bazaar_devstack.invariants import Books, check_invariants, drain
from bazaar_devstack.stack import Stack

pytestmark = [pytest.mark.load, pytest.mark.slow]

# More than a page (20), so customers follow next_cursor; a few nearly sold
# out, so stock runs out during the run (an order for what a customer saw in
# stock a moment ago is then CANCELLED: fine, as long as it settles).
LOAD_GENERATOR = "127.0.0.1/32"
PRODUCTS = 30
UNITS = 1_000
SCARCE = 3
SCARCE_UNITS = 2


@pytest.fixture(scope="module")
async def stack(
    postgres_admin_dsn: str,
    moto_server: MotoServer,
    repository_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    stack = Stack(
        root=repository_root,
        logs=tmp_path_factory.mktemp("load-logs"),
        admin_dsn=postgres_admin_dsn,
        moto_url=moto_server.url,
        prefix=f"load{uuid4().hex[:6]}",
        # The load generator (locust, on this machine) is exempt from the
        # gateway's per-client rate limit, as its egress address would be
        # from the WAF's in AWS (waf_rate_limit_exempt_cidrs).
        rate_limit_exempt=(LOAD_GENERATOR,),
        # Sampled as production is told to sample (README, OpenTelemetry).
        runtime={"OTEL_TRACES_SAMPLER_ARG": "0.1"},
    )
    async with stack.running():
        yield stack


async def sign_in(stack: Stack, name: str, group: str) -> str:
    assert stack.identity is not None
    await add_user(stack.moto_url, REGION, stack.identity, name, group=group)
    return await access_token(stack.moto_url, REGION, stack.identity, name)


async def seed_catalog(stack: Stack, admin_token: str) -> None:
    """Products with stock, through the API as an admin (prices well under a decline)."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    run = uuid4().hex[:6].upper()

    async def product(http: httpx.AsyncClient, number: int) -> None:
        sku = f"LOAD-{run}-{number:03d}"
        created = await http.post(
            "/inventory/products",
            json={
                "sku": sku,
                "name": f"Load item {number}",
                "price": {"amount_minor": 100 + 75 * number, "currency": "EUR"},
            },
            headers={"Idempotency-Key": f"create-{sku}"},
        )
        assert created.status_code == 201, created.text
        units = SCARCE_UNITS if number < SCARCE else UNITS
        restocked = await http.post(
            f"/inventory/products/{sku}/restock",
            json={"quantity": units},
            headers={"Idempotency-Key": f"restock-{sku}"},
        )
        assert restocked.status_code == 200, restocked.text

    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30, headers=headers) as http:
        await asyncio.gather(*(product(http, number) for number in range(PRODUCTS)))


async def test_the_system_passes_the_local_load_test(
    stack: Stack, repository_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profiles = tomllib.loads((Path(__file__).parent / "profiles.toml").read_text("utf-8"))
    local = profiles["local"]
    admin, *customers = await asyncio.gather(
        sign_in(stack, "load-admin", "admins"),
        *(sign_in(stack, f"load-customer-{n}", "customers") for n in range(local["users"] - 1)),
    )
    await seed_catalog(stack, admin)
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"customers": customers, "admin": admin}), encoding="utf-8")
    os.chmod(tokens, 0o600)
    report_file = tmp_path / "report.json"

    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "bazaar_delivery",
            f"--root={repository_root}",
            "load-test",
            stack.gateway_url,
            "--profile=local",
            f"--tokens={tokens}",
            f"--report={report_file}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=local["seconds"] + local["drain_seconds"] + 300,
    )
    with capsys.disabled():  # the numbers, in make test-load's output
        print("\n" + result.stdout, end="")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{stack.log_tails()}"
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["passed"]
    assert report["failures"] == 0
    assert report["orders"]["placed"] > 0
    assert report["orders"]["confirmed"] > 0
    assert report["orders"]["stuck"] == 0
    names = {row["name"] for row in report["by_name"]}
    assert {
        "/inventory/products?limit=20",
        "/inventory/products?limit=20 (next page)",
        "/inventory/products/{sku}",
        "/orders",
        "/orders/{id} (poll)",
        "/audit/events?limit=20",
        "/audit/orders/{id}/timeline",
    } <= names, names

    # What the load left behind holds every invariant (docs/reliability.md).
    await drain(stack)
    check_invariants(await Books.read(stack))
