"""The simulated card processor's rules, from settings to decisions."""

from __future__ import annotations

import random
from uuid import uuid4

import pytest
from pydantic import ValidationError

from bazaar_payments.adapters.simulated_processor import ProcessorRules, SimulatedCardProcessor
from bazaar_payments.domain.model import APPROVED, CardDecision, Charge, DeclineReason
from bazaar_payments.service_layer.card_processor import NoCardProcessor, ProcessorUnavailable
from bazaar_payments.settings import PaymentsSettings

BASE = {
    "environment": "test",
    "database_url": "postgresql+asyncpg://u@localhost/payments",
    "auth_issuer": "http://127.0.0.1:1",
    "auth_client_ids": ["c"],
}


def settings(**values) -> PaymentsSettings:
    return PaymentsSettings.model_validate({**BASE, **values})


def charge(amount_minor=4_200, card_token="tok_visa") -> Charge:  # noqa: S107 - a test card
    return Charge(uuid4(), "customer-a", amount_minor, "EUR", card_token)


class RecordedSleeps:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def test_defaults_decline_tok_decline_and_amounts_above_100000(monkeypatch):
    for name in list(PaymentsSettings.model_fields):
        monkeypatch.delenv(name.upper(), raising=False)
    rules = ProcessorRules.of(settings())
    assert rules == ProcessorRules(100_000, frozenset({"tok_decline"}), 0.0, 0.0)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PROCESSOR_DECLINE_ABOVE_MINOR", "500")
    monkeypatch.setenv("PROCESSOR_DECLINED_TOKENS", "tok_stolen, tok_expired,,")
    monkeypatch.setenv("PROCESSOR_LATENCY_MS", "250")
    monkeypatch.setenv("PROCESSOR_TRANSIENT_FAILURE_RATE", "0.25")

    rules = ProcessorRules.of(settings())

    assert rules == ProcessorRules(500, frozenset({"tok_stolen", "tok_expired"}), 0.25, 0.25)


def test_no_declined_tokens_at_all_is_allowed(monkeypatch):
    monkeypatch.setenv("PROCESSOR_DECLINED_TOKENS", "")
    assert settings().declined_tokens == frozenset()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("processor_latency_ms", -1),
        ("processor_latency_ms", 10_001),
        ("processor_transient_failure_rate", -0.1),
        ("processor_transient_failure_rate", 1.5),
        ("processor_decline_above_minor", -1),
        ("processor_declined_tokens", "4111111111111111"),
        ("processor_declined_tokens", "tok_ok,TOK_UPPER"),
    ],
)
def test_out_of_range_settings_are_refused(name, value):
    with pytest.raises(ValidationError, match=name):
        settings(**{name: value})


@pytest.mark.parametrize(
    ("amount", "token", "decision"),
    [
        (100_000, "tok_visa", APPROVED),
        (0, "tok_visa", APPROVED),
        (100_001, "tok_visa", CardDecision(DeclineReason.AMOUNT_OVER_LIMIT)),
        (1, "tok_decline", CardDecision(DeclineReason.CARD_DECLINED)),
        # Both rules apply: the card is refused first, as a processor would.
        (200_000, "tok_decline", CardDecision(DeclineReason.CARD_DECLINED)),
    ],
)
async def test_decisions_follow_the_rules(amount, token, decision):
    processor = SimulatedCardProcessor(ProcessorRules())
    assert await processor.capture(charge(amount, token)) == decision


async def test_each_call_takes_the_configured_latency():
    sleeps = RecordedSleeps()
    processor = SimulatedCardProcessor(ProcessorRules(latency_seconds=0.3), sleep=sleeps)

    await processor.capture(charge())
    await processor.capture(charge())

    assert sleeps.seconds == [0.3, 0.3]


async def test_no_latency_means_no_sleep():
    sleeps = RecordedSleeps()
    await SimulatedCardProcessor(ProcessorRules(), sleep=sleeps).capture(charge())
    assert sleeps.seconds == []


async def test_a_failure_rate_of_one_always_fails_transiently():
    processor = SimulatedCardProcessor(ProcessorRules(transient_failure_rate=1.0))
    for _ in range(20):
        with pytest.raises(ProcessorUnavailable):
            await processor.capture(charge())


async def test_a_failure_rate_fails_about_that_share_of_calls():
    processor = SimulatedCardProcessor(
        ProcessorRules(transient_failure_rate=0.3), rng=random.Random(7)
    )
    failed = 0
    for _ in range(1_000):
        try:
            await processor.capture(charge())
        except ProcessorUnavailable:
            failed += 1
    assert 240 <= failed <= 360


async def test_without_a_configured_processor_a_capture_waits_instead_of_deciding():
    with pytest.raises(ProcessorUnavailable):
        await NoCardProcessor().capture(charge())
