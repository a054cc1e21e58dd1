"""What one service's database bootstrap task is told, from its environment."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_ARN = r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$"  # noqa: S105 - a pattern
# The roles are named after the database with a suffix; PostgreSQL names
# stop at 63 bytes.
DATABASE_NAME = r"^[a-z][a-z0-9_]{0,50}$"


class SslMode(StrEnum):
    """TLS to the database: Aurora here refuses plain connections (rds.force_ssl)."""

    REQUIRE = "require"
    DISABLE = "disable"


class BootstrapSettings(BaseSettings):
    """Everything comes from variables the task definition sets; nothing is secret here.

    The master password is read from ``MASTER_SECRET_ARN`` at run time, never
    passed in the environment, so it shows in no task description.
    """

    model_config = SettingsConfigDict(extra="ignore", frozen=True, case_sensitive=False)

    database_host: str = Field(min_length=1, max_length=253)
    database_port: int = Field(default=5432, ge=1, le=65_535)
    database_name: str = Field(pattern=DATABASE_NAME)
    database_ssl: SslMode = SslMode.REQUIRE
    master_secret_arn: str = Field(pattern=SECRET_ARN)
    owner_secret_arn: str = Field(pattern=SECRET_ARN)
    app_secret_arn: str = Field(pattern=SECRET_ARN)
    aws_region: str = Field(default="eu-west-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    aws_endpoint_url: str | None = None
    # New passwords for both roles even when the stored ones work: a rotation.
    rotate_passwords: bool = False

    @field_validator("database_host")
    @classmethod
    def _host_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9.-]+", value):
            raise ValueError("must be a DNS name or an IPv4 address")
        return value

    @property
    def owner_role(self) -> str:
        """Owns the database and its schema; the migrations run as it."""
        return f"{self.database_name}_owner"

    @property
    def app_role(self) -> str:
        """What the service serves requests as: rows only, never the schema."""
        return f"{self.database_name}_app"
