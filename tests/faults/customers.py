"""Customers ordering without pause through the gateway, as clients that retry well do.

Each order is one ``Idempotency-Key``, sent again on 429, 502, 503, 504 and on
transport errors, after ``Retry-After`` when the answer gives one, until the
order is accepted or its time is up. Every answer is counted, so a test can
say how many requests failed, how, and how long the slowest took.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from uuid import uuid4

import httpx

RETRYABLE = {429, 502, 503, 504}
# Long enough for a restart of Postgres or of a service, short of a hang.
ORDER_PATIENCE_SECONDS = 60.0
REQUEST_TIMEOUT_SECONDS = 10.0
# Two customers at about an order a second each: under the saga's
# throughput on a 2-core machine, so the queues stay short between faults.
PAUSE_SECONDS = 1.0


@dataclass
class Accepted:
    order_id: str
    submitted_at: float
    accepted_at: float


@dataclass
class Tally:
    """What the customers saw: answers by status, orders accepted, orders given up on."""

    answers: Counter[str] = field(default_factory=Counter)
    accepted: list[Accepted] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)  # keys never accepted in time
    slowest_answer_seconds: float = 0.0
    not_problem_json: list[str] = field(default_factory=list)

    @property
    def failed_requests(self) -> int:
        return sum(n for status, n in self.answers.items() if not status.startswith("2"))

    def summary(self) -> str:
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(self.answers.items()))
        return (
            f"{len(self.accepted)} orders accepted, {len(self.abandoned)} abandoned; "
            f"answers {answers}; slowest {self.slowest_answer_seconds:.1f} s"
        )


class Customers:
    def __init__(self, gateway_url: str, tokens: list[str], skus: list[str], tally: Tally) -> None:
        self.gateway_url = gateway_url
        self.tokens = tokens
        self.skus = skus
        self.tally = tally
        self.stopping = asyncio.Event()

    async def run(self) -> None:
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(
            base_url=self.gateway_url, timeout=REQUEST_TIMEOUT_SECONDS, limits=limits
        ) as http:
            await asyncio.gather(
                *(self._customer(http, number, token) for number, token in enumerate(self.tokens))
            )

    def stop(self) -> None:
        self.stopping.set()

    async def _customer(self, http: httpx.AsyncClient, number: int, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        placed = 0
        while not self.stopping.is_set():
            sku = self.skus[(number + placed) % len(self.skus)]
            await self._order(http, headers, {"lines": [{"sku": sku, "quantity": 1}]})
            placed += 1
            await asyncio.sleep(PAUSE_SECONDS)

    async def _order(self, http: httpx.AsyncClient, headers: dict[str, str], body: object) -> None:
        key = str(uuid4())
        submitted = time.monotonic()
        while time.monotonic() - submitted < ORDER_PATIENCE_SECONDS:
            answer, retry_after = await self._send(http, {**headers, "Idempotency-Key": key}, body)
            if answer is not None and answer.status_code in (200, 201, 202):
                self.tally.accepted.append(
                    Accepted(answer.json()["id"], submitted, time.monotonic())
                )
                return
            if answer is not None and not _retryable(answer):
                raise AssertionError(f"order refused: {answer.status_code} {answer.text}")
            await asyncio.sleep(retry_after)
        self.tally.abandoned.append(key)

    async def _send(
        self, http: httpx.AsyncClient, headers: dict[str, str], body: object
    ) -> tuple[httpx.Response | None, float]:
        started = time.monotonic()
        try:
            answer = await http.post("/orders", json=body, headers=headers)
        except httpx.TransportError as error:
            self.tally.answers[type(error).__name__] += 1
            return None, 0.5
        finally:
            took = time.monotonic() - started
            self.tally.slowest_answer_seconds = max(self.tally.slowest_answer_seconds, took)
        self.tally.answers[str(answer.status_code)] += 1
        if answer.status_code >= 400 and not answer.headers.get("content-type", "").startswith(
            "application/problem+json"
        ):
            self.tally.not_problem_json.append(f"{answer.status_code} {answer.text[:200]}")
        return answer, float(answer.headers.get("retry-after", "0.5"))


def _retryable(answer: httpx.Response) -> bool:
    """Overload and outages; and a 409 with Retry-After: the key's first try still runs."""
    in_progress = answer.status_code == 409 and "retry-after" in answer.headers
    return answer.status_code in RETRYABLE or in_progress
