"""A service's settings as its tests run it: the test database, the test issuer, quiet logs."""

from __future__ import annotations

from typing import TypeVar

from bazaar_common.settings import Environment, ServiceSettings
from bazaar_common.testing.tokens import JwksServer

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def make_test_settings(
    settings_class: type[SettingsT],
    database_url: str,
    jwks: JwksServer,
    /,
    **overrides: object,
) -> SettingsT:
    """``settings_class`` validated as in production, with the test's values and ``overrides``.

    Positional-only, so ``overrides`` may replace even ``database_url``.
    (Not named ``test_*``: pytest would collect it from any test module importing it.)
    """
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "auth_issuer": jwks.issuer_url,
        "auth_client_ids": [jwks.issuer.client_id],
        "access_log": False,
        "log_level": "WARNING",
        **overrides,
    }
    return settings_class.model_validate(values)
