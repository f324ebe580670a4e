"""The store's schema migrations: upgrades from empty, models and migrations agreeing, outdated databases."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from renkei.store import Store, StoreError
from renkei.store.schema import Base
from renkei.store.search import include_name

pytest_plugins = ["store_support"]  # the shared fixtures


# 9. Migrations ----------------------------------------------------------------------------------------------


def test_upgrade_from_empty_through_the_store(db_url: str) -> None:
    with Store.open(db_url, create=False) as store:
        assert store.schema_state() == "empty"
        store.upgrade()
        assert store.schema_state() == "current"
        with store.engine.connect() as connection:
            assert set(Base.metadata.tables) < set(inspect(connection).get_table_names())
        store.upgrade()  # idempotent
        assert store.schema_state() == "current"


def test_upgrade_from_empty_with_the_alembic_command(db_url: str) -> None:
    with Store.open(db_url, create=False) as store:
        assert store.schema_state() == "empty"
        config = store.alembic_config()
        command.upgrade(config, "head")
        assert store.schema_state() == "current"
        heads = ScriptDirectory.from_config(config).get_heads()
        with store.engine.connect() as connection:
            assert set(MigrationContext.configure(connection).get_current_heads()) == set(heads)
        command.check(config)  # autogenerate would find no new upgrade operations
    with Store.open(db_url) as reopened:  # and the store accepts the database as its own
        assert reopened.spheres() == []


def test_models_and_migrations_agree(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_an_outdated_database_is_refused_until_upgraded(db_url: str) -> None:
    with Store.open(db_url, create=False) as store:
        command.upgrade(store.alembic_config(), "head")
        command.downgrade(store.alembic_config(), "base")
        with store.engine.connect() as connection:
            assert inspect(connection).get_table_names() == ["alembic_version"]
        assert store.schema_state() == "outdated"
    with pytest.raises(StoreError) as refused:
        Store.open(db_url)
    assert refused.value.code == "db-outdated"
