"""The browser app at the gateway, as CloudFront serves it in AWS.

In AWS, CloudFront sends the API paths to the ALB and every other path to
the app's bucket. Locally the gateway plays both: the catalog's routes as
before, and at every path no route takes the built app (``web/dist``):
``/assets/*`` with its hashed names cached for a year, any other path
without a file the app's ``index.html`` (its own router draws the page),
``/config.json`` from the file the local stack writes (how to sign in here),
and ``/local-cognito/``: the one Cognito call the local sign-in makes
(``InitiateAuth``, a name and password for a token) passed to the emulator,
nothing else of it. The same security headers as CloudFront's policy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bazaar_devstack.gateway.problems import Problem
from bazaar_devstack.gateway.settings import Target

LOCAL_COGNITO_PATH = "/local-cognito/"
SIGN_IN_TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
# As infra/terraform/modules/web's response headers policy: scripts, styles
# and calls of this origin only (and the hosted UI's token endpoint, when the
# config names one), never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'{sign_in}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
# What a Vite build holds; nginx's own mime.types is not read (our config is
# the whole config), and browsers refuse scripts and styles as text/plain.
MIME_TYPES = {
    "text/html": "html",
    "text/css": "css",
    "text/javascript": "js mjs",
    "application/json": "json map",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/webp": "webp",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
}
ASSETS_CACHE = "public, max-age=31536000, immutable"
# index.html and config.json name what changes with a release: never stale.
PAGE_CACHE = "no-cache"


@dataclass(frozen=True)
class WebApp:
    root: Path
    """The built app: index.html and assets/."""
    config: Mapping[str, object]
    """The app's /config.json, answered from nginx's memory: as root, nginx's
    workers run as nobody and may not read a file in a private folder."""
    cognito: Target | None = None
    """The local Cognito (moto) that /local-cognito/ passes sign-ins to."""

    def __post_init__(self) -> None:
        if not (self.root / "index.html").is_file():
            raise ValueError(f"{self.root} has no index.html: build the app (make web)")

    def locations(self) -> str:
        """The nginx locations for the app, put after the routes' own."""
        root = _quoted(str(self.root.resolve()))
        lines = [
            "location = /config.json {",
            "    default_type application/json;",
            *self._headers(PAGE_CACHE),
            f"    return 200 '{_single_quoted(json.dumps(self.config))}';",
            "}",
            "location ^~ /assets/ {",
            f"    root {root};",
            *_types(),
            *self._headers(ASSETS_CACHE),
            "}",
        ]
        if self.cognito is not None:
            lines += self._sign_in()
        lines += [
            "location / {  # CloudFront's default behaviour: the app's bucket",
            f"    root {root};",
            *_types(),
            "    try_files $uri /index.html;",
            *self._headers(PAGE_CACHE),
            "}",
        ]
        return "\n".join(lines)

    def content_security_policy(self) -> str:
        auth = self.config.get("auth")
        authority = urlsplit(str(auth.get("authority", ""))) if isinstance(auth, dict) else None
        if authority is None or not authority.netloc:
            return CONTENT_SECURITY_POLICY.format(sign_in="")
        return CONTENT_SECURITY_POLICY.format(sign_in=f" {authority.scheme}://{authority.netloc}")

    def _headers(self, cache: str) -> list[str]:
        every = {
            "Content-Security-Policy": self.content_security_policy(),
            **SECURITY_HEADERS,
            "Cache-Control": cache,
        }
        return [f'    add_header {name} "{value}" always;' for name, value in every.items()]

    def _sign_in(self) -> list[str]:
        assert self.cognito is not None
        refused = Problem.for_status(403, "Only the sign-in call passes to the local Cognito.")
        return [
            f"location = {LOCAL_COGNITO_PATH} {{",
            "    default_type application/problem+json;",
            "    if ($request_method != POST) {",
            f"        return 403 '{refused.body()}';",
            "    }",
            f'    if ($http_x_amz_target != "{SIGN_IN_TARGET}") {{',
            f"        return 403 '{refused.body()}';",
            "    }",
            f"    proxy_pass {self.cognito.url}/;",
            "    proxy_set_header Host $proxy_host;",
            "}",
        ]


def _types() -> list[str]:
    return [
        "    types {",
        *(f"        {kind} {suffixes};" for kind, suffixes in MIME_TYPES.items()),
        "    }",
    ]


def _single_quoted(text: str) -> str:
    """JSON inside nginx's single quotes: no quote to end it, no variable to expand."""
    if "'" in text or "\\" in text or "$" in text:
        raise ValueError(f"config not safe for nginx: {text!r}")
    return text


def _quoted(text: str) -> str:
    if '"' in text or "\\" in text or "$" in text:
        raise ValueError(f"path not safe for nginx: {text!r}")
    return f'"{text}"'
