"""Long-term shopper memory: mem0's `mem0_chatstore`, the `memory_events` audit and a readable view.

`mem0_chatstore` has exactly the layout mem0's pgvector store creates (id, vector, payload), so mem0
uses it as its own; we create it here so that its indexes are ours:
- a btree on the payload's user_id. Every memory query is scoped to one shopper; with it PostgreSQL
  reads that shopper's rows and ranks them exactly. An HNSW index would be worse than useless here:
  the planner may scan it and apply the user filter afterwards, which drops a shopper's memories once
  the table is large (measured: 0 of 50 found at 50k rows). So there deliberately is none.
- the GIN index mem0's keyword (BM25) search expects.

Revision ID: 0003_memory_schema
Revises: 0002_seed_catalog
"""

from alembic import op

revision = "0003_memory_schema"
down_revision = "0002_seed_catalog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE mem0_chatstore (
            id uuid PRIMARY KEY,
            vector vector(384),
            payload jsonb
        )
    """)
    op.execute("CREATE INDEX mem0_chatstore_user_idx ON mem0_chatstore ((payload->>'user_id'))")
    op.execute("""
        CREATE INDEX mem0_chatstore_text_lemmatized_idx ON mem0_chatstore
        USING gin (to_tsvector('simple', payload->>'text_lemmatized'))
    """)
    op.execute("""
        CREATE TABLE memory_events (
            id bigserial PRIMARY KEY,
            user_id text NOT NULL,
            memory_id uuid,
            event text NOT NULL CHECK (event IN ('add', 'update', 'supersede', 'delete', 'erase')),
            old_text text,
            new_text text,
            source text NOT NULL CHECK (source IN ('seed', 'chat', 'ui', 'api', 'cli')),
            reason text,
            agent_id text,
            session_id text,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )
    """)
    op.execute("CREATE INDEX memory_events_user_idx ON memory_events (user_id, id)")
    op.execute("CREATE INDEX memory_events_memory_idx ON memory_events (memory_id, id)")
    # For people reading memories in pgAdmin or psql: one line per memory, newest first per shopper.
    op.execute("""
        CREATE VIEW memory_overview AS
        SELECT m.payload->>'user_id' AS shopper_id,
               trim(u.first_name || ' ' || u.last_name) AS shopper,
               m.payload->>'data' AS memory,
               m.payload->>'category' AS category,
               m.payload->>'level' AS level,
               m.payload->>'source' AS source,
               m.payload->>'status' AS status,
               m.payload->>'agent_id' AS agent_id,
               m.payload->>'run_id' AS session_id,
               (m.payload->>'created_at')::timestamptz AS created_at,
               (m.payload->>'updated_at')::timestamptz AS updated_at,
               m.id AS memory_id
        FROM mem0_chatstore m
        LEFT JOIN users u ON u.id::text = m.payload->>'user_id'
        ORDER BY shopper_id, created_at DESC
    """)


def downgrade() -> None:
    op.execute("DROP VIEW memory_overview")
    op.execute("DROP TABLE memory_events")
    op.execute("DROP TABLE mem0_chatstore")
