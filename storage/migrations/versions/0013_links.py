"""link_code, link_attempt, member_preference: one person across Slack and Discord

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = storage.types.UTCDateTime
    op.create_table(
        "link_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", text(length=64), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.Column("created_at", when(timezone=True), nullable=False),
        sa.Column("expires_at", when(timezone=True), nullable=False),
        sa.Column("used_at", when(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_link_code_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_code")),
    )
    op.create_index(op.f("ix_link_code_member_id"), "link_code", ["member_id"], unique=False)
    op.create_index(op.f("ix_link_code_code_hash"), "link_code", ["code_hash"], unique=False)
    op.create_table(
        "link_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.Column("workspace", text(length=64), nullable=False),
        sa.Column("user_id", text(length=64), nullable=False),
        sa.Column("at", when(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_attempt")),
    )
    op.create_index(
        "ix_link_attempt_account",
        "link_attempt",
        ["platform", "workspace", "user_id", "at"],
        unique=False,
    )
    op.create_table(
        "member_preference",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_member_preference_member_id_member")
        ),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_member_preference")),
    )


def downgrade() -> None:
    op.drop_table("member_preference")
    op.drop_index("ix_link_attempt_account", table_name="link_attempt")
    op.drop_table("link_attempt")
    op.drop_index(op.f("ix_link_code_code_hash"), table_name="link_code")
    op.drop_index(op.f("ix_link_code_member_id"), table_name="link_code")
    op.drop_table("link_code")
