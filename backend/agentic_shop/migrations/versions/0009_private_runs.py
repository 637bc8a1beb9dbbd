"""Private mode: a run made while it was on is marked, so ending private mode can delete it (with its
steps) and no trace of a private session outlives it.

Revision ID: 0009_private_runs
Revises: 0008_llm_calls
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_private_runs"
down_revision = "0008_llm_calls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agent_runs", sa.Column("private", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("agent_runs", "private")
