"""``python -m bazaar_bench`` (``make bench``): measure, stop everything, write the results.

Starts what it measures (bazaar_bench.system), runs the request cases
(bazaar_bench.http_cases), the event hop, the saga's latency and its
throughput with one and with two workers a service, projects the saga's
latency to AWS (bazaar_bench.projection), then writes
docs/benchmarks/results.json, docs/benchmarks/ratios.png (with matplotlib
from a throwaway environment) and the generated block of docs/benchmarks.md,
and prints the goals with whether each was met.

``--only scale`` (``make bench-scale``), never part of a plain run: the event
log at scale (bazaar_bench.scale), written to docs/benchmarks/scale.json and
a generated block of its own in docs/benchmarks.md, which a plain run leaves
as it is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from bazaar_bench import event_hop, http_cases, projection, results, saga, scale
from bazaar_bench.report import SCALE_END, SCALE_START, render, render_scale, write_into
from bazaar_bench.system import BenchSystem
from bazaar_common.testing.moto import FAKE_CREDENTIALS, MotoServer
from bazaar_common.testing.postgres import PostgresServer, recreate_database

ROOT = Path(__file__).resolve().parents[4]
PARTS = ("http", "event-hop", "saga-latency", "saga-throughput")
# Parts only --only runs: the event log at scale takes about 20 minutes.
SEPARATE_PARTS = ("scale",)
MATPLOTLIB = "matplotlib==3.11.2"


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(prog="bazaar-bench", description=__doc__.splitlines()[0])
    parse.add_argument(
        "--rounds", type=int, default=5, help="rounds of every request case (default 5)"
    )
    parse.add_argument(
        "--seconds", type=float, default=5.0, help="seconds of load per case and round"
    )
    parse.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parse.add_argument("--events", type=int, default=300, help="events of the event hop")
    parse.add_argument("--saga-orders", type=int, default=100, help="orders of the saga latency")
    parse.add_argument(
        "--saga-seconds", type=float, default=60.0, help="length of the saga throughput run"
    )
    parse.add_argument("--saga-customers", type=int, default=16, help="customers ordering at once")
    parse.add_argument(
        "--scale-sizes",
        type=_sizes,
        default=scale.SIZES,
        help="events in the log at each step of --only scale, comma-separated, growing "
        "(default 10000,1000000,10000000)",
    )
    parse.add_argument(
        "--scale-connections",
        type=int,
        default=4,
        help="wrk connections of --only scale's reads (default 4)",
    )
    parse.add_argument(
        "--only",
        action="append",
        choices=PARTS + SEPARATE_PARTS,
        help="run only these parts (repeatable); scale runs only when named",
    )
    parse.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs" / "benchmarks",
        help="results.json and ratios.png (scale.json with --only scale) go here",
    )
    parse.add_argument(
        "--doc",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="the page whose generated block is rewritten",
    )
    parse.add_argument("--no-doc", action="store_true", help="write results.json only")
    parse.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="pin the measured servers to CPU 0 (default on 2+ CPUs)",
    )
    return parse


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or sizes[0] < 1 or list(sizes) != sorted(set(sizes)):
        raise argparse.ArgumentTypeError(f"sizes must be positive and growing: {text!r}")
    return sizes


def refuse(message: str) -> NoReturn:
    print(f"bazaar-bench: {message}", file=sys.stderr)
    raise SystemExit(2)


def check_arguments(arguments: argparse.Namespace) -> None:
    for name in (
        "rounds",
        "connections",
        "events",
        "saga_orders",
        "saga_customers",
        "scale_connections",
    ):
        if getattr(arguments, name) < 1:
            refuse(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("seconds", "saga_seconds"):
        if getattr(arguments, name) <= 0:
            refuse(f"--{name.replace('_', '-')} must be positive")
    missing = [tool for tool in ("wrk", "taskset") if shutil.which(tool) is None]
    if missing and (not arguments.only or {"http", "scale"} & set(arguments.only)):
        refuse(f"{', '.join(missing)} not found (make bootstrap, or apt-get install wrk)")


async def measure_event_hops(
    admin_dsn: str, moto_url: str, events: int
) -> dict[str, list[event_hop.Hop]]:
    """The hop by each route, each on a database of its own."""
    base, _, _ = admin_dsn.rpartition("/")
    hops = {}
    for route in event_hop.ROUTES:
        database = f"bench_hop_{route.replace('-', '_')}"
        await recreate_database(admin_dsn, database)
        url = f"{base}/{database}".replace("postgresql://", "postgresql+asyncpg://", 1)
        hops[route] = await event_hop.measure(url, moto_url, events, 0.025, route=route)
        figures = results.hop_figures(hops[route])
        print(
            f"event hop ({route}): p50 {figures['p50_ms']:.1f} ms"
            f" (delivery {figures['delivery']['p50_ms']:.1f}) over {events} events",
            file=sys.stderr,
        )
    return hops


async def run(arguments: argparse.Namespace, work: Path) -> dict[str, Any]:
    found = await measure_all(arguments, work)
    found["goals"] = results.judge(found)
    return found


async def run_scale(arguments: argparse.Namespace, work: Path) -> dict[str, Any]:
    found: dict[str, Any] = {
        "machine": results.machine(ROOT),
        "settings": {
            "sizes": list(arguments.scale_sizes),
            "rounds": arguments.rounds,
            "seconds": arguments.seconds,
            "connections": arguments.scale_connections,
        },
    }
    found |= await scale.run(
        ROOT,
        work,
        arguments.scale_sizes,
        rounds=arguments.rounds,
        seconds=arguments.seconds,
        connections=arguments.scale_connections,
        pinned=arguments.pin,
    )
    found["growth"] = results.scale_growth(found["sizes"])
    found["goals"] = results.judge_scale(found)
    return found


async def measure_all(arguments: argparse.Namespace, work: Path) -> dict[str, Any]:
    parts = set(arguments.only or PARTS) - set(SEPARATE_PARTS)
    hops: dict[str, list[event_hop.Hop]] = {}
    sagas: list[float] = []
    found: dict[str, Any] = {
        "machine": results.machine(ROOT),
        "settings": {
            "rounds": arguments.rounds,
            "seconds": arguments.seconds,
            "connections": arguments.connections,
        },
    }
    if "event-hop" in parts:
        # On its own Postgres and moto, with nothing else running: the hop's
        # own latency, not the queueing behind a whole stack's traffic.
        postgres = PostgresServer()
        postgres.initialise()
        postgres.start()
        moto = MotoServer().start()
        try:
            os.environ.update(FAKE_CREDENTIALS)
            hops = await measure_event_hops(postgres.admin_dsn, moto.url, arguments.events)
            found["event_hop"] = {
                route.replace("-", "_"): results.hop_figures(measured)
                for route, measured in hops.items()
            }
        finally:
            moto.stop()
            postgres.stop()
            postgres.remove()
    if parts - {"event-hop"}:
        sagas = await measure_system(arguments, work, parts, found)
    if hops and sagas:
        # The saga's four hops are point to point (ADR 0017): take out moto's
        # delivery by that route.
        found["projection"] = projection.projections(
            [seconds * 1000 for seconds in sagas],
            [hop.delivery_s * 1000 for hop in hops["point-to-point"]],
        )
    return found


async def measure_system(
    arguments: argparse.Namespace, work: Path, parts: set[str], found: dict[str, Any]
) -> list[float]:
    """The sagas, then the request cases, on one system; the sagas' latencies for the projection."""
    sagas: list[float] = []
    async with BenchSystem(ROOT, work, pinned=arguments.pin) as system:
        # The sagas first, on a system with nothing queued; the request cases
        # last (placing orders leaves a backlog to drain). The workers get
        # every CPU for the sagas, then leave the measured one to the cases
        # (their relays and consumers then run the placed orders' sagas).
        system.workers_on(system.all_cpus)
        if "saga-latency" in parts:
            settled = await saga.latency(system, arguments.saga_orders)
            found["saga_latency"] = results.saga_latency_figures(settled)
            sagas = settled.latencies_s
        if "saga-throughput" in parts:
            one = await saga.throughput(system, arguments.saga_seconds, arguments.saga_customers)
            await system.scale_workers()
            system.workers_on(system.all_cpus)
            two = await saga.throughput(system, arguments.saga_seconds, arguments.saga_customers)
            await system.unscale_workers()
            found["saga_throughput"] = results.saga_scaling_figures(one, two)
        if "http" in parts:
            await system.fill_orders_page()  # its sagas still with every CPU
            system.workers_on(system.load_cpus)
            measured = await http_cases.measure(
                system,
                rounds=arguments.rounds,
                seconds=arguments.seconds,
                connections=arguments.connections,
            )
            found["http"] = results.http_figures(measured)
    return sagas


