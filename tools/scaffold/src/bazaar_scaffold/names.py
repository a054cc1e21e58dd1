"""Which names a new service may take.

A name is lower-case letters and digits, starting with a letter, 2 to 16
characters: it is used as is for the folder, the package (``bazaar_<name>``),
the contracts module, the route prefix, the database, the queue and the
Terraform resources, so it cannot hold a hyphen (not an identifier) or an
underscore (not a catalog name), and it stays short for AWS's 32-character
names (``<prefix>-<name>-dlq``, target groups).
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from bazaar_common.catalog import ServiceEntry
from bazaar_scaffold.refusal import Refusal

NAME = re.compile(r"[a-z][a-z0-9]{1,15}")

# Names already meaning something else here: the workspace's libraries and
# tools (their packages are bazaar_<name> too), docker compose's other
# services, the messaging tables every service database holds, the paths
# the platform serves itself, and words Postgres or Python reserve.
RESERVED = frozenset(
    {
        # libraries, tools and contracts modules that are not services
        "common", "contracts", "fields", "scaffold", "devstack", "delivery", "bench",
        "ecslocal", "cost", "testing",
        # docker compose services and Postgres' own databases
        "postgres", "moto", "bootstrap", "gateway", "jaeger", "template0", "template1",
        # tables of every service database, and paths of every service
        "inbox", "outbox", "healthz", "readyz", "docs", "openapi",
        # Postgres reserved words a database or table may not be named unquoted
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "both", "case", "cast",
        "check", "collate", "column", "constraint", "create", "default", "desc", "distinct",
        "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant",
        "group", "having", "in", "initially", "intersect", "into", "leading", "limit", "not",
        "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
        "returning", "select", "some", "symmetric", "table", "then", "to", "trailing", "true",
        "union", "unique", "user", "using", "variadic", "when", "where", "window", "with",
        # repository folders a service name would be confused with
        "services", "libs", "tools", "tests", "test", "infra", "scripts",
    }
)  # fmt: skip


def check_name(name: str, entries: list[ServiceEntry], root: Path) -> None:
    """Refuse a name that is not one, is reserved, or is taken."""
    if not NAME.fullmatch(name):
        raise Refusal(
            f"{name!r} is not a service name: 2-16 lower-case letters and digits, "
            "starting with a letter"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED:
        raise Refusal(f"{name!r} is reserved: pick another service name")
    taken = {entry.name for entry in entries} | {entry.database for entry in entries}
    taken |= {entry.route.path_prefix.lstrip("/") for entry in entries}
    places = [
        root / "services" / name,
        root / "libs" / name,
        root / "tools" / name,
        root / "libs" / "contracts" / "src" / "bazaar_contracts" / f"{name}.py",
    ]
    existing = [path for path in places if path.exists()]
    if name in taken or existing:
        where = existing[0].relative_to(root) if existing else "the service catalog"
        raise Refusal(f"{name!r} exists already ({where})")
