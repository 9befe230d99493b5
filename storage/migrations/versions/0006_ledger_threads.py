"""ledger: each message's own platform id and, for a thread reply, its parent's, so that the
weekly report can tell how long a top-level post waited for its first reply; and an index for
one community's acts over a span of time, which every report query reads

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 16:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: acts counted before this revision, reactions and joins have no message id.
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("message_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("parent_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index(
            "ix_ledger_parent", ["platform", "workspace", "parent_ref"], unique=False
        )
        batch_op.create_index(
            "ix_ledger_community_time", ["community_id", "occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_community_time")
        batch_op.drop_index("ix_ledger_parent")
        batch_op.drop_column("parent_ref")
        batch_op.drop_column("message_ref")
