"""The publisher a service's relay sends through: the bus, plus its point-to-point queues.

Which of the service's types go point to point, and to whom, comes from the
catalog through ``POINT_TO_POINT_RECEIVERS`` (Terraform and the local stacks
render it; a service reads only its own catalog entry). The receivers'
queue URLs are looked up once, here, at start: a missing queue stops the
service with its name instead of failing every batch later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from bazaar_common.messaging.publisher import EventBridgePublisher, EventPublisher
from bazaar_common.messaging.routing_publisher import RoutingPublisher
from bazaar_common.messaging.sqs_sender import SqsSender
from bazaar_common.messaging.topology import bus_name, queue_name

logger = logging.getLogger("bazaar.messaging")


async def relay_publisher(
    events_client: Any,
    sqs_client: Any,
    *,
    prefix: str,
    published: Iterable[str],
    point_to_point_receivers: Mapping[str, str],
) -> EventPublisher:
    bus = EventBridgePublisher(events_client, bus_name=bus_name(prefix))
    published = set(published)
    routes = {name: to for name, to in point_to_point_receivers.items() if name in published}
    if not routes:
        return bus
    senders = {}
    for receiver in sorted(set(routes.values())):
        name = queue_name(prefix, receiver)
        try:
            url = (await sqs_client.get_queue_url(QueueName=name))["QueueUrl"]
        except Exception as error:
            raise RuntimeError(
                f"queue {name} of point-to-point receiver {receiver} not found: {error}"
            ) from error
        senders[receiver] = SqsSender(sqs_client, url)
    logger.info("point-to-point routes", extra={"routes": dict(sorted(routes.items()))})
    return RoutingPublisher(bus, {name: senders[to] for name, to in routes.items()})
