"""Many customers race for the last units of one sku: no oversell, every order settles."""

from __future__ import annotations

import asyncio

from bazaar_devstack.invariants import drain

UNITS = 5
CUSTOMERS = 16


async def test_the_last_units_go_to_exactly_as_many_orders_as_there_are_units(shop):
    sku = await shop.add_product(units=UNITS, price=700)
    customers = [await shop.customer(f"racer-{n}") for n in range(CUSTOMERS)]

    placed = await asyncio.gather(*(shop.place(customer, {sku: 1}) for customer in customers))
    assert [response.status_code for response in placed] == [201] * CUSTOMERS
    settled = await asyncio.gather(
        *(
            shop.settled(customer, response.json()["id"], within=60)
            for customer, response in zip(customers, placed, strict=True)
        )
    )

    outcomes = sorted((order["status"], order["cancel_reason"]) for order in settled)
    assert outcomes.count(("CONFIRMED", None)) == UNITS
    assert outcomes.count(("CANCELLED", "out-of-stock")) == CUSTOMERS - UNITS
    await drain(shop.stack)
    stock = await shop.stock(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (0, 0, UNITS)
