"""Every service answers as its OpenAPI document says, whatever it is sent.

Schemathesis generates requests, valid and invalid, for every operation of
every service in the catalog, and sends each one anonymously, as a customer
and as an admin, to the app running in-process on a real Postgres. A response
fails the contract if it is a 5xx, has a status or content type the operation
does not document, or a body outside the documented schema.

Nothing here names a service: a new one gets this test from its catalog entry,
its ``bazaar_<name>.main:create_app`` and the ``ServiceSettings`` subclass of
its ``bazaar_<name>.settings``. Settings a service cannot start without, the
URLs of the services it calls, point at a closed port: those calls fail, as
they may in production, and must be answered with a documented 503.
"""

from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import APIOperation, BaseSchema, Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.settings import ServiceSettings
from bazaar_common.testing.settings import make_test_settings
from bazaar_common.testing.tokens import JwksServer

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
SERVICES = discover(REPOSITORY_ROOT)
# Port 9 (discard) on loopback: nothing listens, so a call is refused at once.
UNREACHABLE_URL = "http://127.0.0.1:9"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A 503 is a client's cue to retry, not a failure, where the operation documents it
# (status_code_conformance holds it to that): here, orders when inventory is away.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"not_a_server_error": {"expected-statuses": ["2XX", "3XX", "4XX", "503"]}}}
)
# Bounded for a shared CI runner: about half a minute for the services on
# 2 cores. CONTRACT_FUZZ_EXAMPLES=200 makes a deeper run, still reproducible.
SETTINGS = settings(
    max_examples=int(os.environ.get("CONTRACT_FUZZ_EXAMPLES", "15")),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def settings_class_of(entry: ServiceEntry) -> type[ServiceSettings]:
    module = importlib.import_module(f"{entry.package}.settings")
    (found,) = (
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, ServiceSettings)
        and value.__module__ == module.__name__
    )
    return found


def unreachable_dependencies(settings_class: type[ServiceSettings]) -> dict[str, str]:
    """A closed port for each URL the service itself requires (the shared ones are given)."""
    return {
        name: UNREACHABLE_URL
        for name, field in settings_class.model_fields.items()
        if field.is_required()
        and name.endswith("_url")
        and name not in ServiceSettings.model_fields
    }


@pytest.fixture(scope="module", params=SERVICES, ids=[entry.name for entry in SERVICES])
async def service_api(
    request: pytest.FixtureRequest,
    create_test_database: Callable[[str], Awaitable[str]],
    jwks_server: JwksServer,
) -> AsyncIterator[BaseSchema]:
    """The service's OpenAPI document, bound to its app (started by schemathesis)."""
    entry: ServiceEntry = request.param
    settings_class = settings_class_of(entry)
    database_url = await create_test_database(f"{entry.database}_contract")
    app = importlib.import_module(f"{entry.package}.main").create_app(
        make_test_settings(
            settings_class,
            database_url,
            jwks_server,
            **unreachable_dependencies(settings_class),
        )
    )
    yield schemathesis.openapi.from_asgi(
        f"{entry.route.path_prefix}/openapi.json", app, config=CONFIG
    )
    # The app runs in schemathesis's own event loop until its lifespan is shut down.
    shutdown_lifespans()


@pytest.fixture(scope="session")
def callers(customer: dict[str, str], admin: dict[str, str]) -> list[dict[str, str]]:
    return [{}, customer, admin]


def test_every_operation_answers_as_documented(
    service_api: BaseSchema, callers: list[dict[str, str]]
) -> None:
    failures = [
        f"{operation.label}: {failure}"
        for operation in operations_of(service_api)
        if (failure := contract_failure(operation, callers)) is not None
    ]
    assert not failures, "\n\n".join(failures)


def operations_of(schema: BaseSchema) -> list[APIOperation]:
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation its own document cannot describe
        operations.append(result.ok())
    return operations


def contract_failure(
    operation: APIOperation, callers: list[dict[str, str]]
) -> BaseException | None:
    """The first request the operation answers against its contract, shrunk; None if none.

    Built as schemathesis's pytest plugin builds its tests (examples, coverage
    and fuzzing phases), which cannot be used itself: it reads a node id
    pytest 9 no longer has.
    """

    def send(case: Case) -> None:
        for headers in callers:
            case.call_and_validate(headers=headers, checks=CHECKS)

    test = create_test(
        operation=operation,
        test_func=send,
        config=HypothesisTestConfig(
            project=operation.schema.config,
            modes=list(HypothesisTestMode),
            settings=SETTINGS,
        ),
    )
    try:
        test()
    # Schemathesis raises one failure, or a group of distinct ones, with the request.
    except (Exception, BaseExceptionGroup) as failure:
        return failure
    return None
