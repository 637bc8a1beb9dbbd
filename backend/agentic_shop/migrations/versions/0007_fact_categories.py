"""Facts have a category and a polarity, no "dislike" category: what was stored as category "dislike"
becomes the thing disliked ("Avoids red": color, polarity dislike; anything else: other), as the
language engine (`agentic_shop.understanding`) now writes them.

Revision ID: 0007_fact_categories
Revises: 0006_streamed_turns
"""

from alembic import op

revision = "0007_fact_categories"
down_revision = "0006_streamed_turns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """UPDATE mem0_chatstore SET payload = payload
             || jsonb_build_object('category',
                  CASE WHEN jsonb_array_length(COALESCE(payload->'values', '[]'::jsonb)) > 0
                       THEN 'color' ELSE 'other' END)
             || jsonb_build_object('polarity', 'dislike')
           WHERE payload->>'category' = 'dislike'"""
    )


def downgrade() -> None:
    op.execute(
        """UPDATE mem0_chatstore SET payload = payload || jsonb_build_object('category', 'dislike')
           WHERE payload->>'category' = 'color' AND payload->>'polarity' = 'dislike'"""
    )
