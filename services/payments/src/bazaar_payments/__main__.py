"""Run the payments service: ``python -m bazaar_payments`` or ``bazaar-payments``."""

from __future__ import annotations

from bazaar_common.server import serve


def main() -> None:
    serve("bazaar_payments", "bazaar_payments.main:create_app")


if __name__ == "__main__":
    main()
