"""LangGraph's Postgres checkpointer: each conversation's state lives in PostgreSQL, so a follow-up works
after a restart and in any app process. Its tables come with migration 0005; `setup()` here only adds
what a newer langgraph-checkpoint-postgres might need."""

from __future__ import annotations

from functools import lru_cache

from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from agentic_shop.db.engine import get_engine
from agentic_shop.settings import get_settings


@lru_cache
def get_checkpointer() -> PostgresSaver:
    conninfo = get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)
    pool = ConnectionPool(
        conninfo,
        min_size=1,
        max_size=4,
        timeout=get_settings().db_pool_timeout_s,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        # A restarted database leaves closed connections in the pool: test each one as it is taken.
        check=ConnectionPool.check_connection,
        open=True,
    )
    saver = PostgresSaver(pool)
    saver.setup()
    return saver
