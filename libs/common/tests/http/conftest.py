import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from bazaar_common.app import install_http_runtime
from bazaar_common.errors import Conflict, ServiceUnavailable
from bazaar_common.validation import RequestModel

BODY_LIMIT = 2_048


class Widget(RequestModel):
    name: str
    quantity: int


class Echo(BaseModel):
    name: str
    quantity: int


class WidgetTaken(Conflict):
    code = "widget-taken"
    title = "Widget taken"


def build_app() -> FastAPI:
    app = FastAPI()
    install_http_runtime(app, max_body_bytes=BODY_LIMIT, access_log=True)

    @app.post("/widgets")
    async def create(widget: Widget) -> Echo:
        return Echo(name=widget.name, quantity=widget.quantity)

    @app.get("/widgets/{widget_id}")
    async def read(widget_id: str) -> Echo:
        return Echo(name=widget_id, quantity=1)

    @app.get("/taken")
    async def taken() -> None:
        raise WidgetTaken("Widget 7 is taken.", widget=7)

    @app.get("/busy")
    async def busy() -> None:
        raise ServiceUnavailable("Try later.", retry_after_seconds=3)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    return app


@pytest.fixture
def body_limit() -> int:
    return BODY_LIMIT


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
