"""FastAPI dependencies: who is calling, and may they."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from bazaar_common.auth.errors import InvalidToken, MissingToken
from bazaar_common.auth.principal import Principal, Role
from bazaar_common.auth.verifier import TokenVerifier
from bazaar_common.errors import Forbidden

# Declared for the OpenAPI document only; the header is parsed below so every
# refusal is our own problem response.
_bearer_scheme = HTTPBearer(auto_error=False, description="Cognito access token")


async def current_principal(
    request: Request, _: Annotated[object, Depends(_bearer_scheme)] = None
) -> Principal:
    authorization = request.headers.get("authorization")
    if not authorization:
        raise MissingToken()
    scheme, _separator, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer":
        # Another scheme is no Bearer credential at all (RFC 6750 section 3.1).
        raise MissingToken()
    if not token:
        raise InvalidToken("malformed token")
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(token)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_role(role: Role) -> Callable[[Principal], Awaitable[Principal]]:
    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(role):
            raise Forbidden(f"This action needs the {role.value} role.")
        return principal

    return principal_with_role


AdminPrincipal = Annotated[Principal, Depends(require_role(Role.ADMIN))]
