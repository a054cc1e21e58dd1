"""``python -m bazaar_delivery``: the repository's answers for CI and deploys.

Every answer goes to stdout in a form a workflow step can use directly (a
JSON value, or KEY=VALUE lines); diagnostics go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import math
import re
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bazaar_delivery import (
    accepted_findings,
    database_bootstrap,
    load,
    load_users,
    sbom,
    sbom_diff,
    smoke,
)
from bazaar_delivery.database_bootstrap_spec import parse_spec
from bazaar_delivery.git import GitError
from bazaar_delivery.images import DEVSTACK, Repository

T = TypeVar("T")
AWS_REGION = re.compile(r"[a-z]{2}(?:-[a-z0-9]+)+")


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="bazaar-delivery", description=__doc__.splitlines()[0])
    top.add_argument(
        "--root", type=Path, default=Path.cwd(), help="the repository checkout (default: .)"
    )
    commands = top.add_subparsers(dest="command", required=True)
    commands.add_parser("services", help="the catalog's services, a JSON list (the CI test matrix)")
    changed = commands.add_parser(
        "changed", help="services whose image inputs changed, a JSON list"
    )
    changed.add_argument("--base", required=True, help="the commit to compare with")
    changed.add_argument("--head", default="HEAD", help="the commit built (default: HEAD)")
    tags = commands.add_parser("tags", help="each service's image tag, a JSON object")
    tags.add_argument("--head", default="HEAD")
    previous = commands.add_parser(
        "previous-tags",
        help='each service\'s tag before its current one, a JSON object ("": its first image)',
    )
    previous.add_argument("--head", default="HEAD")
    build_args = commands.add_parser(
        "build-args", help="an image's --build-arg values, KEY=VALUE lines"
    )
    build_args.add_argument("service", help=f"a catalog service, or {DEVSTACK}")
    smoke_test = commands.add_parser(
        "smoke", help="the post-deploy smoke test through the load balancer"
    )
    smoke_test.add_argument(
        "url", type=_http_url, help="the API's base URL, e.g. https://api.dev.example.com"
    )
    smoke_test.add_argument(
        "--within", type=float, default=120.0, help="seconds to keep retrying (default: 120)"
    )
    load_test = commands.add_parser(
        "load-test",
        help="the load test (tests/load/locustfile.py) through the load balancer, judged",
    )
    load_test.add_argument("url", type=_http_url, help="the API's base URL")
    load_test.add_argument(
        "--tokens", type=Path, required=True, help="the users' access tokens (load-users --out)"
    )
    load_test.add_argument(
        "--report", type=Path, required=True, help="where the JSON report is written"
    )
    load_test.add_argument(
        "--profile", help="a shape and thresholds of tests/load/profiles.toml (local, staging)"
    )
    load_test.add_argument(
        "--profiles", type=Path, help="the profiles file (default: tests/load/profiles.toml)"
    )
    load_test.add_argument(
        "--locustfile", type=Path, help="default: tests/load/locustfile.py of the checkout"
    )
    for flag, kind, what in (
        ("--users", int, "concurrent locust users (one admin, the rest customers)"),
        ("--spawn-rate", float, "users started per second"),
        ("--seconds", int, "how long the load runs"),
        ("--p95-ms", float, "bound of the aggregated 95th percentile"),
        ("--p99-ms", float, "bound of the aggregated 99th percentile"),
        ("--drain-seconds", float, "how long the orders placed may take to settle afterwards"),
    ):
        load_test.add_argument(flag, type=kind, help=f"{what} (default: the profile's)")
    users = commands.add_parser(
        "load-users",
        help="temporary load-test users in a Cognito pool and their tokens; or --delete them",
    )
    users.add_argument("--pool-id", required=True)
    users.add_argument("--region", required=True)
    users.add_argument("--client-id", help="the app client that signs them in (not for --delete)")
    users.add_argument("--count", type=int, help="how many customers (and one admin)")
    users.add_argument("--out", type=Path, help="the tokens file to write (mode 0600)")
    users.add_argument(
        "--prefix", help="their names' prefix, load-...; a random one if not given (not --delete)"
    )
    users.add_argument("--delete", action="store_true", help="delete every user under --prefix")
    users.add_argument("--endpoint-url", type=_http_url, help="an emulator (moto) instead of AWS")
    databases = commands.add_parser(
        "database-bootstrap",
        help="run every service's database bootstrap task, judge the exit codes, "
        "restart deployments that failed meanwhile",
    )
    databases.add_argument(
        "--spec",
        required=True,
        metavar="FILE",
        help="terraform output -json database_bootstrap: a file, or - for stdin",
    )
    databases.add_argument("--region", required=True)
    databases.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=database_bootstrap.DEFAULT_TIMEOUT_SECONDS,
        help="seconds the tasks may take before they are stopped and failed (default: 900)",
    )
    databases.add_argument(
        "--endpoint-url", type=_http_url, help="an emulator (moto) instead of AWS"
    )
    findings = commands.add_parser(
        "accepted-findings",
        help="pip-audit's --ignore-vuln flags for the accepted findings still in force",
    )
    findings.add_argument(
        "--file", type=Path, required=True, help="the ignore file (.github/audit/ignore.yaml)"
    )
    diff = commands.add_parser(
        "sbom-diff", help="an image's SBOM against the previous release's, as Markdown"
    )
    diff.add_argument("--title", required=True, help="what the SBOM is of, e.g. orders:<tag>")
    diff.add_argument("--new", type=Path, required=True, help="this release's SBOM")
    diff.add_argument("--old", type=Path, help="the previous release's SBOM (none: first release)")
    diff.add_argument("--previous", default="", help="what the previous release was, e.g. its tag")
    return top


def _accepted_findings(arguments: argparse.Namespace) -> int:
    today = datetime.datetime.now(tz=datetime.UTC).date()
    findings = accepted_findings.read(arguments.file)
    for finding in accepted_findings.expired(findings, today):
        print(
            f"delivery: the acceptance of {finding.id} expired on {finding.expires}: "
            "it counts again until someone decides anew",
            file=sys.stderr,
        )
    for flag in accepted_findings.ignore_flags(findings, today):
        print(flag)
    return 0


def _sbom_diff(arguments: argparse.Namespace) -> int:
    after = sbom.read(arguments.new)
    before = sbom.read(arguments.old) if arguments.old else None
    print(sbom_diff.summary(arguments.title, after, before, arguments.previous), end="")
    return 0


def _load_test(arguments: argparse.Namespace) -> int:
    root = arguments.root.resolve()
    settings = load.Settings.resolve(
        arguments.profiles or root / "tests" / "load" / "profiles.toml",
        arguments.profile,
        {
            "users": arguments.users,
            "spawn_rate": arguments.spawn_rate,
            "seconds": arguments.seconds,
            "p95_ms": arguments.p95_ms,
            "p99_ms": arguments.p99_ms,
            "drain_seconds": arguments.drain_seconds,
        },
    )
    report = load.run(
        arguments.url,
        arguments.tokens,
        settings,
        locustfile=arguments.locustfile or root / "tests" / "load" / "locustfile.py",
    )
    load.write_report(report, arguments.report)
    for line in report.lines():
        print(line)
    return 0 if report.passed else 1


def _on_cognito(call: Coroutine[Any, Any, T]) -> T:
    """Runs a call of load_users; whatever AWS raises (credentials, network) is its error."""
    try:
        return asyncio.run(call)
    except load_users.LoadUsersError:
        raise
    except Exception as error:
        raise load_users.LoadUsersError(f"{type(error).__name__}: {error}") from error


def _load_users(arguments: argparse.Namespace) -> int:
    empty = [flag for flag in ("pool_id", "region") if not getattr(arguments, flag)]
    if empty:
        raise ValueError(f"--{empty[0].replace('_', '-')} is empty")
    if arguments.delete:
        if arguments.prefix is None:
            raise ValueError("--delete needs the --prefix of the users to delete")
        prefix = load_users.checked_prefix(arguments.prefix)
        deleted = _on_cognito(
            load_users.delete(
                pool_id=arguments.pool_id,
                region=arguments.region,
                prefix=prefix,
                endpoint_url=arguments.endpoint_url,
            )
        )
        print(f"delivery: deleted {len(deleted)} users under {prefix}", file=sys.stderr)
        return 0
    missing = [
        flag
        for flag, value in (
            ("--client-id", arguments.client_id),
            ("--count", arguments.count),
            ("--out", arguments.out),
        )
        if value is None
    ]
    if missing:
        raise ValueError(f"load-users needs {', '.join(missing)} (or --delete)")
    prefix = load_users.checked_prefix(arguments.prefix or load_users.new_prefix())
    if not 1 <= arguments.count <= load_users.MAX_USERS:
        raise ValueError(f"--count must be 1 to {load_users.MAX_USERS}, not {arguments.count}")
    tokens = _on_cognito(
        load_users.create(
            pool_id=arguments.pool_id,
            client_id=arguments.client_id,
            region=arguments.region,
            count=arguments.count,
            prefix=prefix,
            endpoint_url=arguments.endpoint_url,
        )
    )
    load_users.write_tokens(arguments.out, tokens)
    print(
        f"delivery: {arguments.count} customers and an admin under {prefix}, "
        f"tokens in {arguments.out}",
        file=sys.stderr,
    )
    print(prefix)
    return 0


def _database_bootstrap(arguments: argparse.Namespace) -> int:
    if not AWS_REGION.fullmatch(arguments.region):
        raise ValueError(f"--region {arguments.region!r} is not an AWS region, e.g. eu-west-1")
    if not math.isfinite(arguments.timeout) or arguments.timeout <= 0:
        raise ValueError(f"--timeout must be a positive number of seconds, not {arguments.timeout}")
    if arguments.spec == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(arguments.spec).read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"cannot read the spec {arguments.spec}: {error.strerror}") from None
    spec = parse_spec(text)

    def report(line: str) -> None:
        print(line, flush=True)  # as each task ends: a deploy log shows progress

    succeeded = asyncio.run(
        database_bootstrap.bootstrap_on_aws(
            spec,
            region=arguments.region,
            endpoint_url=arguments.endpoint_url,
            time_limit=arguments.timeout,
            report=report,
        )
    )
    if not succeeded:
        print("bazaar-delivery: database-bootstrap failed (see above)", file=sys.stderr)
    return 0 if succeeded else 1


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        if arguments.command == "load-test":
            return _load_test(arguments)
        if arguments.command == "load-users":
            return _load_users(arguments)
        if arguments.command == "database-bootstrap":
            return _database_bootstrap(arguments)
        if arguments.command == "accepted-findings":
            return _accepted_findings(arguments)
        if arguments.command == "sbom-diff":
            return _sbom_diff(arguments)
        repository = Repository.at(arguments.root.resolve())
        if arguments.command == "services":
            print(json.dumps(repository.names))
        elif arguments.command == "changed":
            print(json.dumps(repository.changed(arguments.base, arguments.head)))
        elif arguments.command == "tags":
            print(json.dumps(repository.tags(arguments.head), sort_keys=True))
        elif arguments.command == "previous-tags":
            print(json.dumps(repository.previous_tags(arguments.head), sort_keys=True))
        elif arguments.command == "build-args":
            for key, value in repository.build_args(arguments.service).items():
                print(f"{key}={value}")
        else:
            for line in smoke.run(arguments.url, repository.services, within=arguments.within):
                print(line)
    except (GitError, KeyError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"bazaar-delivery: {message}", file=sys.stderr)
        return 2
    except smoke.SmokeFailed as failure:
        print(f"bazaar-delivery: the smoke test failed:\n{failure}", file=sys.stderr)
        return 1
    except load.LoadTestFailed as failure:
        print(f"bazaar-delivery: the load test failed: {failure}", file=sys.stderr)
        return 1
    except load_users.LoadUsersError as error:
        print(f"bazaar-delivery: load-users: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
