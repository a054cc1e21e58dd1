"""The constraint naming convention every service's schema uses.

Constraint names live on in every database already migrated, and the
schema-compare tests check the metadata against the migrations, so these
patterns must never change: a new convention would need a migration that
renames every constraint of every service.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from sqlalchemy import MetaData

NAMING_CONVENTION: Final = MappingProxyType(
    {
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    }
)


def service_metadata() -> MetaData:
    """A fresh ``MetaData`` naming its constraints by :data:`NAMING_CONVENTION`."""
    return MetaData(naming_convention=dict(NAMING_CONVENTION))
