"""A card processor simulated by fixed rules, for every environment we run.

Deterministic except for the transient failures, whose rate is configured
(zero by default): those exercise the saga's retry path on purpose. It
keeps no state, so a capture whose transaction rolled back took no money;
a real processor would take the charge's ``order_id`` as idempotency key.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bazaar_payments.domain.model import APPROVED, CardDecision, Charge, DeclineReason
from bazaar_payments.service_layer.card_processor import CardProcessor, ProcessorUnavailable
from bazaar_payments.settings import PaymentsSettings

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ProcessorRules:
    decline_above_minor: int = 100_000
    declined_tokens: frozenset[str] = frozenset({"tok_decline"})
    latency_seconds: float = 0.0
    transient_failure_rate: float = 0.0

    @classmethod
    def of(cls, settings: PaymentsSettings) -> ProcessorRules:
        return cls(
            decline_above_minor=settings.processor_decline_above_minor,
            declined_tokens=settings.declined_tokens,
            latency_seconds=settings.processor_latency_ms / 1000,
            transient_failure_rate=settings.processor_transient_failure_rate,
        )

    def decide(self, charge: Charge) -> CardDecision:
        if charge.card_token in self.declined_tokens:
            return CardDecision(DeclineReason.CARD_DECLINED)
        if charge.amount_minor > self.decline_above_minor:
            return CardDecision(DeclineReason.AMOUNT_OVER_LIMIT)
        return APPROVED


class SimulatedCardProcessor(CardProcessor):
    def __init__(
        self,
        rules: ProcessorRules,
        *,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._rules = rules
        # Not for secrets: it only picks which calls fail on purpose.
        self._rng = rng or random.Random()  # noqa: S311
        self._sleep = sleep

    async def capture(self, charge: Charge) -> CardDecision:
        if self._rules.latency_seconds:
            await self._sleep(self._rules.latency_seconds)
        if self._rng.random() < self._rules.transient_failure_rate:
            raise ProcessorUnavailable("the simulated processor failed transiently")
        return self._rules.decide(charge)
