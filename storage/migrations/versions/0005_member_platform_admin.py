"""member: the platform admin status last known, for when the platform cannot be asked

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: NULL until copbot has learnt it from the platform once.
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("platform_admin", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("platform_admin")
