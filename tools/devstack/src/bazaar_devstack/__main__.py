"""``python -m bazaar_devstack``: the local runtime's commands (filled in as they land)."""

from __future__ import annotations

import sys


def main() -> int:
    print("usage: python -m bazaar_devstack.<command>", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
