"""Everything a benchmark run measures, started for the run and stopped after it.

A private PostgreSQL, a moto server (EventBridge, SQS, Cognito), every
service of the catalog as its own process with one uvicorn worker
(``bazaar_devstack.stack``, as the e2e tests run it), the gateway in front,
the bare baseline app and the floor app (one raw asyncpg read). The services
run with production defaults where they matter for speed: the JSON access
log on, one trace in ten recorded and exported in batches every 5 s, 20 s
long polls, the relay's 5 s fallback poll.

Two kinds of process, so a request figure is never the saga's background:

- the *measured* instances of orders and inventory (the stack's first
  process of each, behind the gateway) serve the request cases with their
  relay and consumers off (``RELAY_ENABLED``/``CONSUMERS_ENABLED``);
- the *workers*, one process per service (a replica of orders and of
  inventory, the first process of the others), with relay and consumers
  on, sharing the measured instances' databases: they run every saga, also
  of the orders the measured instance places.

CPU: the measured instances, the bare app and the floor app get CPU 0 to
themselves; everything else (wrk, Postgres, moto, the workers, nginx, this
process) shares the others, as a load generator and managed services would
sit apart from a Fargate task. While the sagas are measured the workers may
use every CPU (``workers_on``); the measured instances then only answer the
price calls of placement.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx

from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import PostgresServer
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_devstack.cognito import ADMINS_GROUP, access_token, add_user
from bazaar_devstack.stack import Stack

# What production runs with, where FAST_RUNTIME (made for tests) differs.
PRODUCTION_RUNTIME = {
    "LOG_LEVEL": "INFO",
    "ACCESS_LOG": "true",
    "CONSUMER_WAIT_SECONDS": "20",
    "RELAY_POLL_INTERVAL_SECONDS": "5",
    "OTEL_BSP_SCHEDULE_DELAY": "5000",
    # The platform's default share of traces (modules/platform trace_sample_ratio).
    "OTEL_TRACES_SAMPLER_ARG": "0.1",
    # A backlog of sagas (after the place-order case) must not time steps out.
    "SAGA_STEP_TIMEOUT_SECONDS": "900",
}
MEASURED = ("orders", "inventory")
# The measured instances neither relay nor consume: the workers do.
QUIET = {"RELAY_ENABLED": "false", "CONSUMERS_ENABLED": "false"}
WORKING = {"RELAY_ENABLED": "true", "CONSUMERS_ENABLED": "true"}
ORDER_SKU = "BENCH-ORDER"
# The orders page case reads a full page of the customer's orders.
SEEDED_ORDERS = 20
SETTLE_SECONDS = 120.0
CATALOG_PRODUCTS = 40
RESTOCKS = 5


class BenchSetupError(RuntimeError):
    pass


def pin(pid: int, cpus: str) -> None:
    """All threads of ``pid`` onto ``cpus``."""
    subprocess.run(  # noqa: S603 - a fixed tool and our own pids
        ["taskset", "-a", "-p", "-c", cpus, str(pid)],  # noqa: S607
        check=True,
        capture_output=True,
    )


def split_cpus() -> tuple[str, str] | None:
    """(the measured servers' CPU, everything else's), or None on a single CPU."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    return str(cpus[0]), ",".join(map(str, cpus[1:]))


def _ok(response: httpx.Response) -> httpx.Response:
    if response.is_error:
        raise BenchSetupError(
            f"{response.request.method} {response.request.url}: "
            f"{response.status_code} {response.text}"
        )
    return response


