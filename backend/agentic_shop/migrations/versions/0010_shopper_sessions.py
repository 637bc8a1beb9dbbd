"""Sign-ins kept on the server: the browser's cookie holds a random token, a row here says which shopper
it opened, and ending a session deletes the row, so a copied cookie stops working at once.

Revision ID: 0010_shopper_sessions
Revises: 0009_private_runs
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_shopper_sessions"
down_revision = "0009_private_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shopper_sessions",
        # A hash of the token: someone reading the table (pgAdmin) cannot sign in with what they see.
        sa.Column("token_hash", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("shopper_sessions_user_id", "shopper_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_table("shopper_sessions")
