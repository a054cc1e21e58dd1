"""One run's figures as a JSON document, and the issue's goals judged against them."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bazaar_bench.event_hop import Hop
from bazaar_bench.http_cases import CASES, COUNTING, GATEWAY_PAIRS, Measured
from bazaar_bench.saga import Settled, Throughput
from bazaar_bench.stats import Spread, paired_ratios, percentile
from bazaar_bench.wrk import Sample

# Cases whose answers are also judged against the floor app of the same round.
AGAINST_FLOOR = ("order",)


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


def hop_figures(hops: list[Hop]) -> dict[str, Any]:
    """The hop's latency, and its two parts: the relay's work and the delivery."""
    return {
        **latency_figures([hop.total_s for hop in hops]),
        "relay": latency_figures([hop.relay_s for hop in hops]),
        "delivery": latency_figures([hop.delivery_s for hop in hops]),
    }


def answers(samples: list[Sample]) -> dict[str, Any]:
    """What a counting case's answers said over all its rounds, and the cache's hit ratio.

    The hit ratio is None (unknown) when no answer carried X-Cache-Status:
    a service without the cache, not a cache that never hits.
    """
    summed: dict[str, dict[str, int]] = {}
    for sample in samples:
        for what, values in sample.tallies.items():
            into = summed.setdefault(what, {})
            for value, count in values.items():
                into[value] = into.get(value, 0) + count
    cache = summed.get("x-cache-status", {})
    reported = sum(count for value, count in cache.items() if value != "none")
    statuses = summed.get("status", {})
    answered = sum(statuses.values())
    return {
        **summed,
        "hit_ratio": cache.get("hit", 0) / reported if reported else None,
        "not_modified_ratio": statuses.get("304", 0) / answered if answered else None,
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
            # The tail as a multiple of the median, round by round.
            "p99_over_p50": Spread.of(
                [sample.p99_ms / sample.p50_ms for sample in found.samples]
            ).as_dict(),
        }
        if case.name in AGAINST_FLOOR and "floor" in measured:
            floor = [sample.rps for sample in measured["floor"].samples]
            cases[case.name]["ratio_to_floor"] = Spread.of(paired_ratios(rps, floor)).as_dict()
        if case.script == COUNTING:
            cases[case.name]["answers"] = answers(found.samples)
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
        "workers": run.workers,
        "confirmed": run.settled.confirmed,
        "cancelled": run.settled.cancelled,
        "confirmed_per_second": run.settled.confirmed / run.seconds,
        "latency_under_load": latency_figures(run.settled.latencies_s)
        if run.settled.latencies_s
        else {},
        "drain_seconds": round(run.drain_seconds, 1),
        "invariants": run.invariants,
    }


def saga_scaling_figures(one: Throughput, two: Throughput) -> dict[str, Any]:
    """Orders/s with one and with two workers a service, and how far the second took it."""
    first, second = saga_throughput_figures(one), saga_throughput_figures(two)
    rate = first["confirmed_per_second"]
    return {
        "one_worker": first,
        "two_workers": second,
        "two_of_one": second["confirmed_per_second"] / rate if rate else None,
    }


@dataclass(frozen=True)
class Goal:
    name: str
    target: str
    path: tuple[str, ...]  # where the measured figure is in the results
    at_least: float | None = None
    at_most: float | None = None
    # Where a verdict is that must read "hold" for the goal to be met.
    holds: tuple[str, ...] | None = None


def _ratio(case: str) -> tuple[str, ...]:
    return ("http", "cases", case, "ratio_to_bare", "median")


ONE_WORKER = ("saga_throughput", "one_worker")

GOALS = [
    Goal("order read, ratio to bare", ">= 0.30", _ratio("order"), at_least=0.30),
    Goal(
        "order read, of the floor (raw asyncpg read)",
        ">= 0.75",
        ("http", "cases", "order", "ratio_to_floor", "median"),
        at_least=0.75,
    ),
    Goal(
        "order read p99, times its p50",
        "<= 5",
        ("http", "cases", "order", "p99_over_p50", "median"),
        at_most=5.0,
    ),
    Goal("catalog page uncached, ratio to bare", ">= 0.30", _ratio("catalog-page"), at_least=0.30),
    Goal(
        "catalog page cached, ratio to bare",
        ">= 0.60",
        _ratio("catalog-page-cached"),
        at_least=0.60,
    ),
    Goal("orders page (20 orders), ratio to bare", ">= 0.15", _ratio("orders-page"), at_least=0.15),
    Goal(
        "place order alone (relay and consumers elsewhere), ratio to bare",
        ">= 0.12",
        _ratio("place-order"),
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
    Goal("saga POST -> CONFIRMED p50", "<= 120 ms", ("saga_latency", "p50_ms"), at_most=120.0),
    Goal("saga POST -> CONFIRMED p99", "<= 300 ms", ("saga_latency", "p99_ms"), at_most=300.0),
    Goal(
        "saga throughput, one worker a service (orders/s, invariants hold)",
        ">= 15",
        (*ONE_WORKER, "confirmed_per_second"),
        at_least=15.0,
        holds=(*ONE_WORKER, "invariants"),
    ),
    Goal(
        "saga throughput, two workers a service, of one",
        ">= 1.7",
        ("saga_throughput", "two_of_one"),
        at_least=1.7,
        holds=("saga_throughput", "two_workers", "invariants"),
    ),
    Goal(
        "projected AWS saga p50, every message on EventBridge",
        "<= 300 ms",
        ("projection", "eventbridge", "p50_ms"),
        at_most=300.0,
    ),
    Goal(
        "projected AWS saga p50, commands point to point on SQS",
        "<= 300 ms",
        ("projection", "point_to_point", "p50_ms"),
        at_most=300.0,
    ),
]


def _at(results: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = results
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    judged = []
    for goal in GOALS:
        value = _at(results, goal.path)
        if value is None:
            continue  # not measured in this run (--only)
        met = (goal.at_least is None or value >= goal.at_least) and (
            goal.at_most is None or value <= goal.at_most
        )
        if goal.holds is not None:
            met = met and _at(results, goal.holds) == "hold"
        judged.append({"goal": goal.name, "target": goal.target, "measured": value, "met": met})
    return judged


# The event log at scale: the timeline's p99 at the largest size within this
# many times its p99 at the smallest.
SCALE_GROWTH_GOAL = 2.0


def scale_growth(sizes: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """Each read's p50 and p99 at the largest size over the smallest, round by round."""
    smallest, largest = sizes[0]["queries"], sizes[-1]["queries"]
    return {
        read: {
            figure: Spread.of(
                paired_ratios(largest[read]["rounds"][figure], smallest[read]["rounds"][figure])
            ).as_dict()
            for figure in ("p50_ms", "p99_ms")
        }
        for read in smallest
    }


def judge_scale(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's goal for the log at scale, when more than one size was measured."""
    sizes = found["sizes"]
    if len(sizes) < 2:
        return []
    measured = found["growth"]["timeline"]["p99_ms"]["median"]
    return [
        {
            "goal": f"timeline p99 at {sizes[-1]['events']:,} events, "
            f"of its p99 at {sizes[0]['events']:,}",
            "target": f"<= {SCALE_GROWTH_GOAL:g}",
            "measured": measured,
            "met": measured <= SCALE_GROWTH_GOAL,
        }
    ]
