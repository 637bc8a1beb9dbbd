"""Seed long-term memories: each persona's `preferences` (users.preferences, from data/users.csv) go
through the memory service with the offline extractor, so the seed needs no LLM and is the same on
every machine. Adding an already remembered fact changes nothing, so running it again is harmless.

Revision ID: 0004_seed_memories
Revises: 0003_memory_schema
"""

from alembic import op
from sqlalchemy import text

revision = "0004_seed_memories"
down_revision = "0003_memory_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from agentic_shop.memory.service import MemoryService

    connection = op.get_bind()
    memory = MemoryService(connection=connection, llm=None)
    for user_id, preferences in connection.execute(text("SELECT id, preferences FROM users ORDER BY id")):
        for statement in preferences:
            memory.add(statement, user_id=str(user_id), source="seed")


def downgrade() -> None:
    op.execute("DELETE FROM mem0_chatstore WHERE payload->>'source' = 'seed'")
    op.execute("DELETE FROM memory_events WHERE source = 'seed'")
