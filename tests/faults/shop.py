"""What both fault tests do to the system as its users: sign in, stock the shelves, count."""

from __future__ import annotations

import httpx
from tests.faults.customers import Tally
from tests.storefront import stocked_product

from bazaar_common.testing.moto import REGION
from bazaar_devstack.cognito import access_token, add_user
from bazaar_devstack.invariants import Books
from bazaar_devstack.stack import Stack

SKUS = 8
UNITS = 100_000


async def sign_in(stack: Stack, name: str, group: str) -> str:
    assert stack.identity is not None
    await add_user(stack.cognito_url, REGION, stack.identity, name, group=group)
    return await access_token(stack.cognito_url, REGION, stack.identity, name)


async def stock_up(stack: Stack, admin: str, *, skus: int = SKUS) -> list[str]:
    """``skus`` new products, each with plenty in stock."""
    headers = {"Authorization": f"Bearer {admin}"}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
        return [
            await stocked_product(http, headers, units=UNITS, prefix="FLT") for _ in range(skus)
        ]


def lost_orders(tally: Tally, books: Books) -> list[str]:
    """Orders the customers were told were accepted that orders' database does not hold."""
    held = {str(order_id) for order_id in books.orders}
    return [accepted.order_id for accepted in tally.accepted if accepted.order_id not in held]
