"""Keep the garbage collector's full passes off the request path.

A service imports SQLAlchemy, pydantic, FastAPI, OpenTelemetry and botocore
and builds its app: about a million objects the cyclic collector tracks and
that live as long as the process. Each full (generation 2) collection walks
all of them, a pause of tens of milliseconds in the middle of whichever
requests are running: the p99 of a loaded service. Frozen once the app has
started, they are left out of every later collection, which then walks only
what requests made.
"""

from __future__ import annotations

import gc

from bazaar_common.settings import Environment


def freeze_startup_objects(environment: Environment) -> None:
    """Collect what starting made and left, then freeze the rest (not in test processes).

    A test process builds many apps one after the other; freezing there
    would keep each one's cyclic garbage for the rest of the run.
    """
    if environment is Environment.TEST:
        return
    gc.collect()
    gc.freeze()
