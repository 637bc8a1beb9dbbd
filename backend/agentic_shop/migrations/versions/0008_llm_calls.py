"""Each traced step keeps its LLM requests: mode, raw answer (bounded), tokens, finish reason, latency
and the server's error, so a step that fell back can be read afterwards.

Revision ID: 0008_llm_calls
Revises: 0007_fact_categories
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008_llm_calls"
down_revision = "0007_fact_categories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "agent_steps", sa.Column("llm_calls", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb"))
    )


def downgrade() -> None:
    op.drop_column("agent_steps", "llm_calls")
