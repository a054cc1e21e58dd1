"""The request-level cases: each a wrk load on one URL, all interleaved over rounds.

Every round runs every case once, in an order that rotates from round to
round, so slow phases of a shared machine spread over all cases. Each case
is also measured in CPU microseconds per request of the processes serving it
(from /proc), which a neighbour's load moves less than requests/s.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bazaar_bench import procstat, wrk
from bazaar_bench.bare import PATH as BARE_PATH
from bazaar_bench.floor import PATH as FLOOR_PATH
from bazaar_bench.system import ORDER_SKU, BenchSystem

# Tallies each answer's status and X-Cache-Status (wrk.tallies reads them back).
COUNTING = "count_responses.lua"


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    # Whose CPU time counts: the service answering, and the gateway if in front.
    serves: tuple[str, ...]
    url: Callable[[BenchSystem], str]
    token: bool = True
    # Request headers beyond the token (the catalog cases' cache headers).
    extra_headers: Callable[[BenchSystem], list[str]] = lambda _: []
    script: str | None = None
    # The script builds every request itself (token and all), from its arguments.
    script_requests: bool = False
    # After a case that starts sagas, wait for them before the next case.
    starts_sagas: bool = False

    def headers(self, system: BenchSystem) -> list[str]:
        if self.script_requests:
            return []
        token = [f"Authorization: Bearer {system.customer}"] if self.token else []
        return token + self.extra_headers(system)

    def script_arguments(self, system: BenchSystem) -> list[str]:
        return [system.customer, ORDER_SKU] if self.script_requests else []


def _direct(service: str, path: Callable[[BenchSystem], str]) -> Callable[[BenchSystem], str]:
    return lambda system: system.url(service) + path(system)


def _gateway(path: Callable[[BenchSystem], str]) -> Callable[[BenchSystem], str]:
    return lambda system: system.running.gateway_url + path(system)


def _order(system: BenchSystem) -> str:
    return f"/orders/{system.order_id}"


def _catalog_page(system: BenchSystem) -> str:
    return "/inventory/products?limit=20"


def _orders_page(system: BenchSystem) -> str:
    return "/orders?limit=20"


def _uncached(system: BenchSystem) -> list[str]:
    # Asks the server's read-through cache to step aside: the page from the database.
    return ["Cache-Control: no-cache"]


def _revalidating(system: BenchSystem) -> list[str]:
    # Until the cache is in, the page has no ETag: then plain requests (and 200s).
    return [f"If-None-Match: {system.catalog_etag}"] if system.catalog_etag else []


CASES = [
    Case(
        "bare",
        "FastAPI returning a small JSON (the baseline)",
        ("bare",),
        lambda system: system.url("bare") + BARE_PATH,
        token=False,
    ),
    Case(
        "floor",
        "FastAPI and one raw asyncpg read of the order by id (the order read's floor)",
        ("floor",),
        lambda system: f"{system.url('floor')}{FLOOR_PATH}/{system.order_id}",
        token=False,
    ),
    Case(
        "order",
        "GET /orders/{id}: token verified, traced, one read",
        ("orders",),
        _direct("orders", _order),
    ),
    Case(
        "orders-page",
        "GET /orders?limit=20: token, traced, keyset page",
        ("orders",),
        _direct("orders", _orders_page),
    ),
    Case(
        "catalog-page",
        "GET /inventory/products?limit=20 with Cache-Control: no-cache: traced, keyset page",
        ("inventory",),
        _direct("inventory", _catalog_page),
        extra_headers=_uncached,
        script=COUNTING,
    ),
    Case(
        "catalog-page-cached",
        "the catalog page, plain requests: the server's cache may answer",
        ("inventory",),
        _direct("inventory", _catalog_page),
        script=COUNTING,
    ),
    Case(
        "catalog-page-304",
        "the catalog page with If-None-Match of its current ETag",
        ("inventory",),
        _direct("inventory", _catalog_page),
        extra_headers=_revalidating,
        script=COUNTING,
    ),
    Case(
        "order@gateway",
        "the order read through the gateway",
        ("orders", "gateway"),
        _gateway(_order),
    ),
    Case(
        "catalog-page@gateway",
        "the catalog page through the gateway",
        ("inventory", "gateway"),
        _gateway(_catalog_page),
        extra_headers=_uncached,
    ),
    Case(
        "place-order",
        "POST /orders: token, idempotency key, price from inventory, order and outbox rows",
        ("orders",),
        _direct("orders", lambda system: "/orders"),
        script="place_order.lua",
        script_requests=True,
        starts_sagas=True,
    ),
]
# Pairs whose difference is the gateway's cost: (direct, through the gateway).
GATEWAY_PAIRS = [("order", "order@gateway"), ("catalog-page", "catalog-page@gateway")]
LOW_LOAD = {name for pair in GATEWAY_PAIRS for name in pair}
# Seconds of placements per round: each placed order is a saga to run.
SAGA_CASE_SECONDS = 2.0
# Seconds of load that warm up each case before the rounds.
WARM_UP_SECONDS = 2.0


@dataclass
class Measured:
    samples: list[wrk.Sample] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)
    low_load: list[wrk.Sample] = field(default_factory=list)


def rotated(cases: list[Case], round_number: int) -> list[Case]:
    """Every case that starts no saga once, in an order that shifts each round."""
    steady = [case for case in cases if not case.starts_sagas]
    shift = round_number % len(steady)
    return steady[shift:] + steady[:shift]


def _serving_cpu(system: BenchSystem, case: Case) -> float:
    total = 0.0
    for name in case.serves:
        if name == "gateway":
            gateway = system.running.gateway
            assert gateway is not None
            total += procstat.tree_cpu_seconds(gateway.pid)
        else:
            total += procstat.cpu_seconds(system.pid(name))
    return total


async def measure(
    system: BenchSystem, *, rounds: int, seconds: float, connections: int, cases: list[Case] = CASES
) -> dict[str, Measured]:
    """The steady cases interleaved over rounds, then the cases that start sagas.

    A placed order sets off a saga (eight events through moto, which on this
    machine confirms a few orders a second), so a few seconds of placements
    leave minutes of saga work. The workers run it, off the measured CPU,
    but beside wrk, Postgres and moto: those cases therefore come last, each
    round paired with a bare run right before it; their backlog is left to
    the teardown.
    Neither the warm-up nor the placements last longer than a measured case
    (shorter than make bench's only in the short runs of its tests).
    """
    system.catalog_etag = await catalog_etag(system)
    results = {case.name: Measured() for case in cases}
    results |= {"bare:" + case.name: Measured() for case in cases if case.starts_sagas}
    for case in (case for case in cases if not case.starts_sagas):  # warm-up: pools, caches, tokens
        try:
            await _load(system, case, connections, min(WARM_UP_SECONDS, seconds))
        except wrk.WrkFailed as failure:  # not measured; a cold start may drop a connection
            print(f"warm-up of {case.name}: {str(failure).splitlines()[0]}", file=sys.stderr)
    bare = next(case for case in cases if case.name == "bare")
    for round_number in range(rounds):
        for case in rotated(cases, round_number):
            await _measure_one(
                system, case, results[case.name], connections, seconds, round_number, rounds
            )
    for case in (case for case in cases if case.starts_sagas):
        for round_number in range(rounds):
            await _measure_one(
                system,
                bare,
                results["bare:" + case.name],
                connections,
                seconds,
                round_number,
                rounds,
            )
            await _measure_one(
                system,
                case,
                results[case.name],
                connections,
                min(SAGA_CASE_SECONDS, seconds),
                round_number,
                rounds,
            )
    return results


async def catalog_etag(system: BenchSystem) -> str | None:
    """The catalog page's current ETag, or None while the service sends none."""
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.get(system.url("inventory") + _catalog_page(system))
    answer.raise_for_status()
    etag: str | None = answer.headers.get("ETag")
    return etag


async def _measure_one(
    system: BenchSystem,
    case: Case,
    into: Measured,
    connections: int,
    seconds: float,
    number: int,
    rounds: int,
) -> None:
    before = _serving_cpu(system, case)
    sample = await _load(system, case, connections, seconds)
    used = _serving_cpu(system, case) - before
    into.samples.append(sample)
    into.cpu_us.append(used / sample.requests * 1e6)
    if case.name in LOW_LOAD:
        into.low_load.append(await _load(system, case, 1, seconds))
    print(
        f"round {number + 1}/{rounds} {case.name:22} {sample.rps:8.0f} rps "
        f"p50 {sample.p50_ms:6.2f} ms  {used / sample.requests * 1e6:7.0f} us CPU/request",
        file=sys.stderr,
        flush=True,
    )


async def _load(system: BenchSystem, case: Case, connections: int, seconds: float) -> wrk.Sample:
    try:
        return await _wrk(system, case, connections, seconds)
    except wrk.WrkFailed as failure:
        raise wrk.WrkFailed(f"{case.name}: {await _one_answer(system, case)}\n{failure}") from None


async def _one_answer(system: BenchSystem, case: Case) -> str:
    """What a single request of the case gets now: the reason behind wrk's error count."""
    headers = dict(header.split(": ", 1) for header in case.headers(system))
    method = "POST" if case.script_requests else "GET"
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.request(method, case.url(system), headers=headers)
    return f"one {method} now answers {answer.status_code}: {answer.text[:300]}"


async def _wrk(system: BenchSystem, case: Case, connections: int, seconds: float) -> wrk.Sample:
    return await wrk.run(
        case.url(system),
        connections=connections,
        seconds=seconds,
        cpus=system.load_cpus,
        headers=case.headers(system),
        script=case.script,
        script_arguments=case.script_arguments(system),
    )
