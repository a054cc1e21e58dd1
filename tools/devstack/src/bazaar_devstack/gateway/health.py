"""Active health checks, as an ALB's target group does them.

Every interval, each of a route's targets is fetched at the route's
``health_path``; a 200 within the timeout passes, anything else fails. A
target changes state only after ``healthy_threshold`` passes or
``unhealthy_threshold`` failures in a row, so one slow probe does not flap
it. Each target of a route is checked and changes state on its own, as each
task registered in an ALB target group does; the route serves from those
that are healthy. The first probe sets the initial state, so the gateway
neither routes to a target that is down at start nor answers 503 for one
that is up. Each route has its own settings, as each ALB target group has.

A target named by a DNS name with several addresses is probed as one: each
probe reaches one of them, so that target's health is its addresses' as a
whole (an ALB would check and drop each task on its own: list the tasks as
targets of their own for that).

Unlike an ALB, a target group whose targets are all unhealthy does not
"fail open" here: its routes answer 503, which is what the local runtime
should show.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import aiohttp

log = logging.getLogger(__name__)
# What names a target: the runner's RouteTarget, a route and one of its targets.
Key = TypeVar("Key")


@dataclass(frozen=True)
class HealthCheckSettings:
    # ALB's defaults are 30 s, 5 s, 5 and 2: too slow for a laptop.
    interval_seconds: float = 2.0
    timeout_seconds: float = 1.0
    healthy_threshold: int = 2
    unhealthy_threshold: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.timeout_seconds <= self.interval_seconds:
            raise ValueError("health check timeout must be positive and at most the interval")
        if self.healthy_threshold < 1 or self.unhealthy_threshold < 1:
            raise ValueError("health check thresholds must be at least 1")


class TargetHealth:
    """One target's state: flips after enough consecutive results the other way."""

    def __init__(self, healthy: bool, settings: HealthCheckSettings) -> None:
        self.healthy = healthy
        self._settings = settings
        self._streak = 0

    def record(self, passed: bool) -> bool:
        """Count one probe; True when the state changed."""
        if passed == self.healthy:
            self._streak = 0
            return False
        self._streak += 1
        needed = self._settings.healthy_threshold if passed else self._settings.unhealthy_threshold
        if self._streak < needed:
            return False
        self.healthy = passed
        self._streak = 0
        return True


@dataclass(frozen=True)
class HealthCheck:
    """Where one target answers its health check, and how often to ask."""

    url: str
    settings: HealthCheckSettings


class HealthChecker(Generic[Key]):
    """Probes ``checks`` (a target's key -> its check) and reports the healthy keys on a change."""

    def __init__(
        self,
        checks: Mapping[Key, HealthCheck],
        on_change: Callable[[frozenset[Key]], Awaitable[None]],
    ) -> None:
        self._checks = dict(checks)
        self._on_change = on_change
        self._targets: dict[Key, TargetHealth] = {}
        self._session: aiohttp.ClientSession | None = None
        self._reporting = asyncio.Lock()
        self._reported: frozenset[Key] = frozenset()

    @property
    def healthy(self) -> frozenset[Key]:
        return frozenset(name for name, target in self._targets.items() if target.healthy)

    async def open(self) -> frozenset[Key]:
        """One probe of every target decides where they start."""
        # A fresh connection per probe: a target that restarted must not
        # fail a probe on the old one's closed socket.
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True))
        names = list(self._checks)
        results = await asyncio.gather(*(self._probe(self._checks[name]) for name in names))
        self._targets = {
            name: TargetHealth(passed, self._checks[name].settings)
            for name, passed in zip(names, results, strict=True)
        }
        self._reported = self.healthy
        return self._reported

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def run(self) -> None:
        """Probe each target forever on its own interval; ``on_change`` after a state changed."""
        async with asyncio.TaskGroup() as watchers:
            for name in self._checks:
                watchers.create_task(self._watch(name), name=f"gateway-health-{name}")

    async def _watch(self, name: Key) -> None:
        check, target = self._checks[name], self._targets[name]
        while True:
            await asyncio.sleep(check.settings.interval_seconds)
            if target.record(await self._probe(check)):
                state = "healthy" if target.healthy else "unhealthy"
                log.warning("gateway: target %s is now %s", name, state)
                await self._report()

    async def _report(self) -> None:
        # One report at a time, each of the states as they are when it runs:
        # two targets flipping together never race two nginx reloads.
        async with self._reporting:
            healthy = self.healthy
            if healthy != self._reported:
                self._reported = healthy
                await self._on_change(healthy)

    async def _probe(self, check: HealthCheck) -> bool:
        assert self._session is not None, "open() first"
        timeout = aiohttp.ClientTimeout(total=check.settings.timeout_seconds)
        try:
            async with self._session.get(
                check.url, allow_redirects=False, timeout=timeout
            ) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False
