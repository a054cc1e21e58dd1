"""Bazaar's own metrics, next to the per-route HTTP ones the FastAPI instrumentation gives.

Instruments come from the global meter provider, through the API's proxy:
created at import, they record nothing until ``configure_observability``
installs a real provider, and cost a no-op call until then.
"""

from __future__ import annotations

from typing import Literal

from opentelemetry import metrics

_meter = metrics.get_meter("bazaar")

ConsumerOutcome = Literal["acked", "duplicate", "failed", "poison"]

_outbox_lag = _meter.create_gauge(
    "bazaar.outbox.lag",
    unit="s",
    description="Age of the oldest unpublished outbox row, 0 when none (observed by the relay)",
)
_archive_lag = _meter.create_gauge(
    "bazaar.archive.lag",
    unit="s",
    description="Age of the oldest stored event not yet archived, 0 when none (the archive writer)",
)
_consumer_lag = _meter.create_histogram(
    "bazaar.consumer.lag",
    unit="s",
    description="Age of an event when its consumer takes it: now - envelope.time",
    explicit_bucket_boundaries_advisory=[0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
)
_consumer_messages = _meter.create_counter(
    "bazaar.consumer.messages",
    unit="{message}",
    description="Messages a consumer finished with, by outcome",
)
_saga_outcomes = _meter.create_counter(
    "bazaar.saga.outcomes",
    unit="{saga}",
    description="Sagas that ended, by outcome",
)
_saga_duration = _meter.create_histogram(
    "bazaar.saga.duration",
    unit="s",
    description="Time from a saga's start to its end, by outcome",
    explicit_bucket_boundaries_advisory=[0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
)


def record_outbox_lag(relay: str, lag_seconds: float) -> None:
    _outbox_lag.set(lag_seconds, {"relay": relay})


def record_archive_lag(lag_seconds: float) -> None:
    _archive_lag.set(max(0.0, lag_seconds))


def record_consumer_lag(consumer: str, event_type: str, lag_seconds: float) -> None:
    _consumer_lag.record(max(0.0, lag_seconds), {"consumer": consumer, "event_type": event_type})


def record_consumer_outcome(consumer: str, outcome: ConsumerOutcome, event_type: str = "") -> None:
    attributes = {"consumer": consumer, "outcome": outcome}
    if event_type:
        attributes["event_type"] = event_type
    _consumer_messages.add(1, attributes)


def record_saga_outcome(outcome: str, duration_seconds: float, *, saga: str = "order") -> None:
    """One saga ended: ``outcome`` is e.g. ``confirmed``, ``cancelled``, ``timed_out``.

    Keep outcomes to a few fixed words: each is a time series.
    """
    attributes = {"saga": saga, "outcome": outcome}
    _saga_outcomes.add(1, attributes)
    _saga_duration.record(max(0.0, duration_seconds), attributes)


CacheOutcome = Literal["hit", "miss", "bypass"]

_cache_lookups = _meter.create_counter(
    "bazaar.cache.lookups",
    unit="{lookup}",
    description="Reads a server-side cache answered (hit), loaded (miss) or stepped aside for",
)


def record_cache_lookup(cache: str, outcome: CacheOutcome) -> None:
    """One read through ``cache``: hits / (hits + misses) is its hit ratio."""
    _cache_lookups.add(1, {"cache": cache, "outcome": outcome})
