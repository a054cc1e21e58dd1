"""The background half of a service process: its outbox relay and its consumer.

Started and stopped by the app's lifespan. The relay runs in every service
that publishes; the consumer in every service whose catalog entry consumes.
On shutdown the consumer stops receiving and finishes what it holds first,
then the relay publishes what those handlers wrote, within the stop timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.catalog import ServiceEntry
from bazaar_common.db.dsn import asyncpg_dsn
from bazaar_common.db.unit_of_work import SqlUnitOfWork
from bazaar_common.messaging.aws import open_clients
from bazaar_common.messaging.consumer import QueueConsumer
from bazaar_common.messaging.dlq.dead_letters import dlq_depth
from bazaar_common.messaging.events import Event
from bazaar_common.messaging.handling import EventHandling, Handler
from bazaar_common.messaging.queue_status import QueueStatus
from bazaar_common.messaging.relay import OutboxRelay
from bazaar_common.messaging.relay_publisher import relay_publisher
from bazaar_common.messaging.tables import MessagingTables
from bazaar_common.messaging.topology import queue_spec
from bazaar_common.settings import Environment, ServiceSettings

logger = logging.getLogger("bazaar.messaging")
LOCAL_ENVIRONMENTS = (Environment.LOCAL, Environment.TEST)
DLQ_REPORT_SECONDS = 60.0


@dataclass(frozen=True)
class ServiceMessaging:
    """What a service declares about its events, in code.

    ``published`` and the keys of ``handlers`` must match the service's
    catalog entry; a test holds them together.
    """

    tables: MessagingTables
    unit_of_work: type[SqlUnitOfWork]
    """The service's unit of work; the consumer's are made by its ``factory``."""
    published: tuple[type[Event], ...] = ()
    handlers: Mapping[type[Event], Handler[Any]] = field(default_factory=dict)

    @property
    def consumed_types(self) -> frozenset[str]:
        return frozenset(event_class.event_type for event_class in self.handlers)

    @property
    def published_types(self) -> frozenset[str]:
        return frozenset(event_class.event_type for event_class in self.published)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@asynccontextmanager
async def running_messaging(
    entry: ServiceEntry, settings: ServiceSettings, engine: AsyncEngine, messaging: ServiceMessaging
) -> AsyncIterator[QueueStatus | None]:
    """The relay and the consumer while the app runs; yields its queues' status, if it consumes."""
    if messaging.consumed_types != set(entry.events.consumes):
        raise RuntimeError(
            f"{entry.name}: handlers for {sorted(messaging.consumed_types)} but the catalog "
            f"consumes {sorted(entry.events.consumes)}"
        )
    if settings.environment in LOCAL_ENVIRONMENTS and settings.aws_endpoint_url is None:
        # A laptop or a test run never talks to real AWS by accident.
        logger.warning(
            "no AWS_ENDPOINT_URL in %s: relay and consumer stay off", settings.environment
        )
        yield None
        return
    async with AsyncExitStack() as stack:
        events_client, sqs_client = await open_clients(settings, stack)
        tasks: list[tuple[str, Any, asyncio.Task[None]]] = []
        consumer = None
        status = None
        if settings.consumers_enabled and messaging.handlers:
            spec = queue_spec(entry, settings.resource_prefix)
            queue_url = (await sqs_client.get_queue_url(QueueName=spec.queue_name))["QueueUrl"]
            consumer = QueueConsumer(
                sqs_client,
                queue_url,
                handling=EventHandling.of(
                    entry.name,
                    messaging.unit_of_work.factory(engine, settings),
                    messaging.tables.inbox,
                    messaging.handlers,
                ),
                concurrency=settings.consumer_concurrency,
                wait_seconds=settings.consumer_wait_seconds,
                visibility_timeout_seconds=spec.visibility_timeout_seconds,
            )
            tasks.append(("consumer", consumer, asyncio.create_task(consumer.run())))
            dlq_url = (await sqs_client.get_queue_url(QueueName=spec.dlq_name))["QueueUrl"]
            status = QueueStatus(sqs_client, spec.queue_name, queue_url, spec.dlq_name, dlq_url)
            reporter = asyncio.create_task(
                _report_dlq_depth(sqs_client, dlq_url, spec.queue_name, DLQ_REPORT_SECONDS)
            )
            stack.push_async_callback(_cancel, reporter)
        relay = None
        if settings.relay_enabled and messaging.published:
            publisher = await relay_publisher(
                events_client,
                sqs_client,
                prefix=settings.resource_prefix,
                published=messaging.published_types,
                point_to_point_receivers=settings.point_to_point_receivers,
            )
            relay = OutboxRelay(
                engine,
                messaging.tables.outbox,
                publisher,
                listen_dsn=asyncpg_dsn(settings),
                poll_interval_seconds=settings.relay_poll_interval_seconds,
                retention=timedelta(hours=settings.outbox_retention_hours),
                name=f"{entry.name}-relay",
            )
            tasks.append(("relay", relay, asyncio.create_task(relay.run())))
        try:
            yield status
        finally:
            await _stop(tasks, settings.stop_timeout_seconds)


async def _stop(tasks: list[tuple[str, Any, asyncio.Task[None]]], within_seconds: float) -> None:
    """Stop every worker within one shared deadline, consumer first.

    What the consumer's last handlers write is then published by the relay.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_seconds
    for name, worker, task in sorted(tasks, key=lambda item: item[0] != "consumer"):
        remaining = max(0.1, deadline - loop.time())
        try:
            if name == "consumer":
                await worker.stop(remaining)
            else:
                await worker.stop()
            async with asyncio.timeout(max(0.1, deadline - loop.time())):
                await task
        except TimeoutError:
            logger.warning("%s did not stop in time; cancelled", name)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        except Exception:
            logger.exception("%s failed while stopping", name)


async def _report_dlq_depth(sqs: Any, dlq_url: str, queue: str, every_seconds: float) -> None:
    """A DLQ that fills up is the first sign of poison or a broken handler."""
    while True:
        try:
            depth = await dlq_depth(sqs, dlq_url)
        except Exception as error:  # an operability log must never stop the service
            logger.warning("dlq depth unavailable: %s", type(error).__name__)
        else:
            level = logging.WARNING if depth else logging.DEBUG
            logger.log(level, "dlq depth", extra={"queue": queue, "dlq_depth": depth})
        await asyncio.sleep(every_seconds)
