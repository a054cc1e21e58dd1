"""The post-deploy smoke test: the system answers through its load balancer.

Run by deploy.yml after ``terraform apply`` (a failure rolls the deploy
back) and by the e2e tests against the local gateway, so the same checks are
proven before they gate a release. Standard library only: it runs anywhere
Python does.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid4

from bazaar_common.catalog import ServiceEntry

PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


class SmokeFailed(AssertionError):
    pass


def fetch(url: str, timeout: float) -> Answer:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only, checked by the CLI
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Answer(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get_content_type(), error.read())


@dataclass(frozen=True)
class Check:
    name: str
    path: str
    expect: Callable[[Answer], str | None]  # None: passed; else why not


def _status(wanted: int, content_type: str) -> Callable[[Answer], str | None]:
    def expect(answer: Answer) -> str | None:
        if answer.status != wanted:
            return f"status {answer.status}, wanted {wanted}: {answer.body[:200]!r}"
        if answer.content_type != content_type:
            return f"content type {answer.content_type}, wanted {content_type}"
        try:
            answer.json()
        except ValueError:
            return f"body is not JSON: {answer.body[:200]!r}"
        return None

    return expect


def checks(services: list[ServiceEntry]) -> list[Check]:
    """What must hold right after a deploy, for every service of the catalog."""
    found: list[Check] = [
        Check(
            f"{entry.name} is routed",
            f"{entry.route.path_prefix}/openapi.json",
            _status(200, "application/json"),
        )
        for entry in services
    ]
    found.append(
        Check(
            "an unknown path is a 404 problem", f"/smoke-{uuid4().hex[:12]}", _status(404, PROBLEM)
        )
    )
    prefixes = {entry.name: entry.route.path_prefix for entry in services}
    if "inventory" in prefixes:
        found.append(
            Check(
                "the public catalog answers",
                f"{prefixes['inventory']}/products?limit=1",
                _status(200, "application/json"),
            )
        )
    if "orders" in prefixes:
        found.append(
            Check("orders refuse an anonymous caller", prefixes["orders"], _status(401, PROBLEM))
        )
    return found


def run(
    base_url: str,
    services: list[ServiceEntry],
    *,
    within: float = 120.0,
    timeout: float = 5.0,
    fetcher: Callable[[str, float], Answer] = fetch,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[str]:
    """Every check, each retried until it passes or ``within`` seconds are over.

    Retried because a rolling deploy's targets turn healthy one by one.
    Returns a line per check; raises SmokeFailed naming every check that
    still fails at the end.
    """
    deadline = clock() + within
    base = base_url.rstrip("/")
    pending = checks(services)
    passed: list[str] = []
    reasons: dict[str, str] = {}
    while True:
        still: list[Check] = []
        for check in pending:
            try:
                reason = check.expect(fetcher(base + check.path, timeout))
            except (OSError, urllib.error.URLError) as error:
                reason = f"no answer: {error}"
            if reason is None:
                passed.append(f"ok   {check.name} ({check.path})")
            else:
                reasons[check.name] = f"FAIL {check.name} ({check.path}): {reason}"
                still.append(check)
        pending = still
        if not pending:
            return passed
        if clock() >= deadline:
            raise SmokeFailed("\n".join([*passed, *(reasons[check.name] for check in pending)]))
        sleep(2.0)
