"""The app's sign-in as in AWS: the hosted UI's authorization code flow with PKCE.

The app is served by a second gateway over the same services, with the
config Terraform writes in AWS (``cognito-hosted-ui``), its authority a
stand-in for the hosted UI (``authorization_server``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from tests.web.authorization_server import AuthorizationServer

from bazaar_common.testing.moto import REGION
from bazaar_common.testing.ports import free_port
from bazaar_devstack.cognito import access_token
from bazaar_devstack.stack import Stack
from bazaar_devstack.web import built_app

CLIENT_ID = "browser-client"
REDIRECT_PATH = "/auth/callback"


@pytest.fixture
def app_port() -> int:
    return free_port()


@pytest.fixture
async def hosted_ui(
    stack: Stack, customer: str, app_port: int
) -> AsyncIterator[AuthorizationServer]:
    assert stack.identity is not None
    origin = f"http://127.0.0.1:{app_port}"
    server = AuthorizationServer(
        client_id=CLIENT_ID,
        redirect_uri=origin + REDIRECT_PATH,
        access_token=await access_token(stack.cognito_url, REGION, stack.identity, customer),
        app_origin=origin,
    )
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def app_url(
    stack: Stack, hosted_ui: AuthorizationServer, app_port: int, tmp_path: Path
) -> Iterator[str]:
    """A gateway serving the app with the hosted UI's config, as CloudFront in AWS."""
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "auth": {
                    "kind": "cognito-hosted-ui",
                    "authority": hosted_ui.url,
                    "clientId": CLIENT_ID,
                    "redirectPath": REDIRECT_PATH,
                    "scopes": ["openid", "email", "profile"],
                }
            }
        )
    )
    targets = [
        f"--target={name}={process.url}"
        for name in stack.services
        for process in stack.instances(name)
    ]
    gateway = subprocess.Popen(
        [
            sys.executable, "-m", "bazaar_devstack.gateway", f"--port={app_port}",
            f"--root={stack.root}", f"--run-dir={tmp_path / 'gateway'}",
            "--health-interval=0.5", "--health-timeout=0.5",
            f"--web-root={built_app(stack.root)}", f"--web-config={config}", *targets,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{app_port}"
    try:
        wait_for(f"{url}/history/openapi.json")
        yield url
    finally:
        gateway.terminate()
        gateway.wait(timeout=15)


def wait_for(url: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} never answered 200")


async def test_a_customer_signs_in_through_the_hosted_ui_and_out_again(
    page: Page, app_url: str, hosted_ui: AuthorizationServer, customer: str
):
    await page.goto(f"{app_url}/signin?next=/my/orders")

    await expect(page.get_by_text(f"Signed in as {customer}")).to_be_visible()
    await expect(page).to_have_url(f"{app_url}/my/orders")
    await expect(page.get_by_role("heading", name="Your orders")).to_be_visible()  # the API took it
    assert hosted_ui.tokens_given == 1
    assert hosted_ui.refused == []

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert hosted_ui.logouts == [CLIENT_ID]  # the hosted UI's session ends too
    await expect(page).to_have_url(f"{app_url}/")


async def test_a_callback_not_started_here_or_used_twice_signs_no_one_in(
    page: Page, app_url: str, hosted_ui: AuthorizationServer
):
    await page.goto(f"{app_url}/auth/callback?code=stolen&state=guessed")

    await expect(page.get_by_role("alert")).to_contain_text("not started here")
    await expect(page.get_by_text("Signed in as")).to_have_count(0)
    assert hosted_ui.tokens_given == 0
