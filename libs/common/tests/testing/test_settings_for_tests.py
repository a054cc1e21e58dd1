"""Test settings: production validation, the test's database and issuer, quiet logs."""

from __future__ import annotations

import pydantic
import pytest

from bazaar_common.settings import Environment, ServiceSettings
from bazaar_common.testing.settings import make_test_settings

URL = "postgresql+asyncpg://bazaar:secret@127.0.0.1:5432/sample_test"


class SampleSettings(ServiceSettings):
    greeting: str = "hello"


def test_the_settings_point_at_the_test_database_and_issuer(jwks_server):
    settings = make_test_settings(SampleSettings, URL, jwks_server, greeting="hi")
    assert isinstance(settings, SampleSettings)
    assert settings.environment is Environment.TEST
    assert str(settings.database_url) == URL
    assert settings.auth_issuer == jwks_server.issuer_url
    assert settings.auth_client_ids == [jwks_server.issuer.client_id]
    assert (settings.access_log, settings.log_level) == (False, "WARNING")
    assert settings.greeting == "hi"


def test_overrides_win_even_over_the_defaults_and_are_validated(jwks_server):
    settings = make_test_settings(SampleSettings, URL, jwks_server, log_level="ERROR")
    assert settings.log_level == "ERROR"
    with pytest.raises(pydantic.ValidationError):
        make_test_settings(SampleSettings, URL, jwks_server, log_level="LOUD")
