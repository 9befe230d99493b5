"""pair_opt_in, pair_schedule, pair_round, pair_group, pair_member: member pairing

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0015"
down_revision: str | None = "0014"
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
        "pair_opt_in",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("since", when(timezone=True), nullable=False),
        _fk("pair_opt_in", "community_id", "community"),
        _fk("pair_opt_in", "member_id", "member"),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_pair_opt_in")),
    )
    op.create_index(
        op.f("ix_pair_opt_in_community_id"), "pair_opt_in", ["community_id"], unique=False
    )
    op.create_table(
        "pair_schedule",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("expression", text(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", when(timezone=True), nullable=False),
        _fk("pair_schedule", "community_id", "community"),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_pair_schedule")),
    )
    op.create_table(
        "pair_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("made_at", when(timezone=True), nullable=False),
        sa.Column("key", text(length=200), nullable=False),
        _fk("pair_round", "community_id", "community"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_round")),
        sa.UniqueConstraint("key", name=op.f("uq_pair_round_key")),
    )
    op.create_index(
        op.f("ix_pair_round_community_id"), "pair_round", ["community_id"], unique=False
    )
    op.create_index(op.f("ix_pair_round_made_at"), "pair_round", ["made_at"], unique=False)
    op.create_table(
        "pair_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        _fk("pair_group", "round_id", "pair_round"),
        _fk("pair_group", "community_id", "community"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_group")),
    )
    op.create_index(op.f("ix_pair_group_round_id"), "pair_group", ["round_id"], unique=False)
    op.create_index(
        op.f("ix_pair_group_community_id"), "pair_group", ["community_id"], unique=False
    )
    op.create_table(
        "pair_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        _fk("pair_member", "group_id", "pair_group"),
        _fk("pair_member", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_member")),
        sa.UniqueConstraint(
            "group_id", "member_id", name=op.f("uq_pair_member_group_id_member_id")
        ),
    )
    op.create_index(op.f("ix_pair_member_group_id"), "pair_member", ["group_id"], unique=False)
    op.create_index(op.f("ix_pair_member_member_id"), "pair_member", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pair_member_member_id"), table_name="pair_member")
    op.drop_index(op.f("ix_pair_member_group_id"), table_name="pair_member")
    op.drop_table("pair_member")
    op.drop_index(op.f("ix_pair_group_community_id"), table_name="pair_group")
    op.drop_index(op.f("ix_pair_group_round_id"), table_name="pair_group")
    op.drop_table("pair_group")
    op.drop_index(op.f("ix_pair_round_made_at"), table_name="pair_round")
    op.drop_index(op.f("ix_pair_round_community_id"), table_name="pair_round")
    op.drop_table("pair_round")
    op.drop_table("pair_schedule")
    op.drop_index(op.f("ix_pair_opt_in_community_id"), table_name="pair_opt_in")
    op.drop_table("pair_opt_in")
