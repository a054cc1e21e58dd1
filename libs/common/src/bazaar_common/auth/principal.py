"""Who is calling, as far as the services care."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    CUSTOMER = "customer"


# Cognito groups (`cognito:groups`) that grant a role; other groups grant none.
GROUP_ROLES: Mapping[str, Role] = {"admins": Role.ADMIN, "customers": Role.CUSTOMER}


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    username: str
    client_id: str
    roles: frozenset[Role]
    scopes: frozenset[str]

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        groups = claims.get("cognito:groups") or []
        scope = claims.get("scope") or ""
        return cls(
            subject=str(claims["sub"]),
            username=str(claims.get("username") or claims["sub"]),
            client_id=str(claims["client_id"]),
            roles=frozenset(
                GROUP_ROLES[g] for g in groups if isinstance(g, str) and g in GROUP_ROLES
            ),
            scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset(),
        )
