"""nudge, nudge_opt_out, nudge_schedule: the nudges sent to quiet members, who said
``nudge off``, and when a community nudges

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = storage.types.UTCDateTime
    op.create_table(
        "nudge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", when(timezone=True), nullable=False),
        sa.Column("key", text(length=200), nullable=False),
        _fk("nudge", "community_id", "community"),
        _fk("nudge", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nudge")),
        sa.UniqueConstraint("key", name=op.f("uq_nudge_key")),
    )
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nudge_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nudge_member_id"), ["member_id"], unique=False)
    op.create_table(
        "nudge_opt_out",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("since", when(timezone=True), nullable=False),
        _fk("nudge_opt_out", "member_id", "member"),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_nudge_opt_out")),
    )
    op.create_table(
        "nudge_schedule",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("expression", text(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", when(timezone=True), nullable=False),
        _fk("nudge_schedule", "community_id", "community"),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_nudge_schedule")),
    )


def downgrade() -> None:
    op.drop_table("nudge_schedule")
    op.drop_table("nudge_opt_out")
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nudge_member_id"))
        batch_op.drop_index(batch_op.f("ix_nudge_community_id"))
    op.drop_table("nudge")
