"""A SELECT built with SQLAlchemy Core, compiled once to the SQL asyncpg runs.

The hot reads (``read_pool``) skip SQLAlchemy at request time but not at
import: each statement is written against the service's ``tables`` and
compiled once, so a renamed or dropped column fails at import, and the
service's drift test prepares every statement on a migrated database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql import Select

_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class ReadStatement:
    """SQL with ``$n`` placeholders and the names of the bound values, in ``$n`` order."""

    name: str
    sql: str
    parameters: tuple[str, ...]
    columns: tuple[str, ...]

    @classmethod
    def of(cls, name: str, statement: Select[object]) -> ReadStatement:
        """``statement`` compiled for asyncpg; its values are ``bindparam``s named once each."""
        compiled = statement.compile(dialect=_DIALECT)
        parameters = tuple(compiled.positiontup or ())
        if len(set(parameters)) != len(parameters):
            raise ValueError(f"{name}: a bindparam appears twice; asyncpg binds by position")
        columns = tuple(str(column.key) for column in statement.selected_columns)
        return cls(name, str(compiled), parameters, columns)

    def arguments(self, values: Mapping[str, object]) -> list[object]:
        return [values[parameter] for parameter in self.parameters]
