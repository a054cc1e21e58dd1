"""What the running local stack tells its command-line tools: ``.local/devstack.json``.

The local runtime writes the file once its emulator and identity are up and
removes it when it stops; ``make token`` and ``make history-rebuild`` read
it. A file of a stack that died without cleaning up is caught by the caller
(the emulator does not answer) and reported as "not running" too. It may
hold the stack's database password (``DATABASE_URL``), so only its owner
may read it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bazaar_devstack.cognito import Identity

STATE_FILE = Path(".local") / "devstack.json"
# Overrides the search, for a stack started elsewhere (tests, a second checkout).
STATE_FILE_VARIABLE = "BAZAAR_DEVSTACK_STATE"
FORMAT_VERSION = 1
PROBE_TIMEOUT_SECONDS = 2.0


class StackNotRunning(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(f"the local stack is not running ({detail}): start it with `make dev`")


@dataclass(frozen=True, slots=True)
class DevstackState:
    moto_url: str
    region: str
    identity: Identity
    prefix: str = "bazaar"
    """The stack's ``RESOURCE_PREFIX``: its bus, queues and archive bucket are named by it."""
    postgres_url: str | None = None
    """A superuser's ``postgresql+asyncpg://`` URL on the stack's server (None: not written)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "moto_url": self.moto_url,
            "region": self.region,
            "identity": self.identity.as_dict(),
            "prefix": self.prefix,
            "postgres_url": self.postgres_url,
        }

    @classmethod
    def from_json(cls, data: Any) -> DevstackState:
        if not isinstance(data, Mapping):
            raise ValueError("not a JSON object")
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unknown format version {data.get('version')!r}")
        if not isinstance(data.get("moto_url"), str) or not isinstance(data.get("region"), str):
            raise ValueError("moto_url and region must be strings")
        identity = data.get("identity")
        if not isinstance(identity, Mapping):
            raise ValueError("identity missing")
        # Written by a stack started before they were: the defaults.
        prefix, postgres_url = data.get("prefix", "bazaar"), data.get("postgres_url")
        if not isinstance(prefix, str) or not isinstance(postgres_url, str | None):
            raise ValueError("prefix and postgres_url must be strings")
        return cls(
            data["moto_url"], data["region"], Identity.from_dict(identity), prefix, postgres_url
        )


def default_path(start: Path | None = None) -> Path:
    """``$BAZAAR_DEVSTACK_STATE``, else the nearest ``.local/devstack.json`` up from ``start``.

    Without one, where the runtime would write it: under ``start`` (the cwd).
    """
    configured = os.environ.get(STATE_FILE_VARIABLE)
    if configured:
        return Path(configured)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / STATE_FILE).is_file():
            return folder / STATE_FILE
    return here / STATE_FILE


def save(state: DevstackState, path: Path) -> None:
    """Write atomically (a reader never sees half a file), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.touch(mode=0o600)
    partial.chmod(0o600)  # one left over by a dead writer keeps its old mode
    partial.write_text(json.dumps(state.to_json(), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def load(path: Path) -> DevstackState:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StackNotRunning(f"no {path}") from None
    try:
        return DevstackState.from_json(json.loads(text))
    except (ValueError, TypeError) as error:
        # json.JSONDecodeError is a ValueError.
        raise StackNotRunning(f"{path} is unreadable: {error}") from None


async def expect_answering(stack: DevstackState) -> None:
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
        raise StackNotRunning(f"its Cognito at {stack.moto_url} does not answer")


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)
