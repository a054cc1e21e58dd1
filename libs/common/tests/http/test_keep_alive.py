"""An idle connection the load balancer keeps open is still served, as the services run uvicorn.

The ALB keeps an idle connection to a target 60 s; uvicorn's own default
closes it after 5 s, and a request the ALB sends just as that happens comes
back as a 502. The services run uvicorn with ``uvicorn_options``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from bazaar_common.server import ServerSettings, uvicorn_options
from bazaar_common.testing.ports import free_port

# Past uvicorn's default keep-alive (5 s), well short of ours (75 s).
IDLE_SECONDS = 6.5


@pytest.fixture
def served() -> Iterator[int]:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    port = free_port()
    options = uvicorn_options(ServerSettings(host="127.0.0.1"), port)
    server = uvicorn.Server(uvicorn.Config(app, **{**options, "workers": None}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(10)


def exchange(connection: socket.socket) -> bytes:
    connection.sendall(b"GET /ping HTTP/1.1\r\nHost: target\r\n\r\n")
    answer = b""
    while b'"pong":"yes"' not in answer:
        chunk = connection.recv(4096)
        if not chunk:
            break
        answer += chunk
    return answer


def test_the_keep_alive_outlasts_the_load_balancers_idle_timeout():
    assert ServerSettings().keep_alive_seconds > 60  # the ALB's idle timeout


@pytest.mark.slow
def test_a_connection_idle_past_five_seconds_is_still_served(served: int):
    with socket.create_connection(("127.0.0.1", served), timeout=5) as connection:
        assert exchange(connection).startswith(b"HTTP/1.1 200")
        time.sleep(IDLE_SECONDS)
        assert exchange(connection).startswith(b"HTTP/1.1 200")
