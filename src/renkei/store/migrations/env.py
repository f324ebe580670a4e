"""Alembic environment: runs on the connection renkei hands over, or on the URL of the Alembic config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from renkei.store.engine import make_engine
from renkei.store.schema import Base
from renkei.store.search import include_name

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as new_connection:
        run(new_connection)
    engine.dispose()
