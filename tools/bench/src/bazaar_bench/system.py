"""Everything a benchmark run measures, started for the run and stopped after it.

A private PostgreSQL, a moto server (EventBridge, SQS, Cognito), every
service of the catalog as its own process with one uvicorn worker
(``bazaar_devstack.stack``, as the e2e tests run it), the gateway in front,
and the bare baseline app. The services run with production defaults where
they matter for speed: the JSON access log on, one trace in ten recorded and
exported in batches every 5 s, 20 s long polls, the relay's 5 s fallback poll.

CPU: the services being measured (orders, inventory) and the bare app get
CPU 0 to themselves; everything else (wrk, Postgres, moto, payments, audit,
nginx, this process) shares the others, as a load generator and managed
services would sit apart from a Fargate task.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

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
ORDER_SKU = "BENCH-ORDER"
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
    customer: str = ""
    admin: str = ""
    order_id: str = ""
    load_cpus: str | None = None
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

    def url(self, service: str) -> str:
        if service == "bare":
            assert self.bare is not None
            return self.bare.url
        return self.running.services[service].url

    def pid(self, service: str) -> int:
        if service == "bare":
            assert self.bare is not None
            return self.bare.pid
        return self.running.services[service].pid

    async def _start(self) -> None:
        split = split_cpus() if self.pinned else None
        if split:
            measured_cpu, self.load_cpus = split
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
            # The ALB's checks (modules/alb): a saturated service answers
            # /readyz late, and must not leave the rotation for it.
            health_interval=15.0,
            health_timeout=5.0,
        )
        stack.logs.mkdir(parents=True, exist_ok=True)
        await stack.provision()
        self._exit.callback(stack.stop_all)
        await asyncio.to_thread(stack.start_all)
        self.stack = stack

        self.bare = ServiceProcess(
            "bazaar_bench.bare", port=free_port(), env={}, log_path=stack.logs / "bare.log"
        ).start()
        self._exit.callback(self.bare.stop)
        await asyncio.to_thread(self.bare.wait_ready)
        if split:
            for name in MEASURED:
                pin(self.pid(name), measured_cpu)
            pin(self.bare.pid, measured_cpu)
        await self._seed()

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
            for sku in skus:
                product = {
                    "sku": sku,
                    "name": f"Bench {sku}",
                    "price": {"amount_minor": 500, "currency": "EUR"},
                }
                _ok(await http.post("/inventory/products", json=product))
            # Enough for every order a run places (the most one restock may
            # add, several times), so the saga confirms them all.
            for _ in range(RESTOCKS):
                restock = {"quantity": 1_000_000}
                _ok(await http.post(f"/inventory/products/{ORDER_SKU}/restock", json=restock))
        self.order_id = await self.place_and_settle()

    async def place_and_settle(self) -> str:
        """One order, placed as the customer and waited for until it is CONFIRMED."""
        headers = {"Authorization": f"Bearer {self.customer}"}
        async with httpx.AsyncClient(
            base_url=self.url("orders"), headers=headers, timeout=30
        ) as http:
            placed = await http.post(
                "/orders",
                json={"lines": [{"sku": ORDER_SKU, "quantity": 1}]},
                headers={"Idempotency-Key": f"bench-seed-{os.getpid()}"},
            )
            _ok(placed)
            order_id = str(placed.json()["id"])
            for _ in range(600):
                status = (await http.get(f"/orders/{order_id}")).json()["status"]
                if status == "CONFIRMED":
                    return order_id
                if status == "CANCELLED":
                    raise BenchSetupError(
                        f"the seed order was cancelled:\n{self.running.log_tails()}"
                    )
                await asyncio.sleep(0.05)
        raise BenchSetupError(f"the seed order never settled:\n{self.running.log_tails()}")
