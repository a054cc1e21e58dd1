"""Run the history service: ``python -m bazaar_history`` or ``bazaar-history``."""

from __future__ import annotations

from bazaar_common.server import serve


def main() -> None:
    serve("bazaar_history", "bazaar_history.main:create_app")


if __name__ == "__main__":
    main()
