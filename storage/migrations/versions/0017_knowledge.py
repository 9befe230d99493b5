"""resource, story, nomination: the resource library and stories told with consent

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    when = storage.types.UTCDateTime
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("url", text(length=2000), nullable=False),
        sa.Column("title", text(length=200), nullable=False),
        sa.Column("tags", text(length=302), nullable=False),
        sa.Column("shared_at", when(timezone=True), nullable=False),
        _fk("resource", "community_id", "community"),
        _fk("resource", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
    )
    for column in ("community_id", "member_id", "shared_at"):
        _index("resource", column)
    op.create_table(
        "story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", text(length=3000), nullable=False),
        sa.Column("kind", text(length=16), nullable=False),
        sa.Column("confirmed_at", when(timezone=True), nullable=False),
        sa.Column("withdrawn_at", when(timezone=True), nullable=True),
        _fk("story", "community_id", "community"),
        _fk("story", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story")),
    )
    for column in ("community_id", "member_id", "confirmed_at"):
        _index("story", column)
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=16), nullable=False),
        sa.Column("reflection", sa.Boolean(), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.Column("workspace", text(length=64), nullable=False),
        sa.Column("channel", text(length=64), nullable=True),
        sa.Column("message_ref", text(length=64), nullable=False),
        sa.Column("author_user", text(length=64), nullable=False),
        sa.Column("nominated_at", when(timezone=True), nullable=False),
        sa.Column("answer", text(length=8), nullable=True),
        _fk("nomination", "community_id", "community"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination")),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "message_ref",
            "kind",
            name=op.f("uq_nomination_platform_workspace_message_ref_kind"),
        ),
    )
    _index("nomination", "community_id")


def downgrade() -> None:
    op.drop_index(op.f("ix_nomination_community_id"), table_name="nomination")
    op.drop_table("nomination")
    for table, columns in (
        ("story", ("community_id", "member_id", "confirmed_at")),
        ("resource", ("community_id", "member_id", "shared_at")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
