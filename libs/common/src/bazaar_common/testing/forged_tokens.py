"""Hand-made JWTs for hostile-token tests: the forgeries PyJWT refuses to produce.

PyJWT only writes well-formed tokens: it will not sign with ``alg: none``,
refuses to use an RSA public key as an HMAC secret, and insists on a string
``kid``. Tests that check a verifier turns such tokens away need them all
the same, so this module builds them from the raw segments.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from bazaar_common.testing.tokens import SigningKey


def b64url(data: bytes) -> str:
    """Base64url without padding, as JWT segments are written."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(segment: str) -> bytes:
    """The bytes of a JWT segment, whatever padding it lost."""
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def json_segment(value: object) -> str:
    """Any JSON value as a JWT segment, objects or not."""
    return b64url(json.dumps(value).encode())


def _signing_input(header: Mapping[str, object], claims: Mapping[str, object]) -> str:
    return f"{json_segment(dict(header))}.{json_segment(dict(claims))}"


def signed_by_hand(
    header: Mapping[str, object], claims: Mapping[str, object], key: SigningKey
) -> str:
    """Properly RS256-signed by ``key``, with any header (e.g. a non-string kid)."""
    message = _signing_input(header, claims)
    signature = key.private_key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{message}.{b64url(signature)}"


def unsigned(header: Mapping[str, object], claims: Mapping[str, object]) -> str:
    """No signature at all, the ``alg: none`` style: the header says what it says."""
    return f"{_signing_input(header, claims)}."


def hmac_with_public_key(
    header: Mapping[str, object], claims: Mapping[str, object], key: SigningKey
) -> str:
    """The key-confusion forgery: HMAC-SHA256 keyed with ``key``'s public PEM.

    Anyone can compute it, since the key is published; pass ``alg: HS256`` in
    the header to invite a verifier to check it with that same public key.
    """
    pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    message = _signing_input(header, claims)
    signature = hmac.new(pem, message.encode(), hashlib.sha256).digest()
    return f"{message}.{b64url(signature)}"


def with_claims_changed(token: str, **changes: object) -> str:
    """The same header and signature over a payload the attacker edited."""
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    return f"{header}.{json_segment({**claims, **changes})}.{signature}"


def with_signature_flipped(token: str) -> str:
    """The same header and payload, with one bit of the signature flipped."""
    header, payload, signature = token.split(".")
    raw = bytearray(b64url_decode(signature))
    raw[0] ^= 0x01
    return f"{header}.{payload}.{b64url(bytes(raw))}"
