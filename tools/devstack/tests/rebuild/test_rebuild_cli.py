"""``python -m bazaar_devstack.rebuild`` (``make history-rebuild``): a read model again.

The stack is stood in for by what its state file names: the session's moto
server (the archive bucket, a user pool) and Postgres.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from aiobotocore.session import get_session

from bazaar_common.archive import layout
from bazaar_common.archive.bucket import archive_bucket_name, ensure_archive_bucket
from bazaar_common.archive.records import ArchivedEvent
from bazaar_common.archive.store import ArchiveStore
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.messaging.envelope import Envelope
from bazaar_common.messaging.ids import uuid7
from bazaar_common.testing.moto import REGION
from bazaar_devstack import state
from bazaar_devstack.cognito import Identity, bootstrap_identity
from bazaar_devstack.rebuild import main

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]
AT = datetime(2030, 1, 1, 12, tzinfo=UTC)


def run(*arguments: str) -> int:
    return main([*arguments, "--root", str(REPOSITORY_ROOT)])


def placed(order_id: str) -> Envelope:
    return Envelope(
        id=uuid7(),
        type="OrderPlaced",
        source="bazaar.orders",
        time=AT,
        subject=order_id,
        version=1,
        data={
            "order_id": order_id,
            "customer_id": "alice",
            "lines": [{"sku": "MUG-1", "quantity": 1, "unit_price_minor": 500}],
            "total_minor": 500,
            "currency": "EUR",
        },
    )


@pytest.fixture
async def stack_state(tmp_path, moto_server, postgres_admin_dsn) -> Path:
    """A stack of the test's own: its archive holds one order's placement."""
    prefix = f"rb{uuid4().hex[:8]}"
    identity = await bootstrap_identity(moto_server.url, REGION, prefix=prefix)
    options = {"region_name": REGION, "endpoint_url": moto_server.url, "config": CLIENT_CONFIG}
    async with get_session().create_client("s3", **options) as s3:
        bucket = archive_bucket_name(prefix)
        await ensure_archive_bucket(s3, bucket, REGION)
        event = ArchivedEvent(placed(str(uuid4())), received_at=AT)
        key = layout.batch_key(layout.day_of(AT), "OrderPlaced", event.envelope.id)
        await ArchiveStore(s3, bucket).put_batch(key, [event])
    postgres_url = postgres_admin_dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    path = tmp_path / "devstack.json"
    state.save(state.DevstackState(moto_server.url, REGION, identity, prefix, postgres_url), path)
    return path


@pytest.fixture
def scratch() -> str:
    """A database name of this test process's own: processes may share a server."""
    return f"devstack_rebuilt_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


async def order_rows(postgres_admin_dsn: str, database: str) -> list[asyncpg.Record]:
    base, _, _ = postgres_admin_dsn.rpartition("/")
    connection = await asyncpg.connect(f"{base}/{database}")
    try:
        return list(await connection.fetch("SELECT customer_id, state FROM order_history"))
    finally:
        await connection.close()


async def test_it_rebuilds_into_a_new_database_each_time(
    stack_state, scratch, postgres_admin_dsn, capfd
):
    for _ in range(2):  # again: the database is recreated, so never refused as not empty
        status = await asyncio.to_thread(
            run, "history", "--into", scratch, "--state", str(stack_state)
        )

        assert status == 0
        out = capfd.readouterr().out
        assert f"into the new database {scratch}" in out
        assert "rebuild: 1 events applied" in out
        assert "1 order rows built" in out
    rows = await order_rows(postgres_admin_dsn, scratch)
    assert [(row["customer_id"], row["state"]) for row in rows] == [("alice", "PENDING")]


IDENTITY = Identity("pool", "client", "https://issuer", "http://127.0.0.1:1/pool/jwks.json")


def test_the_state_file_tells_where_the_stack_s_postgres_and_archive_are(tmp_path):
    path = tmp_path / "devstack.json"
    url = "postgresql+asyncpg://postgres:secret@127.0.0.1:55432/postgres"
    state.save(state.DevstackState("http://moto", REGION, IDENTITY, "shop", url), path)

    saved = state.load(path)

    assert (saved.prefix, saved.postgres_url) == ("shop", url)
    assert path.stat().st_mode & 0o077 == 0  # it may hold a password


@pytest.mark.parametrize("database", ["orders", "history", "postgres"])
def test_a_database_in_use_is_never_recreated(tmp_path, database, capsys):
    status = run("history", "--into", database, "--state", str(tmp_path / "devstack.json"))

    assert status == 2
    assert "a database the stack uses" in capsys.readouterr().err


@pytest.mark.parametrize("database", ['x"; DROP DATABASE orders; --', "Upper", "a" * 64])
def test_a_database_name_is_refused_unless_plain(tmp_path, database, capsys):
    status = run("history", "--into", database, "--state", str(tmp_path / "devstack.json"))

    assert status == 2
    assert "is not a database name" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("service", "said"), [("shipping", "no rebuild command"), ("nobody", "no service")]
)
def test_only_a_service_with_a_rebuild_command_is_rebuilt(tmp_path, service, said, capsys):
    status = run(service, "--state", str(tmp_path / "devstack.json"))

    assert status == 2
    assert said in capsys.readouterr().err


def test_without_a_running_stack_it_says_so(tmp_path, capsys):
    status = run("history", "--state", str(tmp_path / "devstack.json"))

    assert status == 1
    assert "not running" in capsys.readouterr().err


def test_a_state_file_of_an_older_stack_reads_with_the_defaults():
    written = state.DevstackState("http://moto", REGION, IDENTITY).to_json()
    del written["prefix"], written["postgres_url"]

    older = state.DevstackState.from_json(written)

    assert (older.prefix, older.postgres_url) == ("bazaar", None)
