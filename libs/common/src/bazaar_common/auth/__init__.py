"""Validation of Cognito access tokens, done by every service itself."""

from bazaar_common.auth.dependencies import (
    AdminPrincipal,
    CurrentPrincipal,
    current_principal,
    require_role,
)
from bazaar_common.auth.principal import Principal, Role

__all__ = [
    "AdminPrincipal",
    "CurrentPrincipal",
    "Principal",
    "Role",
    "current_principal",
    "require_role",
]
