"""Alembic driven from code: `shop migrate`, `shop reset` and the tests use these."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from agentic_shop.db.engine import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(connection: Connection | None = None, data_dir: Path | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    if data_dir is not None:
        config.attributes["data_dir"] = data_dir
    return config


def upgrade(
    revision: str = "head", connection: Connection | None = None, data_dir: Path | None = None
) -> None:
    command.upgrade(alembic_config(connection, data_dir), revision)


def downgrade(revision: str = "base", connection: Connection | None = None) -> None:
    command.downgrade(alembic_config(connection), revision)


def reset(connection: Connection | None = None, data_dir: Path | None = None) -> None:
    """Back to exactly the seeded state: every migration down, then up again, in one transaction
    (PostgreSQL DDL is transactional), so a failure half-way leaves the database as it was."""
    if connection is None:
        with get_engine().begin() as own_connection:
            reset(own_connection, data_dir)
        return
    downgrade("base", connection)
    upgrade("head", connection, data_dir)


def ensure_current() -> None:
    """Migrate (and seed) a database that is not at head yet, saying so: the REPL entry point and the
    benchmarks work from a fresh checkout, as `make run` does."""
    with get_engine().connect() as connection:
        current = current_revision(connection)
    if current != head_revision():
        print("Setting up the shop database (the first time takes about 30 s)...", file=sys.stderr)
        upgrade()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@lru_cache
def head_revision() -> str | None:
    # Reads every migration script; the head cannot change while the process runs (/healthz asks often).
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
