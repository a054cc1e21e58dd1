"""A stand-in for Cognito's hosted UI: the OAuth 2.0 endpoints the browser app calls.

Cognito's hosted UI cannot run here (moto has none), so the app's
authorization code flow with PKCE is exercised against this: ``/oauth2/authorize``
checks what the app asks for and, as if the user signed in, sends the browser
back with a code; ``/oauth2/token`` gives the token only for that code, once,
with the verifier whose S256 challenge came with it; ``/logout`` sends the
browser back. The token it gives is a real one of the local pool, which the
services verify.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field

from aiohttp import web

from bazaar_common.testing.ports import free_port


@dataclass
class Grant:
    challenge: str
    redirect_uri: str


@dataclass
class AuthorizationServer:
    client_id: str
    redirect_uri: str
    access_token: str
    app_origin: str
    port: int = field(default_factory=free_port)
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens_given: int = 0
    refused: list[str] = field(default_factory=list)
    logouts: list[str] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> AuthorizationServer:
        app = web.Application()
        app.router.add_get("/oauth2/authorize", self._authorize)
        app.router.add_post("/oauth2/token", self._token)
        app.router.add_get("/logout", self._logout)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _authorize(self, request: web.Request) -> web.Response:
        asked = request.query
        expected = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "code_challenge_method": "S256",
        }
        wrong = [name for name, value in expected.items() if asked.get(name) != value]
        if wrong or not asked.get("code_challenge") or not asked.get("state"):
            self.refused.append(f"authorize: {wrong or 'no challenge or state'}")
            return web.json_response({"error": "invalid_request"}, status=400)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(asked["code_challenge"], asked["redirect_uri"])
        raise web.HTTPFound(f"{asked['redirect_uri']}?code={code}&state={asked['state']}")

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant = self.grants.pop(str(form.get("code")), None)  # a code works once
        verifier = str(form.get("code_verifier", ""))
        digest = hashlib.sha256(verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != self.client_id
            or form.get("redirect_uri") != grant.redirect_uri
            or challenge != grant.challenge
        ):
            self.refused.append("token: no such code, or the verifier does not match")
            return self._cors(web.json_response({"error": "invalid_grant"}, status=400))
        self.tokens_given += 1
        answer = {"access_token": self.access_token, "token_type": "Bearer", "expires_in": 3600}
        return self._cors(web.json_response(answer))

    async def _logout(self, request: web.Request) -> web.Response:
        self.logouts.append(request.query.get("client_id", ""))
        raise web.HTTPFound(request.query["logout_uri"])

    def _cors(self, response: web.Response) -> web.Response:
        # As Cognito's token endpoint: the app's origin may read the answer.
        response.headers["Access-Control-Allow-Origin"] = self.app_origin
        return response
