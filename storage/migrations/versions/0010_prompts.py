"""prompt, prompt_schedule: a community's queue of discussion prompts and when and where they
are posted

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = storage.types.UTCDateTime
    op.create_table(
        "prompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("text", text(length=500), nullable=False),
        sa.Column("kind", text(length=16), nullable=False),
        sa.Column("status", text(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", when(timezone=True), nullable=False),
        sa.Column("posted_at", when(timezone=True), nullable=True),
        sa.Column("post_key", text(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["community.id"], name=op.f("fk_prompt_community_id_community")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["member.id"], name=op.f("fk_prompt_created_by_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt")),
    )
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prompt_community_id"), ["community_id"], unique=False)
    op.create_table(
        "prompt_schedule",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("expression", text(length=120), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.Column("workspace", text(length=64), nullable=False),
        sa.Column("channel", text(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("told_empty", sa.Boolean(), nullable=False),
        sa.Column("created_at", when(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["community.id"],
            name=op.f("fk_prompt_schedule_community_id_community"),
        ),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_prompt_schedule")),
    )


def downgrade() -> None:
    op.drop_table("prompt_schedule")
    with op.batch_alter_table("prompt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prompt_community_id"))
    op.drop_table("prompt")
