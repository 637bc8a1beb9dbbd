"""Conversations with the assistant, so each one ends once: by "New conversation", by CONVERSATION_IDLE_MINUTES
without a message, or by `end_session`. Its summary is a session-level memory in mem0_chatstore; the row
says it was made (a summary the shopper deleted is not written again).

Revision ID: 0011_conversations
Revises: 0010_shopper_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_conversations"
down_revision = "0010_shopper_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),  # the conversation id of the session cookie
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("last_turn_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("ended_by", sa.Text),  # new | idle | end_session
        sa.Column("summary_id", sa.Uuid),  # its memory in mem0_chatstore (none if nothing to summarize)
    )
    op.create_index(
        "conversations_open",
        "conversations",
        ["user_id", "last_turn_at"],
        postgresql_where="ended_at IS NULL",
    )


def downgrade() -> None:
    op.drop_table("conversations")
