"""``python -m bazaar_devstack.gateway`` as the local runtime runs it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys

import httpx
import pytest

from bazaar_common.catalog import discover
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.waiting import wait_until
from bazaar_devstack.gateway.__main__ import _targets

from .conftest import REPOSITORY_ROOT

pytestmark = pytest.mark.slow


async def _run(*arguments: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bazaar_devstack.gateway",
        "--root",
        str(REPOSITORY_ROOT),
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _routes(url: str) -> bool:
    async with httpx.AsyncClient(timeout=2) as client:
        try:
            return (await client.get(url)).status_code == 200
        except httpx.TransportError:
            return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_serves_until_interrupted_then_stops_nginx(inventory, tmp_path):
    port = free_port()
    process = await _run(
        "--port",
        str(port),
        "--target",
        f"inventory={inventory.url}",
        "--run-dir",
        str(tmp_path),
        # A first probe of 1 s can miss on a loaded machine; the table must say healthy.
        "--health-timeout=2",
    )
    try:
        await wait_until(lambda: _routes(f"http://127.0.0.1:{port}/inventory"), within=15)
        master = int((tmp_path / "nginx.pid").read_text())
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(15):
            _, stderr = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    output = stderr.decode()
    assert f"listening on http://127.0.0.1:{port}" in output
    assert re.search(
        rf"inventory +/inventory /inventory/\* +-> {re.escape(inventory.url)} +healthy\n", output
    )
    assert not _alive(master)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


async def test_a_taken_port_fails_fast_with_a_clear_message(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = await _run("--port", str(port), "--run-dir", str(tmp_path))
        async with asyncio.timeout(10):
            _, stderr = await process.communicate()
    assert process.returncode == 1
    assert f"port {port} on 127.0.0.1 is taken" in stderr.decode()


@pytest.mark.parametrize(
    ("target", "message"),
    [("billing=http://127.0.0.1:1", "no service 'billing'"), ("inventory", "not NAME=URL")],
)
async def test_a_bad_target_is_refused(tmp_path, target, message):
    process = await _run("--target", target, "--run-dir", str(tmp_path))
    async with asyncio.timeout(10):
        _, stderr = await process.communicate()
    assert process.returncode == 1
    assert message in stderr.decode()


def test_hosts_by_name_targets_each_service_by_its_name_and_catalog_port():
    entries = discover(REPOSITORY_ROOT)

    targets = _targets(entries, ["orders=http://10.0.0.9:9000"], hosts_by_name=True)

    for entry in entries:
        if entry.name != "orders":
            assert [target.url for target in targets[entry.name]] == [
                f"http://{entry.name}:{entry.port}"
            ]
    assert [target.url for target in targets["orders"]] == ["http://10.0.0.9:9000"]  # --target wins


def test_without_hosts_by_name_each_service_is_on_loopback():
    entries = discover(REPOSITORY_ROOT)

    targets = _targets(entries, [])

    assert {name: [target.url for target in each] for name, each in targets.items()} == {
        entry.name: [f"http://127.0.0.1:{entry.port}"] for entry in entries
    }


def test_a_repeated_target_registers_several_targets_of_one_service():
    entries = discover(REPOSITORY_ROOT)

    targets = _targets(entries, ["orders=http://127.0.0.1:9001", "orders=http://127.0.0.1:9002"])

    assert [target.url for target in targets["orders"]] == [
        "http://127.0.0.1:9001",
        "http://127.0.0.1:9002",
    ]
