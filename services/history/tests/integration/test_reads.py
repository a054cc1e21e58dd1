"""The read pool's statements agree with the migrated schema (``adapters.reads``).

They are compiled from ``tables`` at import; preparing each on the real,
migrated database catches what that cannot: a table that no longer matches
its migrations, a column renamed on one side only, a parameter of the wrong type.
"""

from __future__ import annotations

import pytest

from bazaar_history.adapters.reads import STATEMENTS


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda statement: statement.name)
async def test_each_statement_prepares_on_the_migrated_schema(app, statement):
    async with app.state.read_pool.connection() as connection:
        prepared = await connection.prepare(statement.sql)
        columns = tuple(attribute.name for attribute in prepared.get_attributes())
        parameters = prepared.get_parameters()
    assert columns == statement.columns
    assert len(parameters) == len(statement.parameters)
