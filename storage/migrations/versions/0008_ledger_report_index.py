"""ledger: the index on one community's acts over time also holds each act's kind and member,
so that the weekly report's queries (a dozen weeks of a community's acts, grouped by kind,
member and week) read the index alone instead of fetching every row it points to

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Replaced, not added: the wider index serves every query the narrower one did.
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_community_time")
        batch_op.create_index(
            "ix_ledger_community_time",
            ["community_id", "occurred_at", "kind", "member_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_community_time")
        batch_op.create_index(
            "ix_ledger_community_time", ["community_id", "occurred_at"], unique=False
        )
