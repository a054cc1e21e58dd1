"""How many messages wait in a service's own queue and its dead-letter queue.

What an operator looks at first when events seem slow or lost; read with
the task role's GetQueueAttributes on its own two queues, which the
consumer already has. Approximate, as SQS counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

ATTRIBUTES = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
]


class QueueDepth(BaseModel):
    name: str
    waiting: int
    """Visible: received by no one yet."""
    in_flight: int
    """Received and not yet deleted (being handled, or lost with a consumer)."""
    delayed: int


class MessagingStatus(BaseModel):
    queue: QueueDepth
    dead_letters: QueueDepth


@dataclass(frozen=True)
class QueueStatus:
    sqs: Any
    queue_name: str
    queue_url: str
    dlq_name: str
    dlq_url: str

    async def read(self) -> MessagingStatus:
        return MessagingStatus(
            queue=await self._depth(self.queue_name, self.queue_url),
            dead_letters=await self._depth(self.dlq_name, self.dlq_url),
        )

    async def _depth(self, name: str, url: str) -> QueueDepth:
        answer = await self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=ATTRIBUTES)
        counts = answer["Attributes"]
        return QueueDepth(
            name=name,
            waiting=int(counts["ApproximateNumberOfMessages"]),
            in_flight=int(counts["ApproximateNumberOfMessagesNotVisible"]),
            delayed=int(counts["ApproximateNumberOfMessagesDelayed"]),
        )
