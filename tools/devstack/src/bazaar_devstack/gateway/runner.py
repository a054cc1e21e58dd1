"""The gateway: nginx plus the health checker that rewrites its routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from bazaar_devstack.gateway import config
from bazaar_devstack.gateway.health import HealthCheck, HealthChecker, HealthCheckSettings
from bazaar_devstack.gateway.nginx import NginxError, NginxProcess, find_nginx
from bazaar_devstack.gateway.routes import Route, RouteTarget, by_priority, duplicates_problem
from bazaar_devstack.gateway.settings import GatewaySettings

log = logging.getLogger(__name__)
_WILDCARD_TO_LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104


class Gateway:
    """Serves ``routes``, each to those of its targets that are healthy.

    A route without a target, or with none healthy, answers 503, as an ALB
    target group with nothing (healthy) registered does. ``health`` checks
    every route that does not bring its own :attr:`Route.health_check`.
    Each change of a target's health reloads nginx gracefully: requests in
    flight finish on the old workers, new ones see the new targets.
    """

    def __init__(
        self,
        routes: Sequence[Route],
        run_directory: Path,
        settings: GatewaySettings | None = None,
        health: HealthCheckSettings | None = None,
        nginx_binary: str | None = None,
    ) -> None:
        problem = duplicates_problem(routes)
        if problem:
            raise ValueError(problem)
        self.routes = tuple(by_priority(routes))
        self.settings = settings or GatewaySettings()
        self.run = config.RunDirectory(run_directory)
        self._nginx_binary = nginx_binary
        self._nginx: NginxProcess | None = None
        checks = health_checks(self.routes, health or HealthCheckSettings())
        self._checker = HealthChecker(checks, self._apply)
        self._healthy: frozenset[RouteTarget] = frozenset()
        self._checking: asyncio.Task[None] | None = None

    @property
    def client_host(self) -> str:
        """Where a local client reaches the gateway: loopback when it listens everywhere."""
        return _WILDCARD_TO_LOOPBACK.get(self.settings.host, self.settings.host)

    @property
    def url(self) -> str:
        host = self.client_host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.settings.port}"

    @property
    def healthy(self) -> frozenset[str]:
        """The routes nginx serves: those with a healthy target."""
        return frozenset(member.route for member in self._healthy)

    @property
    def healthy_targets(self) -> frozenset[RouteTarget]:
        """The targets nginx sends requests to, each with its route."""
        return self._healthy

    async def start(self, ready_timeout: float = 10.0) -> Gateway:
        nginx = NginxProcess(self._nginx_binary or find_nginx(), self.run)
        _require_free_port(self.settings.host, self.settings.port, self.run)
        self._healthy = await self._checker.open()
        try:
            nginx.write_config(self._render())
            await nginx.test_config()
            await nginx.start(self.client_host, self.settings.port, ready_timeout)
        except BaseException:
            await self._checker.close()
            raise
        self._nginx = nginx
        self._checking = asyncio.create_task(self._checker.run(), name="gateway-health")
        return self

    async def wait(self) -> int:
        """Until nginx exits (it should not, until :meth:`stop`); its exit status."""
        if self._nginx is None:
            raise NginxError("the gateway was never started")
        return await self._nginx.wait()

    def log_tail(self) -> str:
        return self._nginx.log_tail() if self._nginx else "(not started)"

    async def stop(self, grace_seconds: float = 10.0) -> None:
        if self._checking is not None:
            self._checking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checking
            self._checking = None
        await self._checker.close()
        if self._nginx is not None:
            await self._nginx.stop(grace_seconds)
            self._nginx = None

    async def __aenter__(self) -> Gateway:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _apply(self, healthy: frozenset[RouteTarget]) -> None:
        """Serve ``healthy``; ``.healthy`` says so only once every client sees it."""
        if self._nginx is None:
            self._healthy = healthy
            return
        try:
            self._nginx.write_config(self._render(healthy))
            await self._nginx.reload()
        except (NginxError, OSError):
            # Keep probing: nginx still serves the previous routes.
            log.exception("gateway: could not reload nginx")
            return
        self._healthy = healthy

    def _render(self, healthy: frozenset[RouteTarget] | None = None) -> str:
        serving = self._healthy if healthy is None else healthy
        return config.render(self.routes, serving, self.settings, self.run)


def health_checks(
    routes: Sequence[Route], default: HealthCheckSettings
) -> dict[RouteTarget, HealthCheck]:
    """Each target of each route: its health URL, the route's own settings or ``default``."""
    return {
        member: HealthCheck(route.health_url(member.target), route.health_check or default)
        for route in routes
        for member in route.registered
    }


def _require_free_port(host: str, port: int, run: config.RunDirectory) -> None:
    """Fail at once with a clear message; nginx would retry its bind for 2.5 s, then exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            message = f"port {port} on {host} is taken: {error.strerror}"
            leftover = _leftover_master(run)
            if leftover:
                message += f" (an earlier gateway's nginx, pid {leftover}, still runs: stop it)"
            raise NginxError(message) from error


def _leftover_master(run: config.RunDirectory) -> int | None:
    """The pid of an nginx left running from this run directory (its parent was killed)."""
    try:
        pid = int(run.pid.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid
