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
    merge_output: bool = False,
) -> str:
    """``environment``: values of the ``-e NAME`` flags, given to the CLI, never in its argv.

    ``merge_output``: stdout and stderr as one text (a container's logs).
    """
    process = await asyncio.create_subprocess_exec(
        "docker",
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT if merge_output else asyncio.subprocess.PIPE,
        env={**os.environ, **environment} if environment else None,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), within)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise DockerError(f"docker {arguments[0]} did not answer within {within:.0f} s") from None
    if check and process.returncode != 0:
        said = (err or out).decode(errors="replace").strip()
        raise DockerError(f"docker {arguments[0]}: {said}")
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
    return await docker(
        "logs", "--tail", str(lines), container, within=60, check=False, merge_output=True
    )


def detached(*, name: str, run: str, network: str) -> list[str]:
    """The start of every ``docker run`` of a run: in the background, named, labelled, networked.

    ``network`` is a network's name, or ``container:<name>`` to share a task's.
    """
    return ["-d", f"--name={name}", f"--label={LABEL}={run}", f"--network={network}"]


async def remove_labelled(run: str) -> int:
    """Every container of a run, with its anonymous volumes; how many there were."""
    listed = await docker("ps", "-aq", "--filter", f"label={LABEL}={run}")
    names = listed.split()
    if names:
        await docker("rm", "-f", "-v", *names, within=180)
    return len(names)
