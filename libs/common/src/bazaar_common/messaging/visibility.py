"""How long a received message stays hidden from other receivers of its queue.

While a handler runs, a heartbeat extends the message's visibility so no
one else gets it; poison is made visible again soon, so it reaches the DLQ
quickly. A failed change is only logged: the message comes back at worst,
and the inbox makes that harmless.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bazaar_common.messaging.delivery import Delivery

logger = logging.getLogger("bazaar.messaging.consumer")


class MessageVisibility:
    """Visibility changes of one queue's messages.

    ``timeout_seconds`` is the visibility the consumer asked for at receive;
    the heartbeat renews it every third of it.
    """

    def __init__(
        self, sqs_client: Any, queue_url: str, *, timeout_seconds: int, poison_seconds: int
    ) -> None:
        self._sqs = sqs_client
        self._queue_url = queue_url
        self._timeout = timeout_seconds
        self._poison = poison_seconds

    @asynccontextmanager
    async def heartbeat(self, delivery: Delivery, fields: dict[str, Any]) -> AsyncIterator[None]:
        """Keep the message invisible while the block runs."""
        beating = asyncio.create_task(self._keep_invisible(delivery, fields))
        try:
            yield
        finally:
            beating.cancel()
            # wait() rather than await: the heartbeat's cancellation is not ours.
            await asyncio.wait({beating})

    async def return_soon(self, delivery: Delivery, fields: dict[str, Any]) -> None:
        # Each receive counts towards maxReceiveCount: the sooner it comes
        # back, the sooner SQS moves it to the DLQ.
        await self._set(delivery, self._poison, fields, bound=10.0, purpose="return poison")

    async def _keep_invisible(self, delivery: Delivery, fields: dict[str, Any]) -> None:
        period = self._timeout / 3
        while True:
            await asyncio.sleep(period)
            # A failed beat is only logged: the next may succeed, and if none
            # does the message is delivered again, which the inbox makes harmless.
            await self._set(delivery, self._timeout, fields, bound=period, purpose="extend")

    async def _set(
        self,
        delivery: Delivery,
        seconds: int,
        fields: dict[str, Any],
        *,
        bound: float,
        purpose: str,
    ) -> None:
        try:
            async with asyncio.timeout(bound):
                await self._sqs.change_message_visibility(
                    QueueUrl=self._queue_url,
                    ReceiptHandle=delivery.receipt_handle,
                    VisibilityTimeout=seconds,
                )
        except Exception as error:
            logger.warning(
                "could not change a message's visibility",
                extra={**fields, "purpose": purpose, "error": f"{type(error).__name__}: {error}"},
            )
