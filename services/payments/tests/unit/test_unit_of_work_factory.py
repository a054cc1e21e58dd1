"""The consumer's units of work get the processor the settings describe, one for all."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bazaar_common.settings import ServiceSettings
from bazaar_payments.adapters.simulated_processor import SimulatedCardProcessor
from bazaar_payments.service_layer.card_processor import NoCardProcessor
from bazaar_payments.service_layer.unit_of_work import PaymentsUnitOfWork
from bazaar_payments.settings import PaymentsSettings

DATABASE_URL = "postgresql+asyncpg://u@localhost/payments"
BASE = {
    "environment": "test",
    "database_url": DATABASE_URL,
    "auth_issuer": "http://127.0.0.1:1",
    "auth_client_ids": ["c"],
}


@pytest.fixture
async def engine():
    engine = create_async_engine(DATABASE_URL)  # never connects here
    yield engine
    await engine.dispose()


def test_the_factory_shares_one_simulated_processor(engine):
    make = PaymentsUnitOfWork.factory(engine, PaymentsSettings.model_validate(BASE))
    first, second = make(), make()
    assert first is not second
    assert isinstance(first.card_processor, SimulatedCardProcessor)
    assert first.card_processor is second.card_processor


def test_a_unit_of_work_made_directly_has_no_processor(engine):
    assert isinstance(PaymentsUnitOfWork(engine).card_processor, NoCardProcessor)


def test_the_factory_refuses_settings_without_the_processor_rules(engine):
    with pytest.raises(TypeError, match="PaymentsSettings"):
        PaymentsUnitOfWork.factory(engine, ServiceSettings.model_validate(BASE))
