"""The shared naming convention: constraint names existing databases already hold."""

from __future__ import annotations

import pytest
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Table, UniqueConstraint
from sqlalchemy.schema import CreateIndex, CreateTable

from bazaar_common.db.naming import NAMING_CONVENTION, service_metadata


def test_constraints_get_the_names_the_migrations_use():
    metadata = service_metadata()
    Table("parents", metadata, Column("id", Integer, primary_key=True))
    children = Table(
        "children",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", Integer, ForeignKey("parents.id")),
        Column("code", Integer),
        UniqueConstraint("code"),
        CheckConstraint("code > 0", name="code_positive"),
        Index(None, "parent_id"),
    )
    ddl = str(CreateTable(children))
    assert "CONSTRAINT pk_children PRIMARY KEY" in ddl
    assert "CONSTRAINT fk_children_parent_id FOREIGN KEY" in ddl
    assert "CONSTRAINT uq_children_code UNIQUE" in ddl
    assert "CONSTRAINT ck_children_code_positive CHECK" in ddl
    (index,) = children.indexes
    assert str(CreateIndex(index)).startswith("CREATE INDEX ix_children_parent_id")


def test_each_metadata_is_fresh_and_the_convention_cannot_be_changed():
    first, second = service_metadata(), service_metadata()
    Table("only_in_first", first, Column("id", Integer, primary_key=True))
    assert "only_in_first" not in second.tables
    assert first.naming_convention == dict(NAMING_CONVENTION)
    with pytest.raises(TypeError):
        NAMING_CONVENTION["pk"] = "other_%(table_name)s"  # type: ignore[index]
