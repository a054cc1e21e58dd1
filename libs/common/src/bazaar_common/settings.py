"""Service configuration: every value from the environment, checked at start.

A service subclasses :class:`ServiceSettings`, adds its own fields and calls
:func:`load_settings` once in its app factory. A missing or invalid variable
stops the process with one line that names it, so a bad task definition fails
its deployment instead of serving errors.

``ENVIRONMENT`` has no default: it decides whether the production checks run,
so a process nobody told where it runs must not start (fail closed) rather
than assume a laptop and skip them.
"""

from __future__ import annotations

import sys
from enum import Enum, StrEnum
from typing import Annotated, TypeVar

from pydantic import (
    AfterValidator,
    Field,
    PostgresDsn,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bazaar_common.http.in_flight import DEFAULT_MAX_IN_FLIGHT_REQUESTS

# Passwords that ship in this repository for local use (compose, docs). They are
# public, so any environment other than `local` refuses to start with them.
KNOWN_LOCAL_SECRETS = frozenset({"bazaar", "postgres", "password", "changeme", "secret"})


class Environment(StrEnum):
    LOCAL = "local"
    TEST = "test"
    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"


def _asyncpg_scheme(url: PostgresDsn) -> PostgresDsn:
    if url.scheme != "postgresql+asyncpg":
        raise ValueError("must use the postgresql+asyncpg:// scheme")
    return url


AsyncpgUrl = Annotated[PostgresDsn, AfterValidator(_asyncpg_scheme)]
"""A DATABASE_URL the services' engines take: ``postgresql+asyncpg://`` only."""


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class ServiceSettings(BaseSettings):
    """What every service needs. Field names map to upper-case variables."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, case_sensitive=False)

    environment: Environment
    database_url: AsyncpgUrl = Field(repr=False)
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_read_pool_size: int = Field(
        default=10, ge=1, le=200, description="Connections of the hot reads' asyncpg pool"
    )
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    db_statement_timeout_ms: int = Field(default=5_000, ge=100, le=600_000)
    run_migrations: bool = True

    auth_issuer: str = Field(min_length=1)
    auth_jwks_url: str = ""
    auth_client_ids: Annotated[list[str], NoDecode] = Field(min_length=1)
    auth_leeway_seconds: int = Field(default=30, ge=0, le=300)
    auth_jwks_cooldown_seconds: float = Field(default=30.0, ge=0, le=3_600)
    auth_jwks_max_age_seconds: float = Field(default=3_600.0, gt=0, le=86_400)

    aws_region: str = Field(default="eu-west-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    aws_endpoint_url: str | None = Field(
        default=None, description="Set locally to the moto server; unset in AWS"
    )
    resource_prefix: str = Field(default="bazaar", pattern=r"^[a-z][a-z0-9-]{1,20}$")
    relay_enabled: bool = True
    point_to_point_receivers: dict[
        Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]{1,63}$")],
        Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")],
    ] = Field(
        default_factory=dict,
        description="JSON: event type -> the service that receives it point to point "
        "(the catalog's consumes_point_to_point); the relay sends those types to that "
        "service's queue as well as to the bus. Rendered from the catalog by Terraform "
        "and the local stacks; types the service does not publish are ignored.",
    )
    relay_poll_interval_seconds: float = Field(default=5.0, gt=0, le=300)
    outbox_retention_hours: float = Field(default=168.0, gt=0, le=24 * 90)
    consumers_enabled: bool = True
    consumer_concurrency: int = Field(default=8, ge=1, le=100)
    consumer_wait_seconds: int = Field(default=20, ge=0, le=20)
    stop_timeout_seconds: float = Field(default=15.0, gt=0, le=120)

    max_body_bytes: int = Field(default=64 * 1024, ge=1_024, le=10 * 1024 * 1024)
    max_in_flight_requests: int = Field(
        default=DEFAULT_MAX_IN_FLIGHT_REQUESTS,
        ge=1,
        le=10_000,
        description="Requests one process serves at once; past it, 503 with Retry-After at once",
    )
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    access_log: bool = True

    @field_validator("auth_client_ids", mode="before")
    @classmethod
    def _client_ids_from_csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("auth_issuer")
    @classmethod
    def _issuer_without_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _no_public_secrets_outside_local(self) -> ServiceSettings:
        if self.environment in (Environment.LOCAL, Environment.TEST):
            return self
        if self.database_url.hosts()[0].get("password") in KNOWN_LOCAL_SECRETS:
            raise ValueError(
                f"DATABASE_URL uses a published local password; "
                f"set a real secret for environment {self.environment.value!r}"
            )
        if not self.jwks_url.startswith("https://"):
            raise ValueError("AUTH_JWKS_URL must be https outside local and test")
        if self.aws_endpoint_url is not None:
            raise ValueError("AWS_ENDPOINT_URL points at an emulator; unset it outside local")
        return self

    @property
    def jwks_url(self) -> str:
        """Cognito publishes its keys under the issuer; override for other IdPs."""
        return self.auth_jwks_url or f"{self.auth_issuer}/.well-known/jwks.json"


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def describe_validation_error(
    error: ValidationError, settings_class: type[BaseSettings] | None = None
) -> str:
    """One line naming every bad variable, for a human reading task logs.

    With ``settings_class``, a missing variable that takes one of a few values
    lists them, so the line alone says how to fix the task definition.
    """
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        name = "_".join(str(part) for part in item["loc"]).upper() or "SETTINGS"
        choices = _choices(settings_class, item["loc"]) if item["type"] == "missing" else ""
        problems.append(f"{name}: {item['msg']}{choices}")
    return "; ".join(problems)


def _choices(settings_class: type[BaseSettings] | None, loc: tuple[int | str, ...]) -> str:
    field = settings_class.model_fields.get(str(loc[0])) if settings_class and loc else None
    kind = field.annotation if field else None
    if isinstance(kind, type) and issubclass(kind, Enum):
        return f", one of {', '.join(str(member.value) for member in kind)}"
    return ""


def load_settings(settings_class: type[SettingsT]) -> SettingsT:
    """Build settings from the environment or exit with status 2 and one line."""
    try:
        return settings_class()
    except ValidationError as error:
        problem = describe_validation_error(error, settings_class)
        print(f"configuration error: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
