"""The Docker engine, through its CLI: the few calls the runner makes, each bounded in time."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LABEL = "bazaar.ecslocal"


class DockerError(RuntimeError):
    pass


@dataclass(frozen=True)
class State:
    status: str  # created, running, exited, ...
    exit_code: int
    health: str | None  # starting, healthy, unhealthy; None without a health check


async def docker(
    *arguments: str,
    within: float = 120,
    check: bool = True,
    environment: Mapping[str, str] | None = None,
) -> str:
    """``environment``: values of the ``-e NAME`` flags, given to the CLI, never in its argv."""
    process = await asyncio.create_subprocess_exec(
        "docker",
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **environment} if environment else None,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), within)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise DockerError(f"docker {arguments[0]} did not answer within {within:.0f} s") from None
    if check and process.returncode != 0:
        raise DockerError(f"docker {arguments[0]}: {err.decode(errors='replace').strip()}")
    return out.decode(errors="replace")


async def has_image(reference: str) -> bool:
    return (
        await docker("image", "inspect", "--format", "{{.Id}}", reference, check=False)
    ).strip() != ""


async def state(container: str) -> State:
    document: list[dict[str, Any]] = json.loads(await docker("inspect", container))
    found = document[0]["State"]
    health = found.get("Health")
    return State(
        status=found["Status"],
        exit_code=int(found.get("ExitCode", 0)),
        health=health["Status"] if health else None,
    )


async def logs_tail(container: str, lines: int = 30) -> str:
    """The last lines, stdout and stderr together: a refused start says why on stderr."""
    process = await asyncio.create_subprocess_exec(
        "docker",
        "logs",
        "--tail",
        str(lines),
        container,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return out.decode(errors="replace")


async def remove_labelled(run: str) -> int:
    """Every container of a run, with its anonymous volumes; how many there were."""
    listed = await docker("ps", "-aq", "--filter", f"label={LABEL}={run}")
    names = listed.split()
    if names:
        await docker("rm", "-f", "-v", *names, within=180)
    return len(names)
