"""``python -m bazaar_common.db.bootstrap``: the one-off task that readies a service's database.

Exit status 0 when the database is ready (whether or not anything changed),
1 when it could not be made so, 2 for a configuration error. The output is one
line per change; it never holds a password.
"""

from __future__ import annotations

import asyncio
import sys

from aiobotocore.session import get_session
from pydantic import ValidationError

from bazaar_common.db.bootstrap.run import bootstrap
from bazaar_common.db.bootstrap.secret_store import BootstrapError, SecretsManagerStore
from bazaar_common.db.bootstrap.settings import BootstrapSettings
from bazaar_common.messaging.aws import CLIENT_CONFIG
from bazaar_common.settings import describe_validation_error


async def _run(settings: BootstrapSettings) -> list[str]:
    options = {"region_name": settings.aws_region, "config": CLIENT_CONFIG}
    if settings.aws_endpoint_url:
        options["endpoint_url"] = settings.aws_endpoint_url
    async with get_session().create_client("secretsmanager", **options) as client:
        changes = await bootstrap(settings, SecretsManagerStore(client))
    return changes.done


def main() -> int:
    try:
        settings = BootstrapSettings()  # from the environment
    except ValidationError as error:
        problem = describe_validation_error(error)
        print(f"bootstrap: configuration error: {problem}", file=sys.stderr)
        return 2
    database = settings.database_name
    try:
        done = asyncio.run(_run(settings))
    except BootstrapError as error:
        print(f"bootstrap: {database}: {error}", file=sys.stderr)
        return 1
    for change in done:
        print(f"bootstrap: {database}: {change}")
    summary = f"{len(done)} changes" if done else "nothing to change"
    print(f"bootstrap: {database}: ready, {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
