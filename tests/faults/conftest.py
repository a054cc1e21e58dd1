"""Fixtures of the fault suite: the whole system as processes, with servers it may restart.

It runs only when asked for (``pytest -m faults``, ``make test-faults``): a
few minutes of load while processes are killed and restarted. The suite owns
what it breaks: a Postgres server of its own, a moto server for the bus and
queues (restarted) and another for Cognito (kept, so tokens stay valid), and
a supervisor that restarts what dies, as ``make run`` does.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from tests.opt_in import deselect_unless_asked

from bazaar_common.testing.moto import REGION, MotoServer
from bazaar_common.testing.postgres import PostgresServer
from bazaar_devstack.stack import Stack
from bazaar_devstack.supervisor import Supervisor, moto_member, service_member

# Short, so an order whose command was lost with moto is cancelled soon,
# and longer than a restarted consumer takes to see a redelivered message.
STEP_TIMEOUT_SECONDS = 10
SWEEP_INTERVAL_SECONDS = 0.5
SUPERVISOR_TICK_SECONDS = 0.2


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "faults: faults injected into the whole system under load (pytest -m faults)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.slow)
    deselect_unless_asked(config, items, "faults")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.initialise()
    server.start()
    try:
        yield server
    finally:
        if server.is_running():
            server.stop()
        server.remove()


@pytest.fixture(scope="session")
def bus_moto() -> Iterator[MotoServer]:
    """EventBridge and SQS: the server the suite kills."""
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def new_stack(
    postgres: PostgresServer,
    moto_server: MotoServer,
    repository_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., Stack]:
    """A stack on the suite's Postgres and the session's moto, its names starting ``name``.

    One stack per test module, one after the other: they share the Postgres
    server and their databases' names.
    """

    def new(name: str, **options: Any) -> Stack:
        defaults: dict[str, Any] = {
            "root": repository_root,
            "logs": tmp_path_factory.mktemp(f"{name}-logs"),
            "admin_dsn": postgres.admin_dsn,
            "moto_url": moto_server.url,
            "prefix": f"{name}{uuid4().hex[:6]}",
        }
        return Stack(**{**defaults, **options})

    return new


@pytest.fixture(scope="module")
async def stack(
    new_stack: Callable[..., Stack], bus_moto: MotoServer, moto_server: MotoServer
) -> AsyncIterator[Stack]:
    """The stack the faults are injected into: its bus and queues on a moto of their own."""
    stack = new_stack(
        "flt",
        moto_url=bus_moto.url,
        identity_url=moto_server.url,
        service_runtime={
            "orders": {
                "SAGA_STEP_TIMEOUT_SECONDS": str(STEP_TIMEOUT_SECONDS),
                "SAGA_SWEEP_INTERVAL_SECONDS": str(SWEEP_INTERVAL_SECONDS),
            }
        },
    )
    async with stack.running():
        yield stack


@dataclass
class Supervised:
    supervisor: Supervisor
    said: list[str]


@pytest.fixture
def supervised(stack: Stack, bus_moto: MotoServer) -> Iterator[Supervised]:
    """make run's supervisor over the stack's services and its bus moto, checking all along."""
    assert stack.topology is not None
    lines: list[str] = []
    supervisor = Supervisor(
        [
            moto_member(bus_moto, stack.topology, REGION, {n: stack.dsn(n) for n in stack.entries}),
            *(service_member(name, process) for name, process in stack.services.items()),
        ],
        say=lines.append,
    )
    stopping = threading.Event()

    def watch() -> None:
        while not stopping.wait(SUPERVISOR_TICK_SECONDS):
            supervisor.check()

    thread = threading.Thread(target=watch, name="supervisor", daemon=True)
    thread.start()
    try:
        yield Supervised(supervisor, lines)
    finally:
        stopping.set()
        thread.join(60)
