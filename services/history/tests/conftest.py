"""Fixtures of the history tests: the service as the kit runs it, callers, raw reads."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from bazaar_common.testing.database import RawDatabase
from bazaar_common.testing.service_kit import ServiceUnderTest
from bazaar_common.testing.tokens import Caller
from bazaar_history.adapters.tables import metadata
from bazaar_history.main import MESSAGING, create_app
from bazaar_history.settings import HistorySettings


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest[HistorySettings]:
    """What the plugin's ``settings``, ``app``, ``new_uow`` and ``deliver`` are made of."""
    return ServiceUnderTest(
        name="history",
        create_app=create_app,
        settings_class=HistorySettings,
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

    async def outbox_types(self) -> list[str]:
        rows = await self.rows("SELECT type FROM outbox ORDER BY created_at, id")
        return [row["type"] for row in rows]


@pytest.fixture
def db(app: FastAPI) -> Database:
    return Database(app.state.engine, metadata)
