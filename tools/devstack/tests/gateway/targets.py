"""Real HTTP servers on loopback for the gateway to route to.

``EchoTarget`` is a well-behaved service (aiohttp) that reports what reached
it; ``RawTarget`` passes its health check and then misbehaves at the socket
level, as a crashed or broken target does. Each answers its health check at
the ``health_path`` it is given: the catalog's, for a catalog route.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import socket
import struct
from typing import Any

from aiohttp import web

from bazaar_common.testing.ports import free_port

SLOW_SECONDS = 3.0
DEFAULT_HEALTH_PATH = "/readyz"


class EchoTarget:
    def __init__(self, name: str, health_path: str = DEFAULT_HEALTH_PATH) -> None:
        self.name = name
        self.health_path = health_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready = True
        # Client ports of the connections the gateway opened to us.
        self.peer_ports: list[int] = []
        self._released = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def start(self) -> EchoTarget:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_get(self.health_path, self._health)
        app.router.add_route("*", "/{tail:.*}", self._echo)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        self._released.set()  # a slow request ends now, not SLOW_SECONDS later
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"ready": self.ready}, status=200 if self.ready else 503)

    async def _echo(self, request: web.Request) -> web.StreamResponse:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        if peer:
            self.peer_ports.append(peer[1])
        if request.path.endswith("/slow"):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), SLOW_SECONDS)
        if request.path.endswith("/blob"):
            size = int(request.query["size"])
            return web.Response(body=bytes(index % 251 for index in range(size)))
        if request.path.endswith("/own-error"):
            return web.Response(
                status=503,
                text='{"type":"https://bazaar.dev/problems/own","status":503}',
                content_type="application/problem+json",
                headers={"Retry-After": "7"},
            )
        body = await request.read()
        document: dict[str, Any] = {
            "service": self.name,
            "method": request.method,
            "path_qs": request.path_qs,
            "headers": {name.lower(): value for name, value in request.headers.items()},
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body_length": len(body),
        }
        response = web.json_response(document)
        response.headers["Server"] = f"echo-{self.name}"
        response.headers["X-Echo-Marker"] = "kept"
        response.headers.add("Set-Cookie", "a=1; Path=/")
        response.headers.add("Set-Cookie", "b=2; Path=/")
        return response


# Replies no HTTP client may accept. (nginx relays a reply without any status
# line as HTTP/0.9, so "not HTTP at all" is not among them: see config.py.)
BROKEN_REPLIES = {
    "garbled-header": b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    "nul-in-header": b"HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n",
    "cut-off-head": b"HTTP/1.1 200 OK\r\nContent-Le",
    "silent-close": b"",
}


class RawTarget:
    """Answers its health path with 200; a path ending in ``/reset`` gets a TCP reset,
    one ending in a name of ``BROKEN_REPLIES`` gets that reply, then the socket closes."""

    def __init__(self, health_path: str = DEFAULT_HEALTH_PATH) -> None:
        self.health_path = health_path.encode()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: asyncio.Server | None = None

    async def start(self) -> RawTarget:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split(b" ", 2)[1]
        if path == self.health_path:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        elif path.endswith(b"/reset"):
            sock: socket.socket = writer.get_extra_info("socket")
            # Linger 0: close() sends RST instead of FIN.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return
        else:
            writer.write(BROKEN_REPLIES[path.rsplit(b"/", 1)[1].decode()])
        await writer.drain()
        writer.close()
