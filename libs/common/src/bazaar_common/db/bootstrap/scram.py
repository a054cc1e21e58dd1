"""SCRAM-SHA-256 password verifiers, computed here so a password never reaches the server.

``ALTER ROLE ... PASSWORD 'SCRAM-SHA-256$...'`` stores the verifier as given
(RFC 5802, RFC 7677; PostgreSQL's ``pg_authid.rolpassword`` format). The
statement is what the server sees and what Aurora's ``log_statement = ddl``
writes to its log: with a verifier there, the log holds nothing a client
could sign in with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# PostgreSQL's own default (scram_iterations, PG 16).
ITERATIONS = 4096
SALT_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def scram_sha256_verifier(
    password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS
) -> str:
    """``SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>``."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    return f"SCRAM-SHA-256${iterations}:{_b64(salt)}${_b64(stored_key)}:{_b64(server_key)}"
