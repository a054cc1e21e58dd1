"""``python -m bazaar_devstack.rebuild history`` (``make history-rebuild``): a read model again.

Against the stack ``make run`` keeps running: where it is comes from its
state file (``.local/devstack.json``: its moto, resource prefix, Postgres and
user pool). This recreates an empty database on the stack's Postgres
(``<database>_rebuilt``, or ``--into``; never a database of the catalog)
and runs the service's own rebuild command (``python -m bazaar_<name>.rebuild``)
into it, with the stack's event archive bucket and the settings every service
of the stack gets. The rebuild's output and exit status are this command's.

The service's live database is left alone. ``--compare`` also passes the
rebuild ``--compare-with`` the live database, for a service whose rebuild
proves itself equal to it (audit's does: ``make archive-rebuild``);
otherwise compare the two yourself, e.g.
``psql -d history -c 'SELECT count(*) FROM order_history'`` against
``history_rebuilt``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from bazaar_common.archive.bucket import archive_bucket_name
from bazaar_common.catalog import ServiceEntry, discover
from bazaar_common.testing.database import plain_dsn
from bazaar_common.testing.moto import FAKE_CREDENTIALS
from bazaar_common.testing.postgres import recreate_database
from bazaar_devstack import state
from bazaar_devstack.up import database_url_for

SCRATCH_SUFFIX = "_rebuilt"
# Postgres's own databases, never recreated either.
SYSTEM_DATABASES = frozenset({"postgres", "template0", "template1"})
# A name the statements that recreate it may quote as it is.
DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class Refused(Exception):
    """A request this command will not carry out: said in one line, nothing changed."""


def rebuild_command(entry: ServiceEntry) -> list[str]:
    """``python -m <package>.rebuild``; refused for a service that has none."""
    module = f"{entry.package}.rebuild"
    if importlib.util.find_spec(module) is None:
        raise Refused(f"{entry.name} has no rebuild command ({module})")
    return [sys.executable, "-m", module]


def rebuild_environment(stack: state.DevstackState, database_url: str) -> dict[str, str]:
    """What the rebuild needs: the stack's settings for a service, on ``database_url``."""
    return {
        "ENVIRONMENT": "local",
        **FAKE_CREDENTIALS,
        **stack.identity.service_environment(),
        "AWS_ENDPOINT_URL": stack.moto_url,
        "AWS_REGION": stack.region,
        "RESOURCE_PREFIX": stack.prefix,
        "EVENT_ARCHIVE_BUCKET": archive_bucket_name(stack.prefix),
        "DATABASE_URL": database_url,
    }


def scratch_database(entries: list[ServiceEntry], entry: ServiceEntry, into: str | None) -> str:
    """The database to recreate: ``into``, or ``<database>_rebuilt``; never one in use."""
    name = into or f"{entry.database}{SCRATCH_SUFFIX}"
    if not DATABASE_NAME.match(name):
        raise Refused(f"{name!r} is not a database name: lower-case letters, digits and _")
    taken = {other.database for other in entries} | SYSTEM_DATABASES
    if name in taken:
        raise Refused(f"{name} is a database the stack uses: rebuild into another (--into)")
    return name


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m bazaar_devstack.rebuild",
        description="Rebuild a read model of the running local stack from its event archive.",
    )
    cli.add_argument("service", help="the service whose read model to rebuild, e.g. history")
    cli.add_argument(
        "--into",
        metavar="DATABASE",
        help=f"the database to recreate and rebuild into (default: <database>{SCRATCH_SUFFIX})",
    )
    cli.add_argument(
        "--state",
        type=Path,
        default=None,
        help=f"the stack's state file (default: ${state.STATE_FILE_VARIABLE} "
        f"or the nearest {state.STATE_FILE})",
    )
    cli.add_argument("--root", type=Path, default=Path.cwd(), help="the repository checkout")
    cli.add_argument(
        "--compare",
        action="store_true",
        help="pass the rebuild --compare-with the live database (audit's rebuild takes it)",
    )
    return cli


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        entries = discover(arguments.root)
        entry = next((e for e in entries if e.name == arguments.service), None)
        if entry is None:
            raise Refused(f"no service {arguments.service!r} in the catalog")
        command = rebuild_command(entry)
        database = scratch_database(entries, entry, arguments.into)
        stack = state.load(arguments.state or state.default_path())
        asyncio.run(state.expect_answering(stack))
        if stack.postgres_url is None:
            raise state.StackNotRunning("its state file names no Postgres: restart make run")
    except Refused as refused:
        print(f"rebuild: {refused}", file=sys.stderr)
        return 2
    except state.StackNotRunning as error:
        print(f"rebuild: {error}", file=sys.stderr)
        return 1
    asyncio.run(recreate_database(plain_dsn(stack.postgres_url), database))
    database_url = database_url_for(stack.postgres_url, database)
    print(f"rebuild: {entry.name} into the new database {database}", flush=True)
    if arguments.compare:
        command += ["--compare-with", database_url_for(stack.postgres_url, entry.database)]
    environment = {**os.environ, **rebuild_environment(stack, database_url)}
    return subprocess.run(command, env=environment, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
