"""Catalog entries made up for tests that need a topology of their own."""

from __future__ import annotations

from collections.abc import Sequence

from bazaar_common.catalog import ServiceEntry


def service_entry(
    name: str,
    *,
    port: int = 9_000,
    publishes: Sequence[str] = (),
    consumes: Sequence[str] = (),
    consumes_point_to_point: Sequence[str] = (),
    max_receive_count: int = 5,
    visibility_timeout_seconds: int = 30,
) -> ServiceEntry:
    return ServiceEntry.model_validate(
        {
            "name": name,
            "description": f"{name} (a test service)",
            "package": f"bazaar_{name.replace('-', '_')}",
            "port": port,
            "route": {"path_prefix": f"/{name}", "priority": port},
            "database": name,
            "resources": {"cpu": 256, "memory": 512},
            "events": {
                "publishes": list(publishes),
                "consumes": list(consumes),
                "consumes_point_to_point": list(consumes_point_to_point),
                "max_receive_count": max_receive_count,
                "visibility_timeout_seconds": visibility_timeout_seconds,
            },
        }
    )
