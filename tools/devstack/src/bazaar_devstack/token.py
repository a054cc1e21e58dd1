"""``python -m bazaar_devstack.token alice``: print a real access token from the local Cognito.

Only the token goes to stdout, so a shell can use it directly:
``curl -H "Authorization: Bearer $(make -s token USER=alice)" localhost:8080/orders``.
Everything else (why it failed) goes to stderr with a non-zero status.

The native stack (``make run``) leaves a state file naming its pool; for
docker compose, ``--moto http://localhost:5000`` finds the pool its bootstrap
made by name (inside the compose network: ``--moto http://moto:5000``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from botocore.exceptions import EndpointConnectionError

from bazaar_devstack import state
from bazaar_devstack.cognito import (
    DEMO_PASSWORD,
    DEMO_USERS,
    IdentityError,
    access_token,
    find_identity,
)


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
    cli.add_argument(
        "--moto",
        metavar="URL",
        help="find the pool on this emulator instead (docker compose: http://localhost:5000)",
    )
    cli.add_argument("--prefix", default="bazaar", help="with --moto: the stack's RESOURCE_PREFIX")
    cli.add_argument("--region", default="eu-west-1", help="with --moto: the stack's AWS_REGION")
    return cli


# The compose service name of moto, as the compose bootstrap also allows it.
COMPOSE_EMULATOR_HOSTS = frozenset({"moto"})


async def token_for(username: str, password: str, state_path: Path) -> str:
    stack = state.load(state_path)
    await state.expect_answering(stack)
    return await access_token(
        stack.moto_url, stack.region, stack.identity, username, password=password
    )


async def token_from_emulator(
    username: str, password: str, moto_url: str, *, prefix: str, region: str
) -> str:
    hosts = COMPOSE_EMULATOR_HOSTS
    try:
        identity = await find_identity(moto_url, region, prefix=prefix, emulator_hosts=hosts)
        return await access_token(
            moto_url, region, identity, username, password=password, emulator_hosts=hosts
        )
    except EndpointConnectionError:
        raise IdentityError(
            f"no emulator answers at {moto_url}: is the stack up (docker compose up)?"
        ) from None


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if arguments.moto:
        asking = token_from_emulator(
            arguments.username,
            arguments.password,
            arguments.moto,
            prefix=arguments.prefix,
            region=arguments.region,
        )
    else:
        asking = token_for(
            arguments.username, arguments.password, arguments.state or state.default_path()
        )
    try:
        token = asyncio.run(asking)
    except (state.StackNotRunning, IdentityError) as error:
        print(f"token: {error}", file=sys.stderr)
        return 1
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
