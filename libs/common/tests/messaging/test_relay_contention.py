"""Several relays on one outbox: each row goes out once."""

from __future__ import annotations

import asyncio
from collections import Counter

from bazaar_common.messaging.envelope import Envelope


class Recording:
    """Records every envelope it is asked to publish; the pause widens the race."""

    def __init__(self, inner):
        self.inner = inner
        self.seen = []

    async def publish(self, envelopes):
        self.seen.extend(envelope.id for envelope in envelopes)
        await asyncio.sleep(0.005)
        return await self.inner.publish(envelopes)


async def test_two_relays_publish_each_row_exactly_once(
    bus, publisher, relays, write_notes, receive_all, outbox_rows, wait_until
):
    envelopes = await write_notes(200)
    first, second = Recording(publisher), Recording(publisher)
    relays.start(relays.make(first, name="first"))
    relays.start(relays.make(second, name="second"))

    async def all_published():
        return all(row["published_at"] is not None for row in await outbox_rows())

    await wait_until(all_published, within=30, interval=0.05)

    expected = Counter(envelope.id for envelope in envelopes)
    assert Counter(first.seen + second.seen) == expected
    assert first.seen, "both relays took part"
    assert second.seen, "both relays took part"
    assert {row["attempts"] for row in await outbox_rows()} == {0}
    bodies = await receive_all(bus.queues["alpha"])
    assert Counter(Envelope.model_validate(body["detail"]).id for body in bodies) == expected
