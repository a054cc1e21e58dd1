"""The schema: migrations build exactly the tables the code declares, and refuse bad money."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from bazaar_payments.adapters.tables import metadata, payments

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(minutes=1)


async def test_the_migrated_schema_is_the_declared_one(app):
    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with app.state.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


def row(**overrides):
    return {
        "order_id": uuid4(),
        "id": uuid4(),
        "customer_id": "customer-a",
        "amount_minor": 100,
        "currency": "EUR",
        "status": "captured",
        "decline_reason": None,
        "created_at": T0,
        "updated_at": T0,
        "captured_at": T0,
        "refunded_at": None,
        **overrides,
    }


VOID = {"status": "voided", "customer_id": None, "amount_minor": None, "currency": None}
VALID = {
    "captured": {},
    "declined": {"status": "declined", "captured_at": None, "decline_reason": "card-declined"},
    "refunded": {"status": "refunded", "refunded_at": T1, "updated_at": T1},
    "voided": {**VOID, "captured_at": None},
    "voided-after-a-late-capture": {
        "status": "voided",
        "captured_at": None,
        "decline_reason": "payment-voided",
    },
}
INVALID = {
    "negative-amount": {"amount_minor": -1},
    "unknown-status": {"status": "pending"},
    "lowercase-currency": {"currency": "eur"},
    "amount-without-currency": {"currency": None},
    "captured-without-capture-time": {"captured_at": None},
    "refunded-without-capture-time": {"status": "refunded", "captured_at": None, "refunded_at": T1},
    "refunded-without-refund-time": {"status": "refunded"},
    "refund-time-on-a-capture": {"refunded_at": T1},
    "refunded-before-captured": {
        "status": "refunded",
        "captured_at": T1,
        "refunded_at": T0,
        "updated_at": T1,
    },
    "declined-without-reason": {"status": "declined", "captured_at": None},
    "declined-as-voided": {
        "status": "declined",
        "captured_at": None,
        "decline_reason": "payment-voided",
    },
    "declined-with-capture-time": {"status": "declined", "decline_reason": "card-declined"},
    "reason-on-a-capture": {"decline_reason": "card-declined"},
    "capture-without-customer": {"customer_id": None},
    "capture-without-amount": {"amount_minor": None, "currency": None},
    "void-with-capture-time": VOID,
    "void-with-other-reason": {**VOID, "captured_at": None, "decline_reason": "card-declined"},
    "void-that-knows-an-amount-unasked": {"status": "voided", "captured_at": None},
    "updated-before-created": {"created_at": T1, "updated_at": T0, "captured_at": T1},
}


@pytest.mark.parametrize("overrides", list(VALID.values()), ids=list(VALID))
async def test_every_state_the_model_makes_is_accepted(app, overrides):
    values = row(**overrides)
    async with app.state.engine.begin() as connection:
        await connection.execute(payments.insert().values(**values))
        stored = (await connection.execute(select(payments))).mappings().one()
    assert {column: stored[column] for column in values} == values


@pytest.mark.parametrize("overrides", list(INVALID.values()), ids=list(INVALID))
async def test_rows_that_break_a_money_invariant_are_refused(app, db, overrides):
    with pytest.raises(sa_exc.IntegrityError, match="ck_payments_"):
        async with app.state.engine.begin() as connection:
            await connection.execute(payments.insert().values(**row(**overrides)))
    assert await db.count("payments") == 0


async def test_an_order_has_one_payment_and_a_payment_one_order(app):
    first = row()
    async with app.state.engine.begin() as connection:
        await connection.execute(payments.insert().values(**first))
    for clash in ({"order_id": first["order_id"]}, {"id": first["id"]}):
        with pytest.raises(sa_exc.IntegrityError):
            async with app.state.engine.begin() as connection:
                await connection.execute(payments.insert().values(**row(**clash)))
