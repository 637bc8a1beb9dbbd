"""When the agents last learned from all shoppers, and from when on: a reset of what was learned starts
learning again from the traces made after it (agents/learning.py).

Revision ID: 0012_agent_learning
Revises: 0011_conversations
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_agent_learning"
down_revision = "0011_conversations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_learning",
        sa.Column("agent_id", sa.Text, primary_key=True),
        sa.Column("reset_at", sa.DateTime(timezone=True)),
        sa.Column("learned_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("agent_learning")
