"""Measure the gateway's cost: a DB-backed inventory read, direct and through the gateway.

    uv run python scripts/bench_gateway.py [--rounds 3] [--seconds 5] [--connections 16]

Starts a private Postgres, a moto server (the service's queue), a token
issuer, the inventory service (``python -m bazaar_inventory``, one uvicorn
worker) and the gateway (nginx) in front of it, seeds one product, then
loads ``GET /inventory/products/{sku}`` with wrk, direct and through the
gateway, in interleaved rounds so machine noise hits both alike:

- throughput: ``--connections`` connections, requests/s (goal: gateway >= 0.9 of direct);
- low load: one connection, one request at a time, p50 latency (goal: <= 1 ms added).

With ``--pin`` (default on a machine with 2+ CPUs) the service runs on CPU 0
and everything else (wrk, nginx, Postgres, moto) on the others, as
scripts/bench_catalog.sh does; the service is then the bottleneck in both
cases, as it is behind a real ALB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from bazaar_common.catalog import discover
from bazaar_common.messaging.bootstrap import bootstrap
from bazaar_common.messaging.topology import build_topology
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer
from bazaar_common.testing.ports import free_port
from bazaar_common.testing.postgres import PostgresServer, recreate_database
from bazaar_common.testing.service_process import ServiceProcess
from bazaar_common.testing.tokens import CLIENT_ID, JwksServer
from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.runner import Gateway
from bazaar_devstack.gateway.settings import GatewaySettings, Target

ROOT = Path(__file__).resolve().parent.parent
SKU = "BENCH-1"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"wrk latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


async def wrk(url: str, connections: int, seconds: int, cpus: str | None) -> Sample:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cpus:
        command = ["taskset", "-c", cpus, *command]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output = (await process.communicate())[0].decode()
    if process.returncode != 0 or "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk failed or saw errors:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)  # type: ignore[union-attr]
    return Sample(rps, _milliseconds(p50), _milliseconds(p99))


def pin(pid: int, cpus: str) -> None:
    subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(pid)], check=True, capture_output=True)  # noqa: S603, S607


async def seed(url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as client:
        product = {"sku": SKU, "name": "Bench", "price": {"amount_minor": 999, "currency": "EUR"}}
        created = await client.post("/inventory/products", json=product)
        created.raise_for_status()
        restocked = await client.post(f"/inventory/products/{SKU}/restock", json={"quantity": 10})
        restocked.raise_for_status()


async def main(arguments: argparse.Namespace) -> None:
    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: apt-get install wrk util-linux")
    others = None
    if arguments.pin:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            raise SystemExit("--pin needs 2 CPUs; pass --no-pin")
        others = ",".join(map(str, cpus[1:]))
        # Children (Postgres, moto, nginx, the service until re-pinned) inherit this.
        os.sched_setaffinity(0, cpus[1:])
    entries = {entry.name: entry for entry in discover(ROOT)}
    inventory = entries["inventory"]
    work = Path(tempfile.mkdtemp(prefix="bazaar-bench-gateway-"))
    async with AsyncExitStack() as stack:
        postgres = PostgresServer()  # its own folder: the server may run as another user
        postgres.initialise()
        postgres.start()
        stack.callback(postgres.remove)
        stack.callback(postgres.stop)
        await recreate_database(postgres.admin_dsn, inventory.database)
        moto = MotoServer().start()
        stack.callback(moto.stop)
        jwks = JwksServer().start()
        stack.callback(jwks.stop)
        os.environ.update(FAKE_CREDENTIALS)  # for this process's own calls to moto
        topology = build_topology(entries.values(), prefix="benchgw")
        await bootstrap(topology, endpoint_url=moto.url, region=REGION)

        service = ServiceProcess(
            inventory.package,
            port=free_port(),
            env={
                **FAKE_CREDENTIALS,
                "ENVIRONMENT": "test",
                "LOG_LEVEL": "WARNING",
                "ACCESS_LOG": "false",
                "AWS_REGION": REGION,
                "AWS_ENDPOINT_URL": moto.url,
                "RESOURCE_PREFIX": "benchgw",
                "DATABASE_URL": postgres.url(inventory.database),
                "AUTH_ISSUER": jwks.issuer_url,
                "AUTH_CLIENT_IDS": CLIENT_ID,
                "DB_POOL_SIZE": "10",
            },
            log_path=work / "inventory.log",
        ).start()
        stack.callback(service.stop)
        service.wait_ready()
        if arguments.pin:
            pin(service.pid, "0")
        await seed(service.url, jwks.issuer.admin_token())

        gateway = Gateway(
            list(entries.values()),
            {"inventory": Target("127.0.0.1", service.port)},
            work / "gateway",
            GatewaySettings(port=free_port(), worker_processes=arguments.workers),
            HealthCheckSettings(interval_seconds=5, timeout_seconds=2),
        )
        await gateway.start()
        stack.push_async_callback(gateway.stop)

        path = f"/inventory/products/{SKU}"
        urls = {"direct": service.url + path, "gateway": gateway.url + path}
        for url in urls.values():  # warm up pools and caches
            await wrk(url, arguments.connections, 2, others)
        loads = {"throughput": arguments.connections, "low load": 1}
        samples: dict[tuple[str, str], list[Sample]] = {}
        for round_number in range(1, arguments.rounds + 1):
            order = list(urls) if round_number % 2 else list(reversed(urls))
            for load, connections in loads.items():
                for case in order:
                    sample = await wrk(urls[case], connections, arguments.seconds, others)
                    samples.setdefault((load, case), []).append(sample)
                    print(
                        f"round={round_number} load={load!r} case={case} rps={sample.rps:.0f} "
                        f"p50={sample.p50_ms:.3f}ms p99={sample.p99_ms:.3f}ms",
                        flush=True,
                    )
        report(samples)


def report(samples: dict[tuple[str, str], list[Sample]]) -> None:
    """Medians over rounds of each round's ratio and difference: pairs taken side by side
    in time, so a noisy round (other work on the machine) skews one pair, not the result."""

    def paired(load: str, field: str) -> list[tuple[float, float]]:
        direct, gateway = samples[(load, "direct")], samples[(load, "gateway")]
        return [
            (getattr(d, field), getattr(g, field)) for d, g in zip(direct, gateway, strict=True)
        ]

    throughput = paired("throughput", "rps")
    latency = paired("low load", "p50_ms")
    ratio = statistics.median(gateway / direct for direct, gateway in throughput)
    added = statistics.median(gateway - direct for direct, gateway in latency)
    print(
        f"throughput: direct {statistics.median(d for d, _ in throughput):.0f} rps, "
        f"gateway {statistics.median(g for _, g in throughput):.0f} rps (medians); "
        f"gateway/direct per round {[round(g / d, 3) for d, g in throughput]}, "
        f"median {ratio:.3f} (goal >= 0.9)"
    )
    print(
        f"low load p50: direct {statistics.median(d for d, _ in latency):.3f} ms, "
        f"gateway {statistics.median(g for _, g in latency):.3f} ms (medians); "
        f"added per round {[round(g - d, 3) for d, g in latency]} ms, "
        f"median {added:.3f} ms (goal <= 1 ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="nginx worker processes")
    parser.add_argument(
        "--pin", action=argparse.BooleanOptionalAction, default=len(os.sched_getaffinity(0)) > 1
    )
    try:
        asyncio.run(main(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(130)
