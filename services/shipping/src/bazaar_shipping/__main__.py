"""Run the shipping service: ``python -m bazaar_shipping`` or ``bazaar-shipping``."""

from __future__ import annotations

from bazaar_common.server import serve


def main() -> None:
    serve("bazaar_shipping", "bazaar_shipping.main:create_app")


if __name__ == "__main__":
    main()
