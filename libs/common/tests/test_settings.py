import pytest
from pydantic import ValidationError

from bazaar_common.settings import (
    Environment,
    ServiceSettings,
    describe_validation_error,
    load_settings,
)

VALID = {
    "ENVIRONMENT": "local",
    "DATABASE_URL": "postgresql+asyncpg://svc:s3cr3t-value@db.internal:5432/inventory",
    "AUTH_ISSUER": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/",
    "AUTH_CLIENT_IDS": "client-a, client-b",
}


@pytest.fixture
def environment(monkeypatch):
    for name in ("AUTH_JWKS_URL", *VALID):
        monkeypatch.delenv(name, raising=False)

    def apply(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return apply


def test_reads_every_value_from_the_environment(environment):
    environment(**{**VALID, "ENVIRONMENT": "prod"}, DB_POOL_SIZE="7")
    settings = ServiceSettings()
    assert settings.environment is Environment.PROD
    assert settings.db_pool_size == 7
    assert settings.auth_client_ids == ["client-a", "client-b"]
    assert settings.auth_issuer.endswith("eu-west-1_abc")
    assert settings.jwks_url == (
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json"
    )


def test_missing_variable_exits_with_one_line_naming_it(environment, capsys):
    environment(ENVIRONMENT="local", AUTH_ISSUER=VALID["AUTH_ISSUER"], AUTH_CLIENT_IDS="c")
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("configuration error: DATABASE_URL:")


def test_environment_has_no_default():
    assert ServiceSettings.model_fields["environment"].is_required()


def test_a_process_not_told_its_environment_exits_naming_it_and_its_values(environment, capsys):
    environment(**{name: value for name, value in VALID.items() if name != "ENVIRONMENT"})
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "configuration error: ENVIRONMENT: Field required, one of local, test, dev, staging, prod"
    ]


def test_a_missing_variable_without_fixed_values_lists_none(environment):
    environment(**{name: value for name, value in VALID.items() if name != "DATABASE_URL"})
    with pytest.raises(ValidationError) as error:
        ServiceSettings()
    assert describe_validation_error(error.value, ServiceSettings) == "DATABASE_URL: Field required"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "postgresql://u:p@h/db"),
        ("DATABASE_URL", "not a url"),
        ("DB_POOL_SIZE", "0"),
        ("DB_POOL_SIZE", "many"),
        ("MAX_BODY_BYTES", "-1"),
        ("LOG_LEVEL", "LOUD"),
        ("ENVIRONMENT", "moon"),
        ("AUTH_CLIENT_IDS", " , "),
    ],
)
def test_invalid_value_is_named(environment, name, value):
    environment(**{**VALID, name: value})
    with pytest.raises(ValidationError, match=name.lower()) as error:
        ServiceSettings()
    assert describe_validation_error(error.value).startswith(f"{name}:")


@pytest.mark.parametrize("environment_name", ["dev", "staging", "prod"])
def test_published_local_password_is_refused_outside_local(environment, environment_name):
    local_password = "postgresql+asyncpg://bazaar:bazaar@db/inventory"
    environment(**{**VALID, "DATABASE_URL": local_password, "ENVIRONMENT": environment_name})
    with pytest.raises(ValueError, match="published local password"):
        ServiceSettings()


@pytest.mark.parametrize("environment_name", ["local", "test"])
def test_published_local_password_is_fine_locally(environment, environment_name):
    local_password = "postgresql+asyncpg://bazaar:bazaar@db/inventory"
    environment(**{**VALID, "DATABASE_URL": local_password, "ENVIRONMENT": environment_name})
    assert ServiceSettings().environment.value == environment_name


def test_plain_http_jwks_is_refused_outside_local(environment):
    environment(**{**VALID, "ENVIRONMENT": "prod"}, AUTH_JWKS_URL="http://keys.example/jwks.json")
    with pytest.raises(ValueError, match="https"):
        ServiceSettings()


def test_database_password_is_not_in_the_repr(environment):
    environment(**VALID)
    assert "s3cr3t-value" not in repr(ServiceSettings())


def test_point_to_point_receivers_are_json_from_the_environment(environment):
    environment(**VALID, POINT_TO_POINT_RECEIVERS='{"ReserveStock": "inventory"}')
    assert ServiceSettings().point_to_point_receivers == {"ReserveStock": "inventory"}

    environment(POINT_TO_POINT_RECEIVERS='{"reserve-stock": "Inventory"}')
    with pytest.raises(ValidationError, match="point_to_point_receivers"):
        ServiceSettings()
