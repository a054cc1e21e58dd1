"""The relay reports the outbox lag as a metric, and its polling leaves no traces behind."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from uuid import uuid4

from sqlalchemy import MetaData, func

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.relay import OutboxRelay
from bazaar_common.messaging.tables import add_messaging_tables
from bazaar_common.observability import instrument_engine
from bazaar_common.testing.waiting import wait_until


class RefusingBus:
    """The bus is down: nothing is published, so the row only ages."""

    async def publish(self, envelopes: Sequence[Envelope]) -> list[str | None]:
        return ["Unavailable: the test's bus refuses everything"] * len(envelopes)


async def test_the_age_of_the_oldest_unpublished_row_is_a_gauge(observed, fresh_database):
    metadata = MetaData()
    tables = add_messaging_tables(metadata)
    database = await fresh_database(metadata, prefix="observability", pool_size=3)
    instrument_engine(database.engine, observed.telemetry)
    row_id = uuid4()
    async with database.engine.begin() as connection:
        await connection.execute(
            tables.outbox.insert().values(
                id=row_id,
                type="ParcelPacked",
                subject="p-1",
                envelope={},
                created_at=func.now() - func.make_interval(0, 0, 0, 0, 0, 0, 30),
            )
        )
    name = f"relay-{row_id.hex[:6]}"
    relay = OutboxRelay(
        database.engine,
        tables.outbox,
        RefusingBus(),
        listen_dsn=database.dsn,
        name=name,
        poll_interval_seconds=0.05,
        lag_interval_seconds=0.05,
    )

    def lag() -> float | None:
        points = [
            p for p in observed.metric_points("bazaar.outbox.lag") if p.attributes["relay"] == name
        ]
        return points[0].value if points else None

    running = asyncio.create_task(relay.run())
    try:
        await wait_until(lambda: lag() is not None)
    finally:
        await relay.stop()
        await asyncio.wait_for(running, 10)
    assert 30 <= (lag() or 0) < 60
    # Its queries ran outside any request or message: no trace of one span each.
    assert observed.spans() == []
