"""Streamed assistant turns: a turn is posted first and streamed afterwards (EventSource is GET-only),
so its run row exists before it runs. `pending`: posted, not yet streamed; `running`: claimed by the
one stream that runs it (a replayed or second stream finds nothing to claim). Kept in the database, not
in one process's memory, so the stream may reach any app process.

Revision ID: 0006_streamed_turns
Revises: 0005_agents_schema
"""

from alembic import op

revision = "0006_streamed_turns"
down_revision = "0005_agents_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE agent_runs DROP CONSTRAINT agent_runs_status_check")
    op.execute(
        "ALTER TABLE agent_runs ADD CONSTRAINT agent_runs_status_check"
        " CHECK (status IN ('pending', 'running', 'ok', 'error'))"
    )


def downgrade() -> None:
    op.execute("DELETE FROM agent_runs WHERE status IN ('pending', 'running')")
    op.execute("ALTER TABLE agent_runs DROP CONSTRAINT agent_runs_status_check")
    op.execute(
        "ALTER TABLE agent_runs ADD CONSTRAINT agent_runs_status_check CHECK (status IN ('ok', 'error'))"
    )
