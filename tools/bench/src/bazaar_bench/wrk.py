"""wrk, pinned to its own CPUs, and what its report says."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
SCRIPTS = Path(__file__).parent / "scripts"


class WrkFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Sample:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    # What a counting script (count_responses.lua) printed: {"status": {"200": n}, ...}.
    tallies: dict[str, dict[str, int]] = field(default_factory=dict)


def tallies(output: str) -> dict[str, dict[str, int]]:
    """The ``tally <what> <value> <count>`` lines a script's done() printed."""
    found: dict[str, dict[str, int]] = {}
    for what, value, count in re.findall(r"^tally (\S+) (\S+) (\d+)$", output, re.MULTILINE):
        found.setdefault(what, {})[value] = found.get(what, {}).get(value, 0) + int(count)
    return found


def milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"not a wrk latency: {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse(output: str) -> Sample:
    """The figures of a ``wrk --latency`` report; any error in it fails the run.

    A benchmark of error answers measures the error path: non-2xx answers,
    socket errors and timeouts are refused, not averaged in.
    """
    for trouble in ("Non-2xx or 3xx responses", "Socket errors"):
        if trouble in output:
            raise WrkFailed(f"wrk saw {trouble.lower()}:\n{output}")
    found = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s)", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (found and rps and p50 and p99):
        raise WrkFailed(f"not a wrk --latency report:\n{output}")
    return Sample(
        requests=int(found.group(1)),
        seconds=milliseconds(found.group(2) + found.group(3)) / 1000,
        rps=float(rps.group(1)),
        p50_ms=milliseconds(p50.group(1)),
        p99_ms=milliseconds(p99.group(1)),
        tallies=tallies(output),
    )


async def run(
    url: str,
    *,
    connections: int,
    seconds: float,
    cpus: str | None,
    headers: Sequence[str] = (),
    script: str | None = None,
    script_arguments: Sequence[str] = (),
) -> Sample:
    """One wrk run: one thread, ``connections`` connections, on ``cpus`` (taskset)."""
    # wrk takes whole seconds.
    duration = max(1, round(seconds))
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(SCRIPTS / script)]
    command.append(url)
    if script_arguments:
        command += ["--", *script_arguments]
    if cpus:
        command = ["taskset", "-c", cpus, *command]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output = (await process.communicate())[0].decode()
    if process.returncode != 0:
        raise WrkFailed(f"wrk exited {process.returncode}:\n{output}")
    return parse(output)
