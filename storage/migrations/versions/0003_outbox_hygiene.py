"""outbox hygiene: kind, subject and file columns, indexes, files stored once

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Keys as copbot built them before this revision, most specific first (see bot/outbox_keys.py):
# checkin:<id>:<minute>[:<zone>]:remind:..., ...:thread:<member>, ...:thread, checkin:<id>:...
_KINDS = (
    ("checkin:%:remind:%", "checkin-reminder"),
    ("checkin:%:thread:%", "checkin-answer"),
    ("checkin:%:thread", "checkin-share"),
    ("checkin:%", "checkin-ask"),
)


def upgrade() -> None:
    op.create_table(
        "outbox_file",
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_outbox_file")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("file_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_index("ix_outbox_kind_subject", ["kind", "subject"], unique=False)
        batch_op.create_index(
            "ix_outbox_recipient", ["platform", "workspace", "recipient_user"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_file_digest"), ["file_digest"], unique=False)
    _fill_kinds()


def _fill_kinds() -> None:
    """File the rows already there under the kind their key shows, and the check-in's id."""
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("subject", sa.String()),
    )
    connection = op.get_bind()
    for pattern, kind in _KINDS:
        connection.execute(
            outbox.update()
            .where(outbox.c.key.like(pattern), outbox.c.kind.is_(None))
            .values(kind=kind)
        )
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.key).where(outbox.c.kind.is_not(None))
    ).all()
    for row_id, key in rows:
        subject = key.split(":")[1]
        if subject.isdigit():
            connection.execute(outbox.update().where(outbox.c.id == row_id).values(subject=subject))


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_file_digest"))
        batch_op.drop_index(batch_op.f("ix_outbox_created_at"))
        batch_op.drop_index("ix_outbox_recipient")
        batch_op.drop_index("ix_outbox_kind_subject")
        batch_op.drop_column("file_digest")
        batch_op.drop_column("subject")
        batch_op.drop_column("kind")
    op.drop_table("outbox_file")
