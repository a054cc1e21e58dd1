"""The whole system as real processes: every service of the catalog on its own port.

Each service runs as ``python -m bazaar_<name>`` with its own database on the
test session's Postgres, the session's moto server as EventBridge and SQS
(with the topology of the catalog under a prefix of this stack's own), and
the session's JWKS server as the token issuer. Nothing is faked: requests
cross real sockets, events cross the real relay, bus, queues and consumers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import Topology, build_topology
from bazaar_common.observability.receiver import OtlpReceiver
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.service_process import ServiceProcess

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
    issuer_url: str
    client_id: str
    prefix: str = field(default_factory=lambda: f"e2e{uuid4().hex[:6]}")
    entries: dict[str, ServiceEntry] = field(default_factory=dict)
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    topology: Topology | None = None
    queue_urls: dict[str, str] = field(default_factory=dict)
    spans: OtlpReceiver = field(default_factory=OtlpReceiver)

    def database_url(self, entry: ServiceEntry) -> str:
        base, _, _ = self.admin_dsn.rpartition("/")
        return f"{base}/e2e_{entry.database}".replace("postgresql://", "postgresql+asyncpg://", 1)

    def dsn(self, service: str) -> str:
        """The asyncpg DSN of a service's database, for checking what it stored."""
        base, _, _ = self.admin_dsn.rpartition("/")
        return f"{base}/e2e_{self.entries[service].database}"

    async def provision(self) -> None:
        self.entries = {entry.name: entry for entry in discover(self.root)}
        self.topology = build_topology(self.entries.values(), prefix=self.prefix)
        self.queue_urls = await bootstrap(self.topology, endpoint_url=self.moto_url, region=REGION)

    def environment(self, entry: ServiceEntry) -> dict[str, str]:
        return {
            **FAST_RUNTIME,
            **FAKE_CREDENTIALS,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.moto_url,
            "RESOURCE_PREFIX": self.prefix,
            "DATABASE_URL": self.database_url(entry),
            "AUTH_ISSUER": self.issuer_url,
            "AUTH_CLIENT_IDS": self.client_id,
            **TRACING,
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.spans.endpoint,
        }

    def start_all(self) -> None:
        self.spans.start()
        ports = {name: free_port() for name in self.entries}
        inventory_url = f"http://127.0.0.1:{ports['inventory']}"
        for name, entry in self.entries.items():
            env = self.environment(entry)
            if name == "orders":
                env |= {
                    "INVENTORY_URL": inventory_url,
                    "SAGA_STEP_TIMEOUT_SECONDS": str(STEP_TIMEOUT_SECONDS),
                    "SAGA_SWEEP_INTERVAL_SECONDS": "0.5",
                }
            self.services[name] = ServiceProcess(
                entry.package, port=ports[name], env=env, log_path=self.logs / f"{name}.log"
            ).start()
        for process in self.services.values():
            process.wait_ready()

    def url(self, service: str) -> str:
        return self.services[service].url

    def restart(self, service: str, overrides: Mapping[str, str] | None = None) -> None:
        process = self.services[service]
        process.stop()
        process.start(overrides).wait_ready()

    def stop_all(self) -> None:
        for process in self.services.values():
            process.stop()
        self.spans.stop()

    def log_tails(self) -> str:
        return "\n".join(
            f"===== {name}\n{process.log_tail()}" for name, process in self.services.items()
        )
