"""The whole system as real processes: every service of the catalog, behind the gateway.

Used by the e2e tests (tests/e2e) and ``make bench``. Each service runs as
``python -m bazaar_<name>`` with its own database on the given Postgres, and
the given moto server as EventBridge, SQS (with the topology of the catalog
under a prefix of this stack's own) and Cognito (a user pool of the stack's
own, whose real tokens the services verify). The gateway (nginx, routed from
the catalog) is in front, as the ALB is in AWS. Nothing is faked: requests
cross real sockets, events cross the real relay, bus, queues and consumers.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.messaging.bootstrap import bootstrap, local_environment
from bazaar_common.messaging.topology import Topology, build_topology
from bazaar_common.observability.receiver import OtlpReceiver
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import recreate_database
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_devstack import web
from bazaar_devstack.cognito import Identity, bootstrap_identity
from bazaar_devstack.gateway.health import HealthCheckSettings

# Short waits so a hop takes milliseconds and a stop takes a second or two.
FAST_RUNTIME = {
    "ENVIRONMENT": "test",
    "LOG_LEVEL": "WARNING",
    "ACCESS_LOG": "false",
    "CONSUMER_WAIT_SECONDS": "1",
    "RELAY_POLL_INTERVAL_SECONDS": "1",
    "STOP_TIMEOUT_SECONDS": "5",
    "SHUTDOWN_GRACE_SECONDS": "2",
    "DB_POOL_SIZE": "10",
}
# Every service exports its spans to the stack's own OTLP receiver, soon
# after they end, so a test can read one order's trace (test_tracing).
TRACING = {
    "OTEL_TRACES_EXPORTER": "otlp",
    "OTEL_METRICS_EXPORTER": "none",
    "OTEL_BSP_SCHEDULE_DELAY": "100",
}
# Longer than a crashed handler's redelivery (orders' visibility timeout);
# the step-timeout test restarts orders with a short one.
STEP_TIMEOUT_SECONDS = 30


@dataclass
class Stack:
    root: Path
    logs: Path
    admin_dsn: str  # asyncpg form, a superuser
    moto_url: str
    # Cognito on a moto server of its own (the faults suite restarts the one
    # holding the bus and queues, and a new pool would void every token);
    # else the same server as everything else.
    identity_url: str = ""
    prefix: str = field(default_factory=lambda: f"e2e{uuid4().hex[:6]}")
    entries: dict[str, ServiceEntry] = field(default_factory=dict)
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    topology: Topology | None = None
    queue_urls: dict[str, str] = field(default_factory=dict)
    spans: OtlpReceiver = field(default_factory=OtlpReceiver)
    identity: Identity | None = None
    gateway_port: int = field(default_factory=free_port)
    gateway: subprocess.Popen[bytes] | None = None
    # Settings on top of FAST_RUNTIME and TRACING for every service (make
    # bench: the production defaults for logging and sampling, bigger pools).
    runtime: dict[str, str] = field(default_factory=dict)
    # Settings of one service, on top of all the others (the restore drill:
    # orders' short saga step timeout and sweep interval).
    service_runtime: dict[str, dict[str, str]] = field(default_factory=dict)
    # The gateway's health checks: quick for tests (a stopped service leaves
    # the rotation in about a second); make bench uses the ALB's (15 s, 5 s).
    health_interval: float = 0.5
    health_timeout: float = 0.5
    # More processes of a service beyond its first, as ECS scales a service to
    # more tasks: same database, same queue, each with its own relay and
    # consumers (the outbox is claimed with SKIP LOCKED and SQS hands each
    # message to one receiver, so they share the work). Those started with
    # the stack (tasks_per_service) are the gateway's targets too; those
    # added later (add_replica) are not.
    replicas: dict[str, list[ServiceProcess]] = field(default_factory=dict)
    tasks_per_service: int = 1
    # Client addresses the gateway's rate limit does not count (the WAF's
    # waf_rate_limit_exempt_cidrs): a load generator's, for the load test and
    # make bench, whose own stacks these are. Every other client is limited.
    rate_limit_exempt: tuple[str, ...] = ()
    # The browser app (web/dist, built by make web) at the gateway, as make
    # run serves it: for the browser tests.
    serve_web: bool = False

    @property
    def cognito_url(self) -> str:
        """Where the stack's user pool is: sign users in there."""
        return self.identity_url or self.moto_url

    @property
    def gateway_health(self) -> HealthCheckSettings:
        """The gateway's health checks of every target."""
        return HealthCheckSettings(
            interval_seconds=self.health_interval,
            timeout_seconds=self.health_timeout,
            unhealthy_threshold=3,
        )

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def database_url(self, entry: ServiceEntry) -> str:
        base, _, _ = self.admin_dsn.rpartition("/")
        return f"{base}/e2e_{entry.database}".replace("postgresql://", "postgresql+asyncpg://", 1)

    def dsn(self, service: str) -> str:
        """The asyncpg DSN of a service's database, for checking what it stored."""
        base, _, _ = self.admin_dsn.rpartition("/")
        return f"{base}/e2e_{self.entries[service].database}"

    async def provision(self) -> None:
        """The AWS resources and a fresh database per service (``e2e_<database>``)."""
        self.entries = {entry.name: entry for entry in discover(self.root)}
        for entry in self.entries.values():
            await recreate_database(self.admin_dsn, f"e2e_{entry.database}")
        self.topology = build_topology(self.entries.values(), prefix=self.prefix)
        self.queue_urls = await bootstrap(self.topology, endpoint_url=self.moto_url, region=REGION)
        self.identity = await bootstrap_identity(self.cognito_url, REGION, prefix=self.prefix)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Stack]:
        """Provisioned and started for the ``async with``; stopped after it, whatever happened."""
        await self.provision()
        try:
            await asyncio.to_thread(self.start_all)
            yield self
        finally:
            await asyncio.to_thread(self.stop_all)

    def environment(self, entry: ServiceEntry) -> dict[str, str]:
        assert self.identity is not None, "provision() first"
        assert self.topology is not None, "provision() first"
        return {
            **FAST_RUNTIME,
            **FAKE_CREDENTIALS,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.moto_url,
            "RESOURCE_PREFIX": self.prefix,
            **local_environment(self.topology),
            "DATABASE_URL": self.database_url(entry),
            **self.identity.service_environment(),
            **TRACING,
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.spans.endpoint,
            **self.runtime,
        }

    def start_all(self) -> None:
        self.spans.start()
        ports = {name: free_port() for name in self.entries}
        inventory_url = f"http://127.0.0.1:{ports['inventory']}"
        for name, entry in self.entries.items():
            env = self.environment(entry)
            if name == "orders":
                # Under the stack's runtime: make bench lengthens the step timeout.
                env = {
                    "INVENTORY_URL": inventory_url,
                    "SAGA_STEP_TIMEOUT_SECONDS": str(STEP_TIMEOUT_SECONDS),
                    "SAGA_SWEEP_INTERVAL_SECONDS": "0.5",
                    **env,
                }
            env = {**env, **self.service_runtime.get(name, {})}
            self.services[name] = ServiceProcess(
                entry.package, port=ports[name], env=env, log_path=self.logs / f"{name}.log"
            ).start()
        for process in self.services.values():
            process.wait_ready()
        for name in self.entries:
            for _ in range(self.tasks_per_service - 1):
                self.add_replica(name)
        self.start_gateway()

    def add_replica(
        self, service: str, overrides: Mapping[str, str] | None = None
    ) -> ServiceProcess:
        """One more process of ``service``, started with its first's settings and ready."""
        first = self.services[service]
        siblings = self.replicas.setdefault(service, [])
        replica = ServiceProcess(
            first.package,
            port=free_port(),
            env={**first.env, **(overrides or {})},
            log_path=self.logs / f"{service}-{len(siblings) + 2}.log",
        ).start()
        siblings.append(replica)
        replica.wait_ready()
        return replica

    def remove_replica(self, service: str, replica: ServiceProcess) -> None:
        """Stops it as ECS stops a task (SIGTERM: its consumers and relay finish first)."""
        self.replicas[service].remove(replica)
        replica.stop()

    def instances(self, service: str) -> list[ServiceProcess]:
        """Every process of ``service``: its first, then its replicas."""
        return [self.services[service], *self.replicas.get(service, [])]

    def start_gateway(self) -> None:
        targets = [
            f"--target={name}={process.url}"
            for name in self.services
            for process in self.instances(name)
        ]
        health = self.gateway_health
        app: list[str] = []
        if self.serve_web:
            assert self.identity is not None, "provision() first"
            app = web.gateway_arguments(
                self.root, self.logs / "web", self.identity, self.cognito_url
            )
        log = (self.logs / "gateway.log").open("ab")
        self.gateway = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "bazaar_devstack.gateway",
                f"--port={self.gateway_port}",
                f"--root={self.root}",
                f"--run-dir={self.logs / 'gateway'}",
                f"--health-interval={health.interval_seconds}",
                f"--health-timeout={health.timeout_seconds}",
                f"--healthy-threshold={health.healthy_threshold}",
                f"--unhealthy-threshold={health.unhealthy_threshold}",
                *(f"--rate-limit-exempt={cidr}" for cidr in self.rate_limit_exempt),
                *app,
                *targets,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for name in self.services:
            self.wait_routed(name)

    def wait_routed(self, service: str, within: float = 30.0) -> None:
        """Until the gateway sends the service's requests to it (its health checks passed)."""
        self._wait_for_gateway(service, 200, within)

    def wait_unrouted(self, service: str, within: float = 30.0) -> None:
        """Until the gateway has noticed the service is down (503: no healthy target).

        Starting it again before that would race the health checker, which
        could still mark the new process unhealthy for failures of the old.
        """
        self._wait_for_gateway(service, 503, within)

    def _wait_for_gateway(self, service: str, status: int, within: float) -> None:
        url = f"{self.gateway_url}{self.entries[service].route.path_prefix}/openapi.json"
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                    answered = response.status
            except urllib.error.HTTPError as error:
                answered = error.code
            except (urllib.error.URLError, OSError):
                answered = 0
            if answered == status:
                return
            time.sleep(0.1)
        raise RuntimeError(
            f"the gateway never answered {status} for {service}:\n{self.log_tails()}"
        )

    def url(self, service: str) -> str:
        """The service itself, bypassing the gateway."""
        return self.services[service].url

    def start(self, service: str, overrides: Mapping[str, str] | None = None) -> None:
        if self.gateway is not None:
            self.wait_unrouted(service)
        self.services[service].start(overrides).wait_ready()
        self.wait_routed(service)

    def stop(self, service: str) -> None:
        self.services[service].stop()

    def restart(self, service: str, overrides: Mapping[str, str] | None = None) -> None:
        self.stop(service)
        self.start(service, overrides)

    def stop_all(self) -> None:
        if self.gateway is not None and self.gateway.poll() is None:
            self.gateway.terminate()
            self.gateway.wait(timeout=20)
        # All at once, so no drain: nothing is left to route around a stopping process.
        for process in self.services.values():
            process.stop(drain=False)
        for replicas in self.replicas.values():
            for replica in replicas:
                replica.stop(drain=False)
        self.spans.stop()

    def log_tails(self) -> str:
        tails = [
            f"===== {name}{f' #{number}' if number > 1 else ''}\n{process.log_tail()}"
            for name in self.services
            for number, process in enumerate(self.instances(name), start=1)
        ]
        gateway_log = self.logs / "gateway.log"
        if gateway_log.exists():
            lines = gateway_log.read_text(encoding="utf-8", errors="replace").splitlines()
            tails.append("===== gateway\n" + "\n".join(lines[-20:]))
        return "\n".join(tails)
