"""plan_application, plan_item: the one-year plan and the items it created

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0018"
down_revision: str | None = "0017"
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
        "plan_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("template", text(length=32), nullable=False),
        sa.Column("start_month", text(length=7), nullable=False),
        sa.Column("begins_at", when(timezone=True), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.Column("workspace", text(length=64), nullable=False),
        sa.Column("channel", text(length=64), nullable=False),
        sa.Column("applied_by", sa.Integer(), nullable=True),
        sa.Column("applied_at", when(timezone=True), nullable=False),
        _fk("plan_application", "community_id", "community"),
        _fk("plan_application", "applied_by", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_application")),
        sa.UniqueConstraint("community_id", name=op.f("uq_plan_application_community_id")),
    )
    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=32), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", text(length=64), nullable=False),
        _fk("plan_item", "plan_id", "plan_application"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_item")),
    )
    op.create_index(op.f("ix_plan_item_plan_id"), "plan_item", ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_item_plan_id"), table_name="plan_item")
    op.drop_table("plan_item")
    op.drop_table("plan_application")
