"""Run the inventory service: ``python -m bazaar_inventory`` or ``bazaar-inventory``."""

from __future__ import annotations

from bazaar_common.server import serve


def main() -> None:
    serve("bazaar_inventory", "bazaar_inventory.main:create_app")


if __name__ == "__main__":
    main()
