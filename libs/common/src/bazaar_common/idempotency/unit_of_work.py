"""What a unit of work offers the idempotency helpers: its keys, its transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from bazaar_common.idempotency.repository import IdempotencyRepository


class KeyedUnitOfWork(Protocol):
    """A ``SqlUnitOfWork`` that binds an ``IdempotencyRepository`` as ``idempotency``."""

    idempotency: IdempotencyRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...
