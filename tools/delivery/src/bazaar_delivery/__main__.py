"""``python -m bazaar_delivery``: the repository's answers for CI and deploys.

Every answer goes to stdout in a form a workflow step can use directly (a
JSON value, or KEY=VALUE lines); diagnostics go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bazaar_delivery import smoke
from bazaar_delivery.git import GitError
from bazaar_delivery.images import DEVSTACK, Repository


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
    return top


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        repository = Repository.at(arguments.root.resolve())
        if arguments.command == "services":
            print(json.dumps(repository.names))
        elif arguments.command == "changed":
            print(json.dumps(repository.changed(arguments.base, arguments.head)))
        elif arguments.command == "tags":
            print(json.dumps(repository.tags(arguments.head), sort_keys=True))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