@dataclass
class BenchSystem:
    root: Path
    work: Path
    pinned: bool = True
    stack: Stack | None = None
    bare: ServiceProcess | None = None
    floor: ServiceProcess | None = None
    customer: str = ""
    admin: str = ""
    order_id: str = ""
    # The catalog page's ETag, read before the request cases (None: the service sends none).
    catalog_etag: str | None = None
    load_cpus: str | None = None
    all_cpus: str | None = None
    # Processes added by scale_workers, removed again by unscale_workers.
    added_workers: list[tuple[str, ServiceProcess]] = field(default_factory=list)
    postgres_admin_dsn: str = ""
    _exit: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def __aenter__(self) -> BenchSystem:
        try:
            await self._start()
        except BaseException:
            await self._exit.aclose()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._exit.aclose()

    @property
    def running(self) -> Stack:
        if self.stack is None:
            raise BenchSetupError("the system is not started")
        return self.stack

    def _baseline(self, service: str) -> ServiceProcess | None:
        return {"bare": self.bare, "floor": self.floor}.get(service)

    def url(self, service: str) -> str:
        baseline = self._baseline(service)
        return baseline.url if baseline else self.running.services[service].url

    def pid(self, service: str) -> int:
        baseline = self._baseline(service)
        return baseline.pid if baseline else self.running.services[service].pid

    def workers(self, service: str | None = None) -> list[ServiceProcess]:
        """The processes that relay and consume (of one service, or of all)."""
        names = [service] if service else list(self.running.services)
        return [
            process
            for name in names
            for process in self.running.instances(name)
            if not (name in MEASURED and process is self.running.services[name])
        ]

    def order_urls(self) -> list[str]:
        """Where the sagas' customers send their orders: every orders worker."""
        return [process.url for process in self.workers("orders")]

    def workers_on(self, cpus: str | None) -> None:
        """Every worker onto ``cpus`` (nothing without pinning)."""
        if cpus is None:
            return
        for process in self.workers():
            pin(process.pid, cpus)

    async def scale_workers(self) -> None:
        """A second worker of every service, as ECS adds a task to each; all started at once."""
        stack = self.running
        names = list(stack.services)
        started = await asyncio.gather(
            *(asyncio.to_thread(stack.add_replica, name, WORKING) for name in names)
        )
        self.added_workers += zip(names, started, strict=True)

    async def unscale_workers(self) -> None:
        """Back to one worker a service; the added ones stop (and drain) at once."""
        added, self.added_workers = self.added_workers, []
        await asyncio.gather(
            *(
                asyncio.to_thread(self.running.remove_replica, name, replica)
                for name, replica in added
            )
        )

    async def _start(self) -> None:
        split = split_cpus() if self.pinned else None
        if split:
            measured_cpu, self.load_cpus = split
            self.all_cpus = f"{measured_cpu},{self.load_cpus}"
            # Every child started from here on (Postgres, moto, the services
            # until re-pinned, nginx, wrk) inherits this.
            os.sched_setaffinity(0, {int(cpu) for cpu in self.load_cpus.split(",")})
        postgres = PostgresServer()  # its own folder: the server may run as another user
        postgres.initialise()
        postgres.start()
        self._exit.callback(postgres.remove)
        self._exit.callback(postgres.stop)
        self.postgres_admin_dsn = postgres.admin_dsn
        moto = MotoServer().start()
        self._exit.callback(moto.stop)
        os.environ.update(FAKE_CREDENTIALS)  # this process's own calls to moto

        stack = Stack(
            root=self.root,
            logs=self.work / "logs",
            admin_dsn=postgres.admin_dsn,
            moto_url=moto.url,
            prefix="bench",
            runtime=dict(PRODUCTION_RUNTIME),
            service_runtime={name: dict(QUIET) for name in MEASURED},
            # The ALB's checks (modules/alb): a saturated service answers
            # /readyz late, and must not leave the rotation for it.
            health_interval=15.0,
            health_timeout=5.0,
            # wrk is the load generator: exempt from the per-client rate
            # limit, as a load generator's address would be from the WAF's.
            rate_limit_exempt=("127.0.0.1/32",),
        )
        stack.logs.mkdir(parents=True, exist_ok=True)
        await stack.provision()
        self._exit.callback(stack.stop_all)
        await asyncio.to_thread(stack.start_all)
        self.stack = stack
        await asyncio.gather(
            *(asyncio.to_thread(stack.add_replica, name, WORKING) for name in MEASURED)
        )

        self.bare = await self._start_baseline("bazaar_bench.bare", {})
        self.floor = await self._start_baseline(
            "bazaar_bench.floor", {"FLOOR_DSN": stack.dsn("orders")}
        )
        if split:
            for name in (*MEASURED, "bare", "floor"):
                pin(self.pid(name), measured_cpu)
        await self._seed()

    async def _start_baseline(self, package: str, env: dict[str, str]) -> ServiceProcess:
        name = package.rpartition(".")[2]
        process = ServiceProcess(
            package, port=free_port(), env=env, log_path=self.running.logs / f"{name}.log"
        ).start()
        self._exit.callback(process.stop)
        await asyncio.to_thread(process.wait_ready)
        return process

    async def _seed(self) -> None:
        stack = self.running
        assert stack.identity is not None
        await add_user(stack.moto_url, REGION, stack.identity, "bench-admin", group=ADMINS_GROUP)
        await add_user(stack.moto_url, REGION, stack.identity, "bench-customer")
        self.admin = await access_token(stack.moto_url, REGION, stack.identity, "bench-admin")
        self.customer = await access_token(stack.moto_url, REGION, stack.identity, "bench-customer")
        admin = {"Authorization": f"Bearer {self.admin}"}
        async with httpx.AsyncClient(base_url=stack.gateway_url, headers=admin, timeout=30) as http:
            skus = [f"BENCH-{number:03d}" for number in range(CATALOG_PRODUCTS)] + [ORDER_SKU]
            run = uuid4().hex  # each run's writes are new operations, never retries
            for sku in skus:
                product = {
                    "sku": sku,
                    "name": f"Bench {sku}",
                    "price": {"amount_minor": 500, "currency": "EUR"},
                }
                key = {"Idempotency-Key": f"bench-create-{run}-{sku}"}
                _ok(await http.post("/inventory/products", json=product, headers=key))
            # Enough for every order a run places (the most one restock may
            # add, several times), so the saga confirms them all.
            for number in range(RESTOCKS):
                restock = {"quantity": 1_000_000}
                key = {"Idempotency-Key": f"bench-restock-{run}-{number}"}
                _ok(
                    await http.post(
                        f"/inventory/products/{ORDER_SKU}/restock", json=restock, headers=key
                    )
                )
        self.order_id = await self.place_and_settle()

    async def fill_orders_page(self) -> None:
        """Orders until the customer has a full page of them (the orders-page case reads it).

        After the sagas' runs it has hundreds; only a run without them
        (``--only http``, the short runs of the tests) places any here, all
        at once, each waited for, so no saga is left to run during the cases.
        """
        headers = {"Authorization": f"Bearer {self.customer}"}
        async with httpx.AsyncClient(
            base_url=self.url("orders"), headers=headers, timeout=30
        ) as http:
            page = _ok(await http.get("/orders", params={"limit": SEEDED_ORDERS})).json()
        missing = SEEDED_ORDERS - len(page["items"])
        await asyncio.gather(*(self.place_and_settle(number + 1) for number in range(missing)))

    async def place_and_settle(self, number: int = 0) -> str:
        """One order, placed as the customer and waited for until it is CONFIRMED."""
        headers = {"Authorization": f"Bearer {self.customer}"}
        async with httpx.AsyncClient(
            base_url=self.url("orders"), headers=headers, timeout=30
        ) as http:
            placed = await http.post(
                "/orders",
                json={"lines": [{"sku": ORDER_SKU, "quantity": 1}]},
                headers={"Idempotency-Key": f"bench-seed-{os.getpid()}-{number}"},
            )
            _ok(placed)
            order_id = str(placed.json()["id"])
            # Long enough for a page's worth placed at once on moto's pace (a few a second).
            deadline = time.monotonic() + SETTLE_SECONDS
            while time.monotonic() < deadline:
                status = (await http.get(f"/orders/{order_id}")).json()["status"]
                if status == "CONFIRMED":
                    return order_id
                if status == "CANCELLED":
                    raise BenchSetupError(
                        f"the seed order was cancelled:\n{self.running.log_tails()}"
                    )
                await asyncio.sleep(0.05)
        raise BenchSetupError(f"the seed order never settled:\n{self.running.log_tails()}")
