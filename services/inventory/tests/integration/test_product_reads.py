"""The read pool's statements agree with the migrated schema (``adapters.product_reads``).

They are compiled from ``tables``; preparing each (every filter shape of the
catalog page included) on the real, migrated database catches what that
cannot: a table that no longer matches its migrations, a column renamed on
one side only, a parameter of the wrong type.
"""

from __future__ import annotations

import pytest

from bazaar_inventory.adapters.product_reads import PRODUCT_WITH_AVAILABILITY, every_page_statement

STATEMENTS = (PRODUCT_WITH_AVAILABILITY, *every_page_statement())


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda statement: statement.name)
async def test_each_statement_prepares_on_the_migrated_schema(app, statement):
    async with app.state.read_pool.connection() as connection:
        prepared = await connection.prepare(statement.sql)
        columns = tuple(attribute.name for attribute in prepared.get_attributes())
        parameters = prepared.get_parameters()
    assert columns == statement.columns
    assert len(parameters) == len(statement.parameters)


def test_every_filter_shape_has_its_own_statement():
    assert len({statement.sql for statement in STATEMENTS}) == len(STATEMENTS) == 1 + 2**5 * 3
