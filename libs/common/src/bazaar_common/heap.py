"""Keep the garbage collector's full passes off the request path.

A service imports SQLAlchemy, pydantic, FastAPI, OpenTelemetry and botocore
and builds its app: some 160,000 objects the cyclic collector tracks and
that live as long as the process. Each full (generation 2) collection walks
all of them, a pause of 100 ms and more in the middle of whichever requests
are running: measured under load, a dozen such passes in 90 s of a
service's life, the tail of its latency. Frozen once the app has started,
they are left out of every later collection, which then walks only what
requests made.
"""

from __future__ import annotations

import gc

_freeze_after_start = True


def keep_startup_objects_collectable() -> None:
    """For a process that builds many apps one after another (the pytest plugin).

    Freezing there would keep each app's cyclic garbage for the rest of the run.
    """
    global _freeze_after_start
    _freeze_after_start = False


def freeze_startup_objects() -> None:
    """Collect what starting made and left, then freeze the rest (called once the app started)."""
    if not _freeze_after_start:
        return
    gc.collect()
    gc.freeze()
