"""Alembic environment: the URL comes from the app settings (or an explicit connection in tests)."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import agentic_shop.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from agentic_shop.db.server import database_url

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:  # the caller (tests, `shop reset`) owns connection and transaction
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, transaction_per_migration=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: seed data needs a live database.")
run_migrations_online()
