"""The browser app at the gateway: routes first, the app at every other path, as CloudFront."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bazaar_devstack.gateway.settings import Target
from bazaar_devstack.gateway.web_app import LOCAL_COGNITO_PATH, SIGN_IN_TARGET, WebApp

from .conftest import StartGateway
from .targets import EchoTarget

CONFIG = {"auth": {"kind": "local-password", "endpoint": LOCAL_COGNITO_PATH, "clientId": "abc"}}


@pytest.fixture
def built() -> Iterator[Path]:
    """A build as Vite lays it out, where anyone may read it: as root, nginx's
    workers run as nobody (pytest's tmp_path is private)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        root.chmod(0o755)
        (root / "assets").mkdir(mode=0o755)
        (root / "index.html").write_text("<!doctype html><title>app</title>")
        (root / "assets" / "index-abc123.js").write_text("console.log('app')")
        yield root


@pytest.fixture
async def cognito() -> AsyncIterator[EchoTarget]:
    """Stands for moto: echoes what the gateway passed on."""
    target = await EchoTarget("cognito").start()
    yield target
    await target.stop()


@pytest.fixture
async def gateway_url(
    start_gateway: StartGateway, inventory: EchoTarget, cognito: EchoTarget, built: Path
) -> str:
    app = WebApp(built, CONFIG, Target.parse(cognito.url))
    gateway = await start_gateway({"inventory": inventory.url}, web=app)
    return f"http://127.0.0.1:{gateway.settings.port}"


async def test_a_route_still_reaches_its_service(gateway_url: str, client: httpx.AsyncClient):
    answer = await client.get(f"{gateway_url}/inventory/products")
    assert answer.json()["service"] == "inventory"


async def test_any_other_path_is_the_app_never_cached(gateway_url: str, client: httpx.AsyncClient):
    for path in ("/", "/my/orders/123", "/console/catalog"):
        answer = await client.get(gateway_url + path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith("text/html")
        assert "<title>app</title>" in answer.text
        assert answer.headers["cache-control"] == "no-cache"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"


async def test_assets_are_cached_for_a_year_with_their_type(
    gateway_url: str, client: httpx.AsyncClient
):
    answer = await client.get(f"{gateway_url}/assets/index-abc123.js")
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    missing = await client.get(f"{gateway_url}/assets/gone-000.js")
    assert missing.status_code == 404  # an old page's asset is not answered with index.html


async def test_the_config_is_answered_as_given(gateway_url: str, client: httpx.AsyncClient):
    answer = await client.get(f"{gateway_url}/config.json")
    assert answer.json() == CONFIG
    assert answer.headers["cache-control"] == "no-cache"


async def test_only_the_sign_in_call_passes_to_the_local_cognito(
    gateway_url: str, client: httpx.AsyncClient, cognito: EchoTarget
):
    url = gateway_url + LOCAL_COGNITO_PATH
    passed = await client.post(url, headers={"X-Amz-Target": SIGN_IN_TARGET}, content=b"{}")
    assert passed.json()["path_qs"] == "/"
    assert passed.json()["headers"]["x-amz-target"] == SIGN_IN_TARGET

    admin_call = "AWSCognitoIdentityProviderService.AdminCreateUser"
    for method, target in (
        ("POST", admin_call),
        ("POST", "AmazonSQS.ListQueues"),
        ("GET", SIGN_IN_TARGET),
    ):
        answer = await client.request(method, url, headers={"X-Amz-Target": target})
        assert answer.status_code == 403
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 403


def test_an_unbuilt_app_is_refused_with_the_command(tmp_path: Path):
    with pytest.raises(ValueError, match="make web"):
        WebApp(tmp_path, CONFIG)
