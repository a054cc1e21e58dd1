"""The baseline every ratio divides by: FastAPI returning a small JSON, nothing else.

Served exactly as the services are (``bazaar_common.server.uvicorn_options``:
one worker, no access log, the same proxy settings), so a ratio measures
what the service adds, not a different server.

    PORT=8099 python -m bazaar_bench.bare
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from bazaar_common.server import ServerSettings, uvicorn_options
from bazaar_common.settings import load_settings

PATH = "/bare"


def create_app() -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get(PATH)
    async def bare() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app


def main() -> None:
    server = load_settings(ServerSettings)
    uvicorn.run("bazaar_bench.bare:create_app", factory=True, **uvicorn_options(server, 8099))


if __name__ == "__main__":
    main()
