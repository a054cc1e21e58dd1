"""Fixtures of the browser tests: the native stack serving the app, and Chromium.

They run only when asked for (``pytest -m web``, ``make test-web``, which
builds the app first): Debian's Chromium, headless, driven by Playwright,
against the whole system as processes with the app at the gateway, as
``make run`` serves it. Screenshots go to ``WEB_ARTIFACTS`` (default
``.local/web-artifacts``), which CI keeps.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from tests.opt_in import deselect_unless_asked

from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_devstack.cognito import DEMO_PASSWORD, access_token, add_user
from bazaar_devstack.seed import seed_catalog
from bazaar_devstack.stack import Stack
from bazaar_devstack.web import built_app

# Long enough for a saga on a loaded 2-core machine; a page shows it live.
SETTLED_WITHIN_MS = 30_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "web: the browser app in Chromium against the native stack (pytest -m web)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.web)
            item.add_marker(pytest.mark.slow)
    deselect_unless_asked(config, items, "web")


@pytest.fixture(scope="session")
def artifacts(repository_root: Path) -> Path:
    folder = Path(os.environ.get("WEB_ARTIFACTS", repository_root / ".local" / "web-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
async def stack(
    postgres_admin_dsn: str,
    moto_server: MotoServer,
    repository_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    built_app(repository_root)  # refused with "run make web" before anything starts
    stack = Stack(
        root=repository_root,
        logs=tmp_path_factory.mktemp("web-logs"),
        admin_dsn=postgres_admin_dsn,
        moto_url=moto_server.url,
        serve_web=True,
    )
    async with stack.running():
        assert stack.identity is not None
        await add_user(stack.cognito_url, REGION, stack.identity, "ada", group="admins")
        admin = await access_token(stack.cognito_url, REGION, stack.identity, "ada")
        await seed_catalog(stack.gateway_url, admin)
        yield stack


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    # Debian's Chromium here; GitHub's Ubuntu runners have Google Chrome.
    found = (shutil.which(name) for name in ("chromium", "google-chrome"))
    executable = os.environ.get("WEB_BROWSER") or next((path for path in found if path), None)
    if executable is None:
        raise RuntimeError("no chromium on PATH: scripts/bootstrap.sh installs it")
    async with async_playwright() as playwright:
        # As root (CI) Chromium's sandbox cannot start; the pages are ours.
        launched = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


@pytest.fixture
async def context(browser: Browser, stack: Stack) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile per test: nothing signed in, an empty cart."""
    context = await browser.new_context(
        base_url=stack.gateway_url, viewport={"width": 1280, "height": 860}
    )
    context.set_default_timeout(15_000)
    yield context
    await context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
async def page(
    context: BrowserContext, request: pytest.FixtureRequest, artifacts: Path
) -> AsyncIterator[Page]:
    """A page whose console errors are kept; on failure, a screenshot and those errors."""
    page = await context.new_page()
    said: list[str] = []
    page.on("console", lambda message: said.append(f"console.{message.type}: {message.text}"))
    page.on("pageerror", lambda error: said.append(f"page error: {error}"))
    yield page
    if request.node.stash.get(_FAILED, False):
        failures = artifacts / "failures"
        failures.mkdir(exist_ok=True)
        await page.screenshot(path=failures / f"{request.node.name}.png", full_page=True)
        print(f"\n{request.node.name} at {page.url}; the browser said:\n" + "\n".join(said))


@pytest.fixture
async def customer(stack: Stack) -> str:
    """A new customer of the local pool (the demo password)."""
    assert stack.identity is not None
    name = f"web-{uuid4().hex[:8]}"
    await add_user(stack.cognito_url, REGION, stack.identity, name)
    return name


async def sign_in(page: Page, name: str, *, then: str = "/") -> None:
    """Through the app's sign-in page, as a person does."""
    await page.goto(f"/signin?next={then}")
    await page.get_by_label("User name").fill(name)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_text(f"Signed in as {name}").wait_for()
