"""``python -m bazaar_devstack.token alice``: print a real access token from the local Cognito.

Only the token goes to stdout, so a shell can use it directly:
``curl -H "Authorization: Bearer $(make -s token USER=alice)" localhost:8080/orders``.
Everything else (why it failed) goes to stderr with a non-zero status.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import aiohttp

from bazaar_devstack import state
from bazaar_devstack.cognito import DEMO_PASSWORD, DEMO_USERS, IdentityError, access_token

PROBE_TIMEOUT_SECONDS = 2.0


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m bazaar_devstack.token",
        description="Print an access token of a user of the local Cognito pool.",
    )
    cli.add_argument("username", help=f"a demo user: {', '.join(DEMO_USERS)}")
    cli.add_argument("--password", default=DEMO_PASSWORD, help="default: the demo password")
    cli.add_argument(
        "--state",
        type=Path,
        default=None,
        help=f"the stack's state file (default: ${state.STATE_FILE_VARIABLE} "
        f"or the nearest {state.STATE_FILE})",
    )
    return cli


async def token_for(username: str, password: str, state_path: Path) -> str:
    stack = state.load(state_path)
    await _expect_emulator_answers(stack)
    return await access_token(
        stack.moto_url, stack.region, stack.identity, username, password=password
    )


async def _expect_emulator_answers(stack: state.DevstackState) -> None:
    """A state file left by a stack that died: say so instead of a botocore trace."""
    timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.get(stack.identity.jwks_url) as response,
        ):
            answered = response.status == 200
    except (aiohttp.ClientError, TimeoutError):
        answered = False
    if not answered:
        raise state.StackNotRunning(f"its Cognito at {stack.moto_url} does not answer")


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        token = asyncio.run(
            token_for(
                arguments.username,
                arguments.password,
                arguments.state or state.default_path(),
            )
        )
    except (state.StackNotRunning, IdentityError) as error:
        print(f"token: {error}", file=sys.stderr)
        return 1
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
