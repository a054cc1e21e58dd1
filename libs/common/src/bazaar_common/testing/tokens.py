"""Cognito-shaped access tokens signed with keys the test controls.

:class:`TokenIssuer` holds RSA keys and mints tokens; :class:`JwksServer`
publishes its public keys over real HTTP, counts fetches and can be taken
down, so services verify test tokens exactly as they verify Cognito's.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bazaar_common.testing.ports import free_port

CLIENT_ID = "bazaar-test-client"


@dataclass(frozen=True)
class Caller:
    """Someone calling a service: the headers of their token and the subject it names."""

    headers: dict[str, str]
    subject: str


@dataclass
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


class TokenIssuer:
    def __init__(self, issuer: str, client_id: str = CLIENT_ID) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.keys = [SigningKey(kid="test-key-1")]

    @property
    def current_key(self) -> SigningKey:
        return self.keys[-1]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.keys]}

    def rotate(self) -> SigningKey:
        """Publish a new key and sign with it from now on; old keys stay published."""
        key = SigningKey(kid=f"test-key-{len(self.keys) + 1}")
        self.keys.append(key)
        return key

    def claims(self, username: str, groups: list[str], **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.issuer}/{username}")),
            "username": username,
            "cognito:groups": groups,
            "iss": self.issuer,
            "client_id": self.client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "auth_time": now,
            "iat": now,
            "exp": now + 3_600,
            "jti": str(uuid.uuid4()),
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def mint(
        self,
        username: str = "alice",
        groups: list[str] | None = None,
        *,
        key: SigningKey | None = None,
        headers: dict[str, Any] | None = None,
        **overrides: Any,
    ) -> str:
        """A signed token; pass a claim as None to leave it out."""
        signing_key = key or self.current_key
        return jwt.encode(
            self.claims(username, groups if groups is not None else ["customers"], **overrides),
            signing_key.private_key,
            algorithm="RS256",
            headers={"kid": signing_key.kid, **(headers or {})},
        )

    def caller(self, username: str, groups: list[str]) -> Caller:
        """``username`` of ``groups`` with a fresh token (the subject is stable per name)."""
        return Caller(
            headers={"Authorization": f"Bearer {self.mint(username, groups)}"},
            subject=self.claims(username, groups)["sub"],
        )

    def admin_token(self, username: str = "ada") -> str:
        return self.mint(username, ["admins"])

    def customer_token(self, username: str = "alice") -> str:
        return self.mint(username, ["customers"])


class JwksServer:
    """Serves an issuer's JWKS at ``/.well-known/jwks.json`` on a loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.issuer_url = f"http://127.0.0.1:{self.port}"
        self.issuer = TokenIssuer(self.issuer_url)
        self.fetch_count = 0
        self.available = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/.well-known/jwks.json":
                    self.send_error(404)
                    return
                owner.fetch_count += 1
                if not owner.available:
                    self.send_error(503)
                    return
                body = json.dumps(owner.issuer.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

    def start(self) -> JwksServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
