"""Who in this process hears at once that a unit of work changed products.

The catalog cache learns of other processes' writes through Postgres
(NOTIFY on ``CHANNEL``, sent by a trigger at commit), milliseconds later. A
write made in this process must not wait for that: a client that changes a
price and reads it back through the same task would see the old one. So the
unit of work hands the skus it wrote to the subscribers of its engine right
after its commit. Keyed by engine: two apps in one process (as tests run
them) are two services that only hear each other through Postgres.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

CHANNEL = "inventory_catalog"
"""The channel migration 0003's trigger NOTIFYs: payload a sku, or empty for everything."""

Subscriber = Callable[[Collection[str]], None]

_subscribers: WeakKeyDictionary[Engine, list[Subscriber]] = WeakKeyDictionary()


def subscribe(engine: AsyncEngine, subscriber: Subscriber) -> Callable[[], None]:
    """Call ``subscriber(skus)`` after each commit on ``engine`` that wrote products.

    Returns what undoes it.
    """
    subscribers = _subscribers.setdefault(engine.sync_engine, [])
    subscribers.append(subscriber)
    return lambda: subscribers.remove(subscriber)


def committed(engine: AsyncEngine, skus: Collection[str]) -> None:
    for subscriber in list(_subscribers.get(engine.sync_engine, ())):
        subscriber(skus)
