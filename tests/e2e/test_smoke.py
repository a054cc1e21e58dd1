"""deploy.yml's smoke test, run for real against the whole system behind the gateway.

What gates a release in AWS (through the ALB) is proven here first: it
passes on a healthy system and fails, naming the service, when one is down.
"""

from __future__ import annotations

import asyncio

import pytest

from bazaar_delivery import smoke


async def test_the_smoke_test_passes_on_the_running_system(shop) -> None:
    stack = shop.stack
    lines = await asyncio.to_thread(
        smoke.run, stack.gateway_url, list(stack.entries.values()), within=30
    )
    assert len(lines) == len(smoke.checks(list(stack.entries.values())))


async def test_the_smoke_test_fails_and_names_a_service_that_is_down(shop) -> None:
    stack = shop.stack
    await asyncio.to_thread(stack.stop, "payments")
    try:
        await asyncio.to_thread(stack.wait_unrouted, "payments")
        with pytest.raises(smoke.SmokeFailed) as failure:
            await asyncio.to_thread(
                smoke.run, stack.gateway_url, list(stack.entries.values()), within=2
            )
        failed = [line for line in str(failure.value).splitlines() if line.startswith("FAIL")]
        assert len(failed) == 1, failure.value
        assert failed[0].startswith("FAIL payments is routed (/payments/openapi.json): status 503")
    finally:
        await asyncio.to_thread(stack.start, "payments")  # waits until routed again
