"""What a target receives and what a client gets back, through the gateway."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re

import pytest

from bazaar_common.testing.problems import expect_problem

pytestmark = pytest.mark.slow

TRACE_ROOT = r"Root=1-[0-9a-f]{8}-[0-9a-f]{24}"
CLIENT_ROOT = "Root=1-5759e988-bd862e3fe1be46a994272793"


async def echo(client, url: str, **kwargs) -> dict:
    response = await client.get(url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


async def test_forwarded_headers_are_set_as_alb_does(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    port = gateway.settings.port
    fresh = await echo(client, gateway.url + "/inventory")
    assert fresh["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert fresh["headers"]["x-forwarded-proto"] == "http"
    assert fresh["headers"]["x-forwarded-port"] == str(port)
    assert fresh["headers"]["host"] == f"127.0.0.1:{port}"

    chained = await echo(
        client,
        gateway.url + "/inventory",
        headers={"X-Forwarded-For": "203.0.113.7", "Host": "shop.example"},
    )
    assert chained["headers"]["x-forwarded-for"] == "203.0.113.7, 127.0.0.1"
    assert chained["headers"]["host"] == "shop.example"


async def test_each_request_gets_its_own_alb_trace_id(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    ids = [
        (await echo(client, gateway.url + "/inventory"))["headers"]["x-amzn-trace-id"]
        for _ in range(3)
    ]
    for trace_id in ids:
        assert re.fullmatch(TRACE_ROOT, trace_id), trace_id
    assert len(set(ids)) == 3


@pytest.mark.parametrize(
    "sent",
    [f"{CLIENT_ROOT};Sampled=1", f"Self=1-00000000-000000000000000000000000;{CLIENT_ROOT}"],
)
async def test_a_client_trace_root_is_kept_and_this_hop_added_as_self(
    start_gateway, inventory, client, sent
):
    gateway = await start_gateway({"inventory": inventory.url})
    echoed = await echo(client, gateway.url + "/inventory", headers={"X-Amzn-Trace-Id": sent})
    received = echoed["headers"]["x-amzn-trace-id"]
    kept = sent.removeprefix("Self=1-00000000-000000000000000000000000;")
    assert re.fullmatch(r"Self=1-[0-9a-f]{8}-[0-9a-f]{24};" + re.escape(kept), received)


async def test_a_malformed_client_trace_id_is_replaced(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    echoed = await echo(
        client, gateway.url + "/inventory", headers={"X-Amzn-Trace-Id": "Root=nonsense"}
    )
    assert re.fullmatch(TRACE_ROOT, echoed["headers"]["x-amzn-trace-id"])


async def test_bodies_and_headers_pass_intact(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url})
    payload = os.urandom(300_000)
    response = await client.post(
        gateway.url + "/inventory/upload?x=1",
        content=payload,
        headers={"X-Custom_Header": "under_score", "Content-Type": "application/octet-stream"},
    )
    echoed = response.json()
    assert echoed["method"] == "POST"
    assert echoed["body_length"] == len(payload)
    assert echoed["body_sha256"] == hashlib.sha256(payload).hexdigest()
    assert echoed["headers"]["x-custom_header"] == "under_score"
    assert response.headers["server"] == "echo-inventory"
    assert response.headers["x-echo-marker"] == "kept"
    assert response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]

    blob = await client.get(gateway.url + "/inventory/blob?size=2000000")
    assert blob.content == bytes(index % 251 for index in range(2_000_000))


async def test_a_body_over_the_limit_is_refused_before_the_target(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url}, max_body_bytes=64 * 1024)
    response = await client.post(gateway.url + "/inventory/upload", content=b"x" * 70_000)
    expect_problem(response, 413, "request-entity-too-large")
    assert inventory.peer_ports == []


async def test_keep_alive_on_both_sides(start_gateway, inventory):
    """One client connection carries every request; the gateway reuses one to the target."""
    gateway = await start_gateway({"inventory": inventory.url})
    reader, writer = await asyncio.open_connection(gateway.client_host, gateway.settings.port)
    try:
        for _ in range(5):
            writer.write(b"GET /inventory/k HTTP/1.1\r\nHost: shop.example\r\n\r\n")
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 "), head
            length = re.search(rb"(?i)content-length: (\d+)", head)
            assert length, head
            await reader.readexactly(int(length.group(1)))
    finally:
        writer.close()
        await writer.wait_closed()
    assert len(inventory.peer_ports) == 5
    assert len(set(inventory.peer_ports)) == 1


async def test_the_access_log_is_json_lines_in_the_run_directory(start_gateway, inventory, client):
    gateway = await start_gateway({"inventory": inventory.url}, access_log=True)
    echoed = await echo(client, gateway.url + "/inventory/logged?q=1")
    await client.get(gateway.url + "/nowhere")
    lines = gateway.run.access_log.read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(entry["uri"], entry["status"]) for entry in entries] == [
        ("/inventory/logged?q=1", 200),
        ("/nowhere", 404),
    ]
    assert entries[0]["trace"] == echoed["headers"]["x-amzn-trace-id"]
    assert entries[0]["target"] == f"127.0.0.1:{inventory.port}"
