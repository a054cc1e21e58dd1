"""Why a token was refused, as problems a client understands (RFC 6750)."""

from __future__ import annotations

from bazaar_common.errors import ServiceUnavailable, Unauthorized


class MissingToken(Unauthorized):
    """No credentials at all: RFC 6750 says to answer without an error code."""

    def __init__(self) -> None:
        super().__init__(
            "This endpoint needs a Bearer access token.",
            headers={"WWW-Authenticate": 'Bearer realm="bazaar"'},
        )


class InvalidToken(Unauthorized):
    code = "invalid-token"
    title = "Invalid access token"

    def __init__(self, reason: str) -> None:
        # The reason is one of a fixed set of phrases, never token content, so
        # it is safe to put in a header.
        super().__init__(
            f"The access token was refused: {reason}.",
            headers={
                "WWW-Authenticate": (
                    f'Bearer realm="bazaar", error="invalid_token", error_description="{reason}"'
                )
            },
        )
        self.reason = reason


class KeysUnavailable(ServiceUnavailable):
    code = "auth-keys-unavailable"
    title = "Token keys unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The identity provider's signing keys cannot be fetched; retry shortly.",
            retry_after_seconds=5,
        )
