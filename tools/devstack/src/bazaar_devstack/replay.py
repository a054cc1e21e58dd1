"""``python -m bazaar_devstack.replay --consumer X --since S --until U`` (``make archive-replay``).

``python -m bazaar_common.archive.replay`` against the stack ``make run``
keeps running: its moto, resource prefix and archive bucket come from the
state file (``.local/devstack.json``), as an operator's shell has them in
AWS. The arguments, output and exit status are the replay's.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from bazaar_devstack import state
from bazaar_devstack.rebuild import rebuild_environment


def main(argv: list[str] | None = None) -> int:
    try:
        stack = state.load(state.default_path())
        asyncio.run(state.expect_answering(stack))
    except state.StackNotRunning as error:
        print(f"replay: {error}", file=sys.stderr)
        return 1
    arguments = sys.argv[1:] if argv is None else argv
    command = [sys.executable, "-m", "bazaar_common.archive.replay", *arguments]
    environment = {**os.environ, **rebuild_environment(stack, database_url="")}
    environment.pop("DATABASE_URL")  # a replay writes no database
    return subprocess.run(command, env=environment, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
