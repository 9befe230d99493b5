"""event_series, event, event_rsvp, event_attendance: events with their series, answers and
attendance

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0011"
down_revision: str | None = "0010"
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
        "event_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("repeat", text(length=16), nullable=False),
        sa.Column("first_start", when(timezone=True), nullable=False),
        sa.Column("timezone", text(length=64), nullable=False),
        sa.Column("rotate", text(length=500), nullable=False),
        sa.Column("status", text(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", when(timezone=True), nullable=False),
        _fk("event_series", "community_id", "community"),
        _fk("event_series", "created_by", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_series")),
    )
    with op.batch_alter_table("event_series", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_series_community_id"), ["community_id"], unique=False
        )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", text(length=200), nullable=False),
        sa.Column("description", text(length=1000), nullable=False),
        sa.Column("link", text(length=500), nullable=False),
        sa.Column("start_at", when(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("timezone", text(length=64), nullable=False),
        sa.Column("region", text(length=64), nullable=False),
        sa.Column("platform", text(length=16), nullable=False),
        sa.Column("workspace", text(length=64), nullable=False),
        sa.Column("channel", text(length=64), nullable=False),
        sa.Column("status", text(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", when(timezone=True), nullable=False),
        sa.Column("updated_at", when(timezone=True), nullable=False),
        sa.Column("announce_key", text(length=200), nullable=True),
        sa.Column("native_key", text(length=200), nullable=True),
        sa.Column("voice_channel", text(length=64), nullable=True),
        _fk("event", "community_id", "community"),
        _fk("event", "series_id", "event_series"),
        _fk("event", "created_by", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_series_id"), ["series_id"], unique=False)
        batch_op.create_index(
            "ix_event_community_start", ["community_id", "start_at"], unique=False
        )
        batch_op.create_index("ix_event_voice_start", ["voice_channel", "start_at"], unique=False)
    for table in ("event_rsvp", "event_attendance"):
        extra = (
            [
                sa.Column("answer", text(length=8), nullable=False),
                sa.Column("source", text(length=12), nullable=False),
                sa.Column("answered_at", when(timezone=True), nullable=False),
            ]
            if table == "event_rsvp"
            else [
                sa.Column("how", text(length=12), nullable=False),
                sa.Column("recorded_by", sa.Integer(), nullable=True),
                sa.Column("recorded_at", when(timezone=True), nullable=False),
                _fk(table, "recorded_by", "member"),
            ]
        )
        op.create_table(
            table,
            sa.Column("event_id", sa.Integer(), nullable=False),
            sa.Column("member_id", sa.Integer(), nullable=False),
            *extra,
            _fk(table, "event_id", "event"),
            _fk(table, "member_id", "member"),
            sa.PrimaryKeyConstraint("event_id", "member_id", name=op.f(f"pk_{table}")),
        )


def downgrade() -> None:
    op.drop_table("event_attendance")
    op.drop_table("event_rsvp")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_voice_start")
        batch_op.drop_index("ix_event_community_start")
        batch_op.drop_index(batch_op.f("ix_event_series_id"))
    op.drop_table("event")
    with op.batch_alter_table("event_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_series_community_id"))
    op.drop_table("event_series")
