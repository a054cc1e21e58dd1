"""Run many awaitables at once and see how each one ended."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


async def settle(awaitables: Iterable[Awaitable[T]]) -> list[T | BaseException]:
    """Await every one, even when some fail, so no request outlives the test."""
    return await asyncio.gather(*awaitables, return_exceptions=True)


def successes(results: Sequence[T | BaseException]) -> list[T]:
    """The results, after asserting none of them is an exception."""
    failures = [result for result in results if isinstance(result, BaseException)]
    assert not failures, failures[:3]
    return [result for result in results if not isinstance(result, BaseException)]
