"""Active health checks, as an ALB's target group does them.

Every interval, each target's catalog ``health_path`` is fetched; a 200
within the timeout passes, anything else fails. A target changes state only
after ``healthy_threshold`` passes or ``unhealthy_threshold`` failures in a
row, so one slow probe does not flap it. The first probe sets the initial
state, so the gateway neither routes to a target that is down at start nor
answers 503 for one that is up.

Unlike an ALB, a target group whose only target is unhealthy does not
"fail open" here: its routes answer 503, which is what the local runtime
should show.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import aiohttp

log = logging.getLogger(__name__)


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


OnChange = Callable[[frozenset[str]], Awaitable[None]]


class HealthChecker:
    """Probes ``health_urls`` (service -> URL) and reports the healthy set when it changes."""

    def __init__(
        self, health_urls: Mapping[str, str], settings: HealthCheckSettings, on_change: OnChange
    ) -> None:
        self._urls = dict(health_urls)
        self._settings = settings
        self._on_change = on_change
        self._targets: dict[str, TargetHealth] = {}
        self._session: aiohttp.ClientSession | None = None

    @property
    def healthy(self) -> frozenset[str]:
        return frozenset(name for name, target in self._targets.items() if target.healthy)

    async def open(self) -> frozenset[str]:
        """One probe of every target decides where they start."""
        # A fresh connection per probe: a target that restarted must not
        # fail a probe on the old one's closed socket.
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(force_close=True),
            timeout=aiohttp.ClientTimeout(total=self._settings.timeout_seconds),
        )
        results = await self._probe_all()
        self._targets = {
            name: TargetHealth(passed, self._settings) for name, passed in results.items()
        }
        return self.healthy

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def run(self) -> None:
        """Probe forever; call ``on_change`` after each round that changed a state."""
        while True:
            await asyncio.sleep(self._settings.interval_seconds)
            results = await self._probe_all()
            changed = [name for name, ok in results.items() if self._targets[name].record(ok)]
            if changed:
                for name in changed:
                    state = "healthy" if self._targets[name].healthy else "unhealthy"
                    log.warning("gateway: target %s is now %s", name, state)
                await self._on_change(self.healthy)

    async def _probe_all(self) -> dict[str, bool]:
        names = list(self._urls)
        results = await asyncio.gather(*(self._probe(self._urls[name]) for name in names))
        return dict(zip(names, results, strict=True))

    async def _probe(self, url: str) -> bool:
        assert self._session is not None, "open() first"
        try:
            async with self._session.get(url, allow_redirects=False) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False
