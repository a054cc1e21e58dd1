"""Clients of the emulator (moto) the platform was applied to: never AWS itself."""

from __future__ import annotations

import re
from contextlib import AbstractAsyncContextManager
from typing import Any

from aiobotocore.session import get_session

# moto accepts any key; these are its documented fake ones. The runner
# passes them explicitly so it can never pick up real credentials.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/?$")


def checked_url(url: str) -> str:
    if not LOOPBACK.fullmatch(url):
        raise ValueError(f"{url!r} is not an emulator on loopback (http://127.0.0.1:<port>)")
    return url.rstrip("/")


def client(name: str, url: str, region: str) -> AbstractAsyncContextManager[Any]:
    return get_session().create_client(  # type: ignore[no-any-return]
        name, region_name=region, endpoint_url=url, **FAKE_CREDENTIALS
    )
