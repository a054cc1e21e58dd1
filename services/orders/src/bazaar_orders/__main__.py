"""Run the orders service: ``python -m bazaar_orders`` or ``bazaar-orders``."""

from __future__ import annotations

from bazaar_common.server import serve


def main() -> None:
    serve("bazaar_orders", "bazaar_orders.main:create_app")


if __name__ == "__main__":
    main()
