"""What the agents keep: traces of every run, the per-shopper cache, and LangGraph's checkpoints.

- `agent_runs` / `agent_steps`: one row per run and per graph node, for "Why am I seeing this?".
- `agent_cache`: a personalized section, recommendation list or review summary per (shopper, kind,
  product), stamped with the shopper's memory version: the id of their latest `memory_events` row.
  Every memory change writes an event, so a changed shopper simply stops matching their old entries,
  in every app process at once, with no invalidation message to lose.
- LangGraph's Postgres checkpointer tables (the assistant's conversations), created from the library's
  own migration list. Its index statements say CONCURRENTLY, which cannot run inside the migration's
  transaction; on tables this new a plain CREATE INDEX is the same thing.

Revision ID: 0005_agents_schema
Revises: 0004_seed_memories
"""

from alembic import op

revision = "0005_agents_schema"
down_revision = "0004_seed_memories"
branch_labels = None
depends_on = None

_CHECKPOINT_TABLES = ("checkpoint_writes", "checkpoint_blobs", "checkpoints", "checkpoint_migrations")


def upgrade() -> None:
    op.execute("""
        CREATE TABLE agent_runs (
            id uuid PRIMARY KEY,
            agent text NOT NULL,
            user_id text NOT NULL,
            product_id integer,
            engine text NOT NULL,
            status text NOT NULL CHECK (status IN ('ok', 'error')),
            input jsonb NOT NULL DEFAULT '{}',
            output jsonb,
            duration_ms real NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
    """)
    op.execute("CREATE INDEX agent_runs_user_idx ON agent_runs (user_id, created_at DESC)")
    op.execute("""
        CREATE TABLE agent_steps (
            run_id uuid NOT NULL REFERENCES agent_runs (id) ON DELETE CASCADE,
            position smallint NOT NULL,
            node text NOT NULL,
            input_summary text NOT NULL,
            output jsonb,
            duration_ms real NOT NULL,
            memories_used jsonb NOT NULL DEFAULT '[]',
            engine text NOT NULL CHECK (engine IN ('offline', 'llm', 'none')),
            fallback_reason text,
            PRIMARY KEY (run_id, position)
        )
    """)
    op.execute("""
        CREATE TABLE agent_cache (
            user_id text NOT NULL,
            kind text NOT NULL,
            product_id integer NOT NULL,
            memory_version bigint NOT NULL,
            engine text NOT NULL,
            payload jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (user_id, kind, product_id)
        )
    """)
    from langgraph.checkpoint.postgres import PostgresSaver

    for version, statement in enumerate(PostgresSaver.MIGRATIONS):
        op.execute(statement.replace("CONCURRENTLY ", ""))
        op.execute(f"INSERT INTO checkpoint_migrations (v) VALUES ({version})")


def downgrade() -> None:
    for table in (*_CHECKPOINT_TABLES, "agent_cache", "agent_steps", "agent_runs"):
        op.execute(f"DROP TABLE {table}")
