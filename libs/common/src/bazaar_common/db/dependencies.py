"""What routes get injected from the database side of the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from bazaar_common.db.read_pool import ReadPool


async def read_pool(request: Request) -> ReadPool:
    """The app's asyncpg pool for hot reads (made in ``create_service_app``'s lifespan).

    ``async`` although it awaits nothing: FastAPI runs a plain function in a
    worker thread, which costs far more than the coroutine.
    """
    pool: ReadPool = request.app.state.read_pool
    return pool


ReadPoolDep = Annotated[ReadPool, Depends(read_pool)]
