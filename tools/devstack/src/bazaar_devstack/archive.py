"""The archive's commands against the running local stack (``make run``).

    python -m bazaar_devstack.archive rebuild
    python -m bazaar_devstack.archive replay --consumer orders --since ... --until ...

``rebuild`` recreates the scratch database ``audit_rebuilt`` on the stack's
Postgres (empty each time: the rebuild refuses anything else), rebuilds the
audit store there from the archive bucket and compares it with the live
``audit`` database (``python -m bazaar_audit.rebuild``). ``replay`` passes
its arguments to ``python -m bazaar_common.archive.replay``. Both run as
processes told where the stack is (``.local/devstack.json``), as an
operator's shell would be in AWS.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from bazaar_common.archive.bucket import archive_bucket_name
from bazaar_common.testing.database import plain_dsn
from bazaar_common.testing.moto import FAKE_CREDENTIALS
from bazaar_common.testing.postgres import recreate_database
from bazaar_devstack import state
from bazaar_devstack.up import database_url_for

SCRATCH_DATABASE = "audit_rebuilt"
LIVE_DATABASE = "audit"


def environment(stack: state.DevstackState) -> dict[str, str]:
    return {
        **os.environ,
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": stack.moto_url,
        "AWS_REGION": stack.region,
        "RESOURCE_PREFIX": stack.prefix,
        "EVENT_ARCHIVE_BUCKET": archive_bucket_name(stack.prefix),
    }


def rebuild(stack: state.DevstackState) -> int:
    if stack.postgres_url is None:
        print("archive: this stack's state names no Postgres; restart `make run`", file=sys.stderr)
        return 2
    scratch = database_url_for(stack.postgres_url, SCRATCH_DATABASE)
    asyncio.run(recreate_database(plain_dsn(stack.postgres_url), SCRATCH_DATABASE))
    print(f"archive: {SCRATCH_DATABASE} recreated empty")
    command = [
        sys.executable, "-m", "bazaar_audit.rebuild",
        "--into", scratch,
        "--compare-with", database_url_for(stack.postgres_url, LIVE_DATABASE),
    ]  # fmt: skip
    # Our own interpreter and modules; the arguments are options, never a shell line.
    return subprocess.run(command, env=environment(stack), check=False).returncode  # noqa: S603


def replay(stack: state.DevstackState, arguments: list[str]) -> int:
    command = [sys.executable, "-m", "bazaar_common.archive.replay", *arguments]
    # Our own interpreter and modules; the arguments are options, never a shell line.
    return subprocess.run(command, env=environment(stack), check=False).returncode  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if not arguments or arguments[0] not in ("rebuild", "replay"):
        print(f"usage: {__doc__.splitlines()[2].strip()}", file=sys.stderr)
        print(f"       {__doc__.splitlines()[3].strip()}", file=sys.stderr)
        return 2
    try:
        stack = state.load(state.default_path())
    except state.StackNotRunning as error:
        print(f"archive: {error}", file=sys.stderr)
        return 2
    if arguments[0] == "rebuild":
        return rebuild(stack)
    return replay(stack, arguments[1:])


if __name__ == "__main__":
    sys.exit(main())
