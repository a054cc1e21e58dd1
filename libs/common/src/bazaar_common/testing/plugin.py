"""Pytest fixtures every service's tests use: a real Postgres, real tokens, the service kit.

A service's conftest declares ``service_under_test`` (a ``ServiceUnderTest``,
see ``service_kit``); its database, settings, app, units of work and
``deliver`` follow from it here.

Postgres: ``DATABASE_URL`` names a server to use when set (a superuser, since
each service gets a fresh database); otherwise a private server is started for
the session from the PostgreSQL binaries on this machine.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiobotocore.session import get_session
from fastapi import FastAPI
from sqlalchemy import MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bazaar_common.archive.bucket import ensure_archive_bucket
from bazaar_common.archive.store import ArchiveStore
from bazaar_common.heap import keep_startup_objects_collectable
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.handling import EventHandling
from bazaar_common.settings import ServiceSettings
from bazaar_common.testing.app_client import RunningApps, truncate_tables
from bazaar_common.testing.database import (
    FreshDatabase,
    MakeFreshDatabase,
    database_name,
    engine_with_tables,
    plain_dsn,
)
from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoClients, MotoServer
from bazaar_common.testing.postgres import PostgresServer, recreate_database
from bazaar_common.testing.problems import expect_problem as check_problem
from bazaar_common.testing.service_kit import Deliver, NewUow, ServiceUnderTest
from bazaar_common.testing.settings import make_test_settings
from bazaar_common.testing.tokens import JwksServer, TokenIssuer


def pytest_configure(config: pytest.Config) -> None:
    # A test process starts app after app: none may freeze its heap (heap.py).
    keep_startup_objects_collectable()


@pytest.fixture(scope="session")
def postgres_admin_dsn() -> Iterator[str]:
    """A DSN (asyncpg form) for a superuser on the server the tests use."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield plain_dsn(configured)
        return
    server = PostgresServer()
    server.initialise()
    server.start()
    try:
        yield server.admin_dsn
    finally:
        server.stop()
        server.remove()


@pytest.fixture(scope="session")
def create_test_database(postgres_admin_dsn: str) -> Callable[[str], Awaitable[str]]:
    """Makes an empty database and returns its SQLAlchemy asyncpg URL.

    Under pytest-xdist the name carries the worker's id: processes that share
    a server (``DATABASE_URL``) must not recreate each other's databases.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")

    async def create(name: str) -> str:
        if worker:
            name = f"{name}_{worker}"
        await recreate_database(postgres_admin_dsn, name)
        url = make_url(postgres_admin_dsn).set(drivername="postgresql+asyncpg", database=name)
        return url.render_as_string(hide_password=False)

    return create


@pytest.fixture
async def fresh_database(
    create_test_database: Callable[[str], Awaitable[str]], request: pytest.FixtureRequest
) -> AsyncIterator[MakeFreshDatabase]:
    """Makes a database named after the test, with a metadata's tables; engines close after.

    ``await fresh_database(metadata, prefix="orders", pool_size=10)``: the other
    keywords go to ``create_async_engine``.
    """
    engines: list[AsyncEngine] = []

    async def make(metadata: MetaData, *, prefix: str, **engine_options: Any) -> FreshDatabase:
        url = await create_test_database(database_name(prefix, request.node.name))
        engine = await engine_with_tables(url, metadata, **engine_options)
        engines.append(engine)
        return FreshDatabase(url, engine)

    yield make
    for engine in engines:
        await engine.dispose()


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[JwksServer]:
    """A JWKS endpoint on loopback; tests that change its keys use their own."""
    server = JwksServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def token_issuer(jwks_server: JwksServer) -> TokenIssuer:
    return jwks_server.issuer


@pytest.fixture(scope="session")
def admin(token_issuer: TokenIssuer) -> dict[str, str]:
    """Headers of a request by an admin (``ada``); a service's conftest may override it."""
    return {"Authorization": f"Bearer {token_issuer.admin_token()}"}


@pytest.fixture(scope="session")
def customer(token_issuer: TokenIssuer) -> dict[str, str]:
    """Headers of a request by a customer (``alice``)."""
    return {"Authorization": f"Bearer {token_issuer.customer_token()}"}


# --- the service under test (declared by the service's conftest) -----------
#
# pytest caches a session-scoped fixture once per session, whichever conftest's
# ``service_under_test`` it was first made from: a run over several services
# would hand every service the first one's app. So what follows from the
# declaration is function-scoped, and made once per service (``PerService``).


class PerService:
    """The session's database URL, settings and app of each service, by name."""

    def __init__(self) -> None:
        self.database_urls: dict[str, str] = {}
        self.settings: dict[str, ServiceSettings] = {}
        self.apps: dict[str, FastAPI] = {}


@pytest.fixture(scope="session")
def per_service() -> PerService:
    return PerService()


@pytest.fixture
async def database_url(
    service_under_test: ServiceUnderTest[Any],
    create_test_database: Callable[[str], Awaitable[str]],
    per_service: PerService,
) -> str:
    """The session's database of the service, created empty (the app migrates it)."""
    name = service_under_test.name
    if name not in per_service.database_urls:
        per_service.database_urls[name] = await create_test_database(f"{name}_test")
    return per_service.database_urls[name]


