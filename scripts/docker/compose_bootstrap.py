"""The compose bootstrap step: local AWS resources, identity, AUTH_* for the services.

Runs once in the devstack image before any service starts:

1. the messaging topology from the catalog baked in the image (/app/catalog),
2. the local Cognito pool, app client and demo users (stable ids, so a fresh
   moto gives the same customer ids each run),
3. writes the services' AUTH_* settings to /run/bazaar/auth.env, a volume the
   services read at start (the issuer contains the pool id, known only now),
   and POINT_TO_POINT_RECEIVERS, from the same catalog as the topology;
4. writes the browser app's /config.json (the pool's app client) beside it,
   for the gateway.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import sys
from pathlib import Path

from bazaar_common.catalog import discover
from bazaar_common.messaging.bootstrap import local_environment
from bazaar_common.messaging.bootstrap import main as bootstrap_messaging
from bazaar_common.messaging.topology import build_topology
from bazaar_devstack.cognito import Identity, bootstrap_identity
from bazaar_devstack.web import local_config

AUTH_ENV = Path(os.environ.get("AUTH_ENV_FILE", "/run/bazaar/auth.env"))
WEB_CONFIG = AUTH_ENV.with_name("web-config.json")


async def local_identity() -> Identity:
    return await bootstrap_identity(
        os.environ["AWS_ENDPOINT_URL"],
        os.environ.get("AWS_REGION", "eu-west-1"),
        prefix=os.environ.get("RESOURCE_PREFIX", "bazaar"),
        emulator_hosts={"moto"},
        stable_ids=True,
    )


def main() -> int:
    catalog_root = os.environ.get("CATALOG_ROOT", "/app/catalog")
    status = bootstrap_messaging(["--root", catalog_root])
    if status:
        return status
    topology = build_topology(
        discover(Path(catalog_root)), prefix=os.environ.get("RESOURCE_PREFIX", "bazaar")
    )
    identity = asyncio.run(local_identity())
    environment = {**identity.service_environment(), **local_environment(topology)}
    lines = [f"export {name}={shlex.quote(value)}" for name, value in environment.items()]
    AUTH_ENV.write_text("\n".join(lines) + "\n", encoding="utf-8")
    WEB_CONFIG.write_text(json.dumps(local_config(identity)) + "\n", encoding="utf-8")
    print(f"compose bootstrap: wrote {AUTH_ENV} and {WEB_CONFIG}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
