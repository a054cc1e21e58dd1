"""Split a relay batch by destination: all to the bus, point-to-point ones also to a queue.

The bus stays the record of every message (audit's rule, the archive); a
type with a point-to-point receiver additionally goes straight to that
receiver's queue, whose rule leaves the type out (``topology``, ADR 0017).
The destinations are called concurrently and their answers merged back in
the batch's order: an envelope counts as published only when every
destination it goes to accepted it. If one refused it, the relay sends the
row again to all of them; the one that had accepted it delivers it twice,
which consumers absorb, as they deduplicate on the envelope id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.publisher import EventPublisher


class RoutingPublisher:
    def __init__(self, bus: EventPublisher, point_to_point: Mapping[str, EventPublisher]) -> None:
        """``point_to_point``: type -> the sender to its receiver's queue."""
        self._bus = bus
        self._point_to_point = dict(point_to_point)

    async def publish(self, envelopes: Sequence[Envelope]) -> list[str | None]:
        # Destination -> the batch positions it carries, in the batch's order.
        routes: dict[int, tuple[EventPublisher, list[int]]] = {
            id(self._bus): (self._bus, list(range(len(envelopes))))
        }
        for position, envelope in enumerate(envelopes):
            sender = self._point_to_point.get(envelope.type)
            if sender is not None:
                routes.setdefault(id(sender), (sender, []))[1].append(position)
        calls = [
            self._answers(sender, [envelopes[position] for position in positions])
            for sender, positions in routes.values()
        ]
        results: list[str | None] = [None] * len(envelopes)
        for (_, positions), answers in zip(
            routes.values(), await asyncio.gather(*calls), strict=True
        ):
            for position, answer in zip(positions, answers, strict=True):
                if answer is not None and results[position] is None:
                    results[position] = answer
        return results

    @staticmethod
    async def _answers(sender: EventPublisher, envelopes: list[Envelope]) -> list[str | None]:
        answers = await sender.publish(envelopes)
        if len(answers) != len(envelopes):
            # The relay rolls back and marks nothing when the count is off;
            # failing here keeps the other destination's answers from hiding it.
            raise RuntimeError(f"publisher answered {len(answers)} of {len(envelopes)}")
        return answers
