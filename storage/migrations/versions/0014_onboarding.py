"""welcome, community.phase_since and launched_at: onboarding, pilot and launch

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = storage.types.UTCDateTime
    op.create_table(
        "welcome",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("welcomed_at", when(timezone=True), nullable=False),
        sa.Column("cause", text(length=16), nullable=False),
        sa.Column("key", text(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_welcome_community_id_community")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_welcome_member_id_member")
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_welcome")),
        sa.UniqueConstraint("key", name=op.f("uq_welcome_key")),
    )
    op.create_index(op.f("ix_welcome_community_id"), "welcome", ["community_id"], unique=False)
    # Added columns on SQLite go through batch mode (a copy of the table), as Alembic advises.
    with op.batch_alter_table("community") as batch:
        batch.add_column(sa.Column("phase_since", when(timezone=True), nullable=True))
        batch.add_column(sa.Column("launched_at", when(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("community") as batch:
        batch.drop_column("launched_at")
        batch.drop_column("phase_since")
    op.drop_index(op.f("ix_welcome_community_id"), table_name="welcome")
    op.drop_table("welcome")
