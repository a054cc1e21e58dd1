"""``python -m bazaar_scaffold new <name> [--consumes A,B]`` (``make new-service``).

Exit status 2, one line on stderr and nothing written when the name or an
event type is refused.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bazaar_scaffold.generate import plan, tidy, write
from bazaar_scaffold.refusal import Refusal

REFUSED = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bazaar_scaffold")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new", help="a new domain service from the template")
    new.add_argument("name", help="2-16 lower-case letters and digits, starting with a letter")
    new.add_argument("--consumes", default="", help="event types it consumes: A,B")
    new.add_argument("--root", type=Path, default=Path.cwd(), help="the repository's root")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    consumes = [name.strip() for name in arguments.consumes.split(",") if name.strip()]
    root = arguments.root.resolve()
    try:
        files = plan(root, arguments.name, consumes, datetime.now(UTC))
    except Refusal as refusal:
        print(f"new-service: {refusal}", file=sys.stderr)
        return REFUSED
    write(files)
    tidy(sorted(files))
    for path in sorted(files):
        print(f"wrote {path.relative_to(root)}")
    print(
        "then: uv lock && uv sync --all-packages (make new-service runs both), "
        f"and uv run pytest services/{arguments.name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
