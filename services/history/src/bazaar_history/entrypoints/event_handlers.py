"""The events history consumes, one handler for all: each is merged into its order's row.

Each runs in the consumer's open unit of work, with the message's inbox
row; an exception rolls both back and the message comes back to be retried.
A rebuild from the archive (``bazaar_history.rebuild``) runs these same
handlers, through the same handling.
"""

from __future__ import annotations

from collections.abc import Mapping

from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import Handler
from bazaar_history.domain.facts import CONSUMED, HistoryEvent, fact_of
from bazaar_history.service_layer import projection
from bazaar_history.service_layer.unit_of_work import HistoryUnitOfWork


async def merge_into_history(
    event: HistoryEvent, envelope: Envelope, uow: HistoryUnitOfWork
) -> None:
    # The envelope's time, never the clock: a rebuild must write the same row.
    await projection.merge_fact(uow, fact_of(event, envelope.time))


HANDLERS: Mapping[type[Event], Handler[HistoryUnitOfWork]] = dict.fromkeys(
    CONSUMED, merge_into_history
)
