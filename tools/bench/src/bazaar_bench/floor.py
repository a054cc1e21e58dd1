"""The floor of an order read: FastAPI and one raw asyncpg primary-key read, nothing else.

No token, no tracing, no access log, no SQLAlchemy, no pydantic model: the
least any ``GET /orders/{id}`` can cost on this server, so the real read's
ratio to it says how much of the gap to the bare app is the service's own
(auth, tracing, middleware, mapping) and how much is simply reading a row.
Served exactly as the services and the bare app are
(``bazaar_common.server.uvicorn_options``).

    FLOOR_DSN=postgresql://.../e2e_orders PORT=8098 python -m bazaar_bench.floor
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
import uvicorn
from fastapi import FastAPI, HTTPException

from bazaar_common.server import ServerSettings, uvicorn_options
from bazaar_common.settings import load_settings

PATH = "/floor/orders"
# The services' own pool size (DB_POOL_SIZE): the same number of connections.
POOL_SIZE = 10
ORDER_BY_ID = "SELECT * FROM orders WHERE id = $1"


def create_app() -> FastAPI:
    dsn = os.environ["FLOOR_DSN"]

    @asynccontextmanager
    async def pool(app: FastAPI) -> AsyncIterator[None]:
        async with asyncpg.create_pool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE) as opened:
            app.state.pool = opened
            yield

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=pool)

    @app.get(PATH + "/{order_id}")
    async def order(order_id: UUID) -> dict[str, Any]:
        row = await app.state.pool.fetchrow(ORDER_BY_ID, order_id)
        if row is None:
            raise HTTPException(404)
        return dict(row)

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app


def main() -> None:
    server = load_settings(ServerSettings)
    uvicorn.run("bazaar_bench.floor:create_app", factory=True, **uvicorn_options(server, 8098))


if __name__ == "__main__":
    main()