def plot(results_file: Path, out: Path) -> bool:
    script = ROOT / "tools" / "bench" / "plot.py"  # outside the package: it needs matplotlib
    # uv from PATH (make bench runs under it); our own script, fixed arguments.
    done = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "uv",
            "run",
            "--no-project",
            "--quiet",
            "--with",
            MATPLOTLIB,
            "python",
            str(script),
            str(results_file),
            str(out),
        ],
        check=False,
    )
    if done.returncode != 0:
        print(
            "bazaar-bench: the plot failed; results.json and the tables are written",
            file=sys.stderr,
        )
    return done.returncode == 0


def report_goals(goals: list[dict[str, Any]]) -> None:
    for goal in goals:
        verdict = "met   " if goal["met"] else "MISSED"
        print(f"{verdict} {goal['goal']}: {goal['measured']:.3g} (goal {goal['target']})")


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    check_arguments(arguments)
    parts = set(arguments.only or PARTS)
    arguments.out.mkdir(parents=True, exist_ok=True)
    if parts - set(SEPARATE_PARTS):
        main_run(arguments)
    if "scale" in parts:
        with tempfile.TemporaryDirectory(prefix="bazaar-bench-scale-") as work:
            found = asyncio.run(run_scale(arguments, Path(work)))
        scale_file = arguments.out / "scale.json"
        scale_file.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
        if not arguments.no_doc:
            write_into(arguments.doc, render_scale(found), start=SCALE_START, end=SCALE_END)
        report_goals(found["goals"])
        print(f"results: {scale_file}")
    return 0


def main_run(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bazaar-bench-") as work:
        found = asyncio.run(run(arguments, Path(work)))
    results_file = arguments.out / "results.json"
    results_file.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    plotted = "http" in found and plot(results_file, arguments.out / "ratios.png")
    if not arguments.no_doc:
        relative = (
            (arguments.out / "ratios.png").relative_to(arguments.doc.parent) if plotted else None
        )
        write_into(arguments.doc, render(found, str(relative) if relative else None))
    report_goals(found["goals"])
    print(f"results: {results_file}")


if __name__ == "__main__":
    sys.exit(main())
