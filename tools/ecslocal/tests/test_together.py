"""Starting tasks together: the first failure stops the others before it is raised."""

from __future__ import annotations

import asyncio

import pytest

from bazaar_ecslocal.up import together


async def test_results_come_back_in_order():
    async def value(number: int) -> int:
        await asyncio.sleep(0.01 * (3 - number))
        return number

    assert await together(value(n) for n in range(3)) == [0, 1, 2]


async def test_the_first_failure_cancels_the_rest_and_is_raised_as_itself():
    cancelled: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append("slow")
            raise

    async def broken() -> None:
        await asyncio.sleep(0.01)
        raise LookupError("secret x: can't find the specified secret")

    with pytest.raises(LookupError, match="can't find the specified secret"):
        await asyncio.wait_for(together([slow(), broken()]), 5)
    assert cancelled == ["slow"]
