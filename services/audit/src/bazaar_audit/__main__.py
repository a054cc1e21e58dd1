"""Run the audit service: ``python -m bazaar_audit`` or ``bazaar-audit``."""

from __future__ import annotations

from bazaar_common.server import serve


def main() -> None:
    serve("bazaar_audit", "bazaar_audit.main:create_app")


if __name__ == "__main__":
    main()
