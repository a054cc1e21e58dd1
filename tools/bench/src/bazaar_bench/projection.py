"""The saga's POST -> CONFIRMED on AWS, projected from this run and published delivery latencies.

What the run measures locally is the saga's own work plus moto's delivery
of each hop. Take moto out and put AWS's delivery in:

    on AWS = (a measured saga - HOPS x moto's median delivery)
             + the sum of HOPS AWS deliveries

- A measured saga: one POST -> CONFIRMED of the latency run (placement,
  every relay's claim, every handler's transaction, the client's polling),
  resampled.
- Moto's delivery: from the relay's ``PutEvents`` call to the handler
  starting, measured by the event hop on a quiet stack (its median). The
  saga ran on a busier stack, so moto's share of it was, if anything,
  larger: what is left as "own work" is, if anything, too much.
- AWS's delivery per hop: a log-normal fitted to a published p50 and p99
  (two percentiles give both of its parameters), drawn independently for
  each hop.

p50 and p99 of the sum come from a Monte Carlo of ``DRAWS`` sagas with a
fixed seed (the same inputs give the same figures). The conservative p99 is
also given: the own work's p99 plus HOPS times the delivery's p99, as if
every tail met in one saga.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bazaar_bench.stats import percentile

# The saga's messages until CONFIRMED (services/orders: Order.place sends
# ReserveStock, on_stock_reserved sends CapturePayment, on_payment_captured
# confirms): ReserveStock, StockReserved, CapturePayment, PaymentCaptured.
HOPS = 4
DRAWS = 100_000
SEED = 20261206
Z_P99 = 2.3263478740408408  # the standard normal's 99th percentile


@dataclass(frozen=True)
class Delivery:
    """A published producer-to-consumer latency, and where it was published."""

    name: str
    p50_ms: float
    p99_ms: float
    source: str

    def log_normal(self) -> tuple[float, float]:
        """(mu, sigma) of the log-normal with this p50 and p99."""
        if not 0 < self.p50_ms < self.p99_ms:
            raise ValueError(f"{self.name}: need 0 < p50 < p99")
        return math.log(self.p50_ms), math.log(self.p99_ms / self.p50_ms) / Z_P99


# Bite-Sized Serverless, "Serverless Messaging: Latency Compared" (Luc van
# Donkersgoed, eu-west-1; EventBridge re-measured after its February 2023
# latency improvement): producer timestamp to consumer, 1,024 messages.
# EventBridge's consumer there is an async Lambda invocation, not an SQS
# target; SQS standard's is Lambda's event source mapping (long polling).
SOURCE = "https://bitesizedserverless.com/bite/serverless-messaging-latency-compared/"
EVENTBRIDGE = Delivery("EventBridge rule to target", 148.0, 387.0, SOURCE)
SQS = Delivery("SQS send to receive, long polling", 16.2, 105.0, SOURCE)


@dataclass(frozen=True)
class Projection:
    delivery: str
    source: str
    hops: int
    own_work_p50_ms: float
    own_work_p99_ms: float
    p50_ms: float
    p99_ms: float
    conservative_p99_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def own_work_ms(saga_ms: Sequence[float], moto_delivery_ms: Sequence[float]) -> list[float]:
    """Each measured saga without moto's median delivery on each hop (never below 0)."""
    moto = statistics.median(moto_delivery_ms)
    return [max(0.0, saga - HOPS * moto) for saga in saga_ms]


def project(
    saga_ms: Sequence[float],
    moto_delivery_ms: Sequence[float],
    delivery: Delivery,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
) -> Projection:
    if not saga_ms or not moto_delivery_ms:
        raise ValueError("need measured sagas and measured deliveries")
    own = own_work_ms(saga_ms, moto_delivery_ms)
    mu, sigma = delivery.log_normal()
    rng = random.Random(seed)  # noqa: S311 - a simulation, reproducible on purpose
    sagas = [
        rng.choice(own) + sum(rng.lognormvariate(mu, sigma) for _ in range(HOPS))
        for _ in range(draws)
    ]
    own_p99 = percentile(own, 0.99)
    return Projection(
        delivery=f"{delivery.name} (p50 {delivery.p50_ms:g} ms, p99 {delivery.p99_ms:g} ms)",
        source=delivery.source,
        hops=HOPS,
        own_work_p50_ms=percentile(own, 0.50),
        own_work_p99_ms=own_p99,
        p50_ms=percentile(sagas, 0.50),
        p99_ms=percentile(sagas, 0.99),
        conservative_p99_ms=own_p99 + HOPS * delivery.p99_ms,
    )


def projections(
    saga_ms: Sequence[float], moto_delivery_ms: Sequence[float], *, draws: int = DRAWS
) -> dict[str, dict[str, Any]]:
    """Today's saga (every message on EventBridge) and with commands point to point on SQS."""
    return {
        key: project(saga_ms, moto_delivery_ms, delivery, draws=draws).as_dict()
        for key, delivery in (("eventbridge", EVENTBRIDGE), ("point_to_point", SQS))
    }
