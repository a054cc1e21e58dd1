"""DATABASE_URL as asyncpg itself takes it, for the connections made without SQLAlchemy.

DATABASE_URL is SQLAlchemy's (``postgresql+asyncpg://...?ssl=require``): the
dialect hands ``ssl`` to asyncpg as a keyword. asyncpg's own DSN parser knows
``sslmode`` instead and sends any parameter it does not know to the server as
a setting, where ``ssl`` is refused at connect (a server-wide parameter). So
the read pool and the LISTEN connections get the driver prefix dropped and
``ssl`` renamed.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bazaar_common.settings import ServiceSettings


def asyncpg_dsn(settings: ServiceSettings) -> str:
    url = urlsplit(str(settings.database_url).replace("postgresql+asyncpg://", "postgresql://", 1))
    query = [
        ("sslmode" if name == "ssl" else name, value)
        for name, value in parse_qsl(url.query, keep_blank_values=True)
    ]
    return urlunsplit(url._replace(query=urlencode(query)))
