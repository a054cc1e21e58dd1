"""One run's figures as a JSON document, and the issue's goals judged against them."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bazaar_bench.http_cases import CASES, GATEWAY_PAIRS, Measured
from bazaar_bench.saga import Settled, Throughput
from bazaar_bench.stats import Spread, paired_ratios, percentile


def _commit(root: Path) -> str:
    found = subprocess.run(  # noqa: S603
        ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "unknown"


def machine(root: Path) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(root),
        "cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def latency_figures(seconds: list[float]) -> dict[str, float]:
    ms = [value * 1000 for value in seconds]
    return {
        "count": len(ms),
        "p50_ms": percentile(ms, 0.50),
        "p90_ms": percentile(ms, 0.90),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms),
    }


def http_figures(measured: dict[str, Measured]) -> dict[str, Any]:
    cases: dict[str, Any] = {}
    for case in CASES:
        if case.name not in measured:
            continue
        found = measured[case.name]
        rps = [sample.rps for sample in found.samples]
        # A saga-starting case has bare runs of its own, taken right before each of its runs.
        baseline = measured.get("bare:" + case.name, measured["bare"])
        bare = [sample.rps for sample in baseline.samples]
        cases[case.name] = {
            "description": case.description,
            "rps": Spread.of(rps).as_dict(),
            "ratio_to_bare": Spread.of(paired_ratios(rps, bare)).as_dict(),
            "cpu_us_per_request": Spread.of(found.cpu_us).as_dict(),
            "p50_ms": Spread.of([sample.p50_ms for sample in found.samples]).as_dict(),
            "p99_ms": Spread.of([sample.p99_ms for sample in found.samples]).as_dict(),
        }
        if found.low_load:
            cases[case.name]["one_connection_p50_ms"] = Spread.of(
                [sample.p50_ms for sample in found.low_load]
            ).as_dict()
    gateway: dict[str, Any] = {}
    for direct, through in GATEWAY_PAIRS:
        if direct not in measured or through not in measured:
            continue
        d, g = measured[direct], measured[through]
        gateway[direct] = {
            "throughput_ratio": Spread.of(
                paired_ratios([s.rps for s in g.samples], [s.rps for s in d.samples])
            ).as_dict(),
            "added_p50_ms": Spread.of(
                [gs.p50_ms - ds.p50_ms for ds, gs in zip(d.low_load, g.low_load, strict=True)]
            ).as_dict(),
        }
    return {"cases": cases, "gateway": gateway}


def saga_latency_figures(settled: Settled) -> dict[str, Any]:
    return {
        **latency_figures(settled.latencies_s),
        "confirmed": settled.confirmed,
        "cancelled": settled.cancelled,
    }


def saga_throughput_figures(run: Throughput) -> dict[str, Any]:
    return {
        "seconds": round(run.seconds, 1),
        "customers": run.customers,
        "confirmed": run.settled.confirmed,
        "cancelled": run.settled.cancelled,
        "confirmed_per_second": run.settled.confirmed / run.seconds,
        "latency_under_load": latency_figures(run.settled.latencies_s)
        if run.settled.latencies_s
        else {},
        "drain_seconds": round(run.drain_seconds, 1),
        "invariants": run.invariants,
    }


@dataclass(frozen=True)
class Goal:
    name: str
    target: str
    path: tuple[str, ...]  # where the measured figure is in the results
    at_least: float | None = None
    at_most: float | None = None


GOALS = [
    Goal(
        "order read, ratio to bare",
        ">= 0.30",
        ("http", "cases", "order", "ratio_to_bare", "median"),
        at_least=0.30,
    ),
    Goal(
        "catalog page, ratio to bare",
        ">= 0.30",
        ("http", "cases", "catalog-page", "ratio_to_bare", "median"),
        at_least=0.30,
    ),
    Goal(
        "place order, ratio to bare",
        ">= 0.12",
        ("http", "cases", "place-order", "ratio_to_bare", "median"),
        at_least=0.12,
    ),
    Goal(
        "order read through the gateway, of direct",
        ">= 0.90",
        ("http", "gateway", "order", "throughput_ratio", "median"),
        at_least=0.90,
    ),
    Goal(
        "catalog page through the gateway, of direct",
        ">= 0.90",
        ("http", "gateway", "catalog-page", "throughput_ratio", "median"),
        at_least=0.90,
    ),
    Goal(
        "gateway's added p50 (order read)",
        "<= 1 ms",
        ("http", "gateway", "order", "added_p50_ms", "median"),
        at_most=1.0,
    ),
    Goal(
        "gateway's added p50 (catalog page)",
        "<= 1 ms",
        ("http", "gateway", "catalog-page", "added_p50_ms", "median"),
        at_most=1.0,
    ),
    Goal("event hop p50", "<= 50 ms", ("event_hop", "p50_ms"), at_most=50.0),
    Goal("saga POST -> CONFIRMED p50", "<= 250 ms", ("saga_latency", "p50_ms"), at_most=250.0),
]


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    judged = []
    for goal in GOALS:
        value: Any = results
        for key in goal.path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue  # not measured in this run (--only)
        met = (goal.at_least is None or value >= goal.at_least) and (
            goal.at_most is None or value <= goal.at_most
        )
        judged.append({"goal": goal.name, "target": goal.target, "measured": value, "met": met})
    return judged
