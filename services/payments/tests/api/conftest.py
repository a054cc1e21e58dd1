"""Helpers of the HTTP tests: callers with tokens, and payments made through the use cases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from itertools import count
from uuid import uuid4

import pytest

from bazaar_common.testing.tokens import Caller
from bazaar_payments.domain.model import Charge, Payment
from bazaar_payments.service_layer import settlement

T0 = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def alice(token_issuer) -> Caller:
    return token_issuer.caller("alice", ["customers"])


@pytest.fixture(scope="session")
def bob(token_issuer) -> Caller:
    return token_issuer.caller("bob", ["customers"])


@pytest.fixture(scope="session")
def admin(token_issuer) -> Caller:
    return token_issuer.caller("ada", ["admins"])


MakePayment = Callable[..., Awaitable[Payment]]


@pytest.fixture
def make_payment(new_uow) -> MakePayment:
    """``await make_payment(customer_id, amount_minor=..., at=...)``: a captured payment.

    Each one is a minute after the last unless ``at`` says when.
    """
    minutes = count()

    async def make(
        customer_id: str, *, amount_minor: int = 1_000, at: datetime | None = None
    ) -> Payment:
        when = at or T0 + timedelta(minutes=next(minutes))
        charge = Charge(uuid4(), customer_id, amount_minor, "EUR", "tok_visa")
        return await settlement.capture(new_uow(), charge, clock=lambda: when)

    return make


@pytest.fixture
def make_void(new_uow) -> Callable[[], Awaitable[Payment]]:
    async def make() -> Payment:
        return await settlement.refund(new_uow(), uuid4(), clock=lambda: T0)

    return make
