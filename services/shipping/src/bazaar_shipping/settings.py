"""Shipping configuration: the shared service settings, nothing more yet."""

from __future__ import annotations

from bazaar_common.settings import ServiceSettings


class ShippingSettings(ServiceSettings):
    pass
