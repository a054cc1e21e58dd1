"""On SIGTERM a process leaves the rotation first: not ready, still serving, then it stops."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from bazaar_common.app import install_http_runtime
from bazaar_common.http import health
from bazaar_common.http.draining import DrainingServer, drain_state
from bazaar_common.server import ServerSettings, uvicorn_options
from bazaar_common.testing.ports import free_port

DRAIN_SECONDS = 1.5


def ping_app() -> FastAPI:
    app = FastAPI()
    install_http_runtime(app, max_body_bytes=1_024, access_log=False)
    app.include_router(health.router)

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    return app


@pytest.fixture
def running() -> Iterator[tuple[DrainingServer, threading.Thread, str]]:
    port = free_port()
    options = {**uvicorn_options(ServerSettings(host="127.0.0.1"), port), "workers": None}
    server = DrainingServer(uvicorn.Config(ping_app(), **options), drain_seconds=DRAIN_SECONDS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield server, thread, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    drain_state.reset()


@pytest.mark.slow
def test_sigterm_drains_then_stops(running):
    server, thread, url = running
    with httpx.Client(base_url=url, timeout=5) as client:
        assert client.get("/ping").headers.get("connection") != "close"

        server.handle_exit(signal.SIGTERM, None)  # what the signal handler calls
        signalled = time.monotonic()

        not_ready = client.get("/readyz")
        served = client.get("/ping")
        assert not_ready.status_code == 503
        assert not_ready.json()["checks"] == {"process": "draining: shutting down"}
        assert served.status_code == 200, "still serving while the balancer notices"
        assert served.headers["connection"] == "close", "no idle connection kept to it"

    thread.join(DRAIN_SECONDS + 10)
    assert not thread.is_alive()
    assert time.monotonic() - signalled >= DRAIN_SECONDS
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=2)


@pytest.mark.slow
def test_a_second_signal_stops_without_waiting_out_the_drain(running):
    server, thread, _ = running
    server.handle_exit(signal.SIGTERM, None)
    server.handle_exit(signal.SIGTERM, None)
    stopped_by = time.monotonic() + DRAIN_SECONDS
    thread.join(10)
    assert not thread.is_alive()
    assert time.monotonic() < stopped_by


def test_no_drain_is_uvicorns_own_stop():
    server = DrainingServer(uvicorn.Config(ping_app()), drain_seconds=0)
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit
    assert not drain_state.draining
