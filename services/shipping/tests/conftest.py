"""Fixtures of the shipping tests: the service as the kit runs it, callers, raw reads."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import ServiceUnderTest
from bazaar_common.testing.tokens import Caller
from bazaar_shipping.adapters.tables import metadata
from bazaar_shipping.main import MESSAGING, create_app
from bazaar_shipping.settings import ShippingSettings


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[ShippingSettings]:
    """What the plugin's ``settings``, ``app``, ``new_uow`` and ``deliver`` are made of."""
    return ServiceUnderTest(
        name="shipping",
        create_app=create_app,
        settings_class=ShippingSettings,
        metadata=metadata,
        messaging=MESSAGING,
    )


@pytest.fixture(scope="session")
def alice(token_issuer) -> Caller:
    return token_issuer.caller("alice", ["customers"])


@pytest.fixture(scope="session")
def bob(token_issuer) -> Caller:
    return token_issuer.caller("bob", ["customers"])


@pytest.fixture(scope="session")
def ada(token_issuer) -> Caller:
    return token_issuer.caller("ada", ["admins"])


class Database(RawDatabase):
    """Raw reads of the service's tables, to check what really got written."""

    async def published(self) -> list[dict[str, Any]]:
        """The envelopes in the outbox, in the order they were written."""
        rows = await self.rows("SELECT envelope FROM outbox ORDER BY created_at, id")
        return [row["envelope"] for row in rows]


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine, metadata)