@pytest.fixture
def settings_for(
    service_under_test: ServiceUnderTest[Any], database_url: str, jwks_server: JwksServer
) -> Callable[..., ServiceSettings]:
    """``settings_for(**overrides)``: the service's test settings, with these changed too."""

    def make(**overrides: object) -> ServiceSettings:
        settings: ServiceSettings = make_test_settings(
            service_under_test.settings_class,
            database_url,
            jwks_server,
            **{**service_under_test.settings_overrides, **overrides},
        )
        return settings

    return make


@pytest.fixture
def settings(
    service_under_test: ServiceUnderTest[Any],
    settings_for: Callable[..., ServiceSettings],
    per_service: PerService,
) -> ServiceSettings:
    name = service_under_test.name
    if name not in per_service.settings:
        per_service.settings[name] = settings_for()
    return per_service.settings[name]


@pytest.fixture
def service_app(
    service_under_test: ServiceUnderTest[Any], settings: ServiceSettings, per_service: PerService
) -> FastAPI:
    """The app the plugin's ``app_and_client``, ``app`` and ``client`` run."""
    name = service_under_test.name
    if name not in per_service.apps:
        per_service.apps[name] = service_under_test.create_app(settings)
    return per_service.apps[name]


@pytest.fixture
def service_tables(service_under_test: ServiceUnderTest[Any]) -> MetaData:
    return service_under_test.metadata


@pytest.fixture
def new_uow(
    service_under_test: ServiceUnderTest[Any], app: FastAPI, settings: ServiceSettings
) -> NewUow:
    """Units of work of the service on the session app's engine, made as its consumer's are."""
    messaging = service_under_test.require_messaging()
    return messaging.unit_of_work.factory(app.state.engine, settings)


@pytest.fixture
def deliver(service_under_test: ServiceUnderTest[Any], new_uow: NewUow) -> Deliver:
    """``await deliver(event_or_envelope, source=None, envelope=None, uow_factory=None)``.

    Runs the consumer's own handling (``messaging.handling``) on the SQS body
    EventBridge would write, in units of work from ``new_uow`` (so a conftest
    that overrides ``new_uow`` delivers through it). ``deliver.handled(envelope)``
    says whether the handler ran (False: the inbox had it).
    """
    messaging = service_under_test.require_messaging()
    handling = EventHandling.of(
        service_under_test.name, new_uow, messaging.tables.inbox, messaging.handlers
    )
    return Deliver(handling, default_source=service_under_test.default_source)


# --- the app, running -----------------------------------------------------------

AppAndClient = tuple[FastAPI, httpx.AsyncClient]


@pytest.fixture(scope="session")
async def running_service_apps() -> AsyncIterator[RunningApps]:
    """Every service app the session started, each running until the session ends."""
    async with RunningApps() as running:
        yield running


@pytest.fixture
async def app_and_client(service_app: FastAPI, running_service_apps: RunningApps) -> AppAndClient:
    """A service's app running (lifespan and all) for the whole session, and its client.

    ``service_app`` and ``service_tables`` come from the service's
    ``service_under_test`` (or its conftest's own); its tests then use ``app``
    and ``client``.
    Not session-scoped itself: pytest would cache one value for every service's
    tests of the session, whatever their ``service_app``; the app starts once anyway.
    """
    return service_app, await running_service_apps.client_of(service_app)


@pytest.fixture
async def app(app_and_client: AppAndClient, service_tables: MetaData) -> FastAPI:
    """The session's app, with every table of the service emptied first."""
    app, _ = app_and_client
    await truncate_tables(app.state.engine, service_tables)
    return app


@pytest.fixture
async def client(app: FastAPI, app_and_client: AppAndClient) -> httpx.AsyncClient:
    """The app's client; through ``app``, each test starts on empty tables."""
    return app_and_client[1]


@pytest.fixture(scope="session")
def expect_problem() -> Callable[..., dict[str, Any]]:
    """``expect_problem(response, status, code=None)``: the checked RFC 9457 problem body."""
    return check_problem


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """A moto server for the session; tests give their resources unique names."""
    saved = {name: os.environ.get(name) for name in FAKE_CREDENTIALS}
    os.environ.update(FAKE_CREDENTIALS)
    server = MotoServer().start()
    yield server
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
async def moto_aws(moto_server: MotoServer) -> AsyncIterator[MotoClients]:
    """``.events`` and ``.sqs`` aiobotocore clients on the session's moto server."""
    session = get_session()
    options = {"region_name": REGION, "endpoint_url": moto_server.url, "config": CLIENT_CONFIG}
    async with (
        session.create_client("events", **options) as events,
        session.create_client("sqs", **options) as sqs,
    ):
        yield MotoClients(events, sqs)


@pytest.fixture(scope="session")
async def moto_s3(moto_server: MotoServer) -> AsyncIterator[Any]:
    """An aiobotocore S3 client on the session's moto server."""
    options = {"region_name": REGION, "endpoint_url": moto_server.url, "config": CLIENT_CONFIG}
    async with get_session().create_client("s3", **options) as s3:
        yield s3


@pytest.fixture
async def archive_store(moto_s3: Any) -> ArchiveStore:
    """An event archive in a bucket of its own, made as the local bootstrap makes it."""
    bucket = f"archive-{uuid4().hex[:20]}"
    await ensure_archive_bucket(moto_s3, bucket, REGION)
    return ArchiveStore(moto_s3, bucket)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need the moto server start a process: they count as slow."""
    for item in items:
        if "moto_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
