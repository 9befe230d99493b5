"""survey, survey_recipient, survey_response, survey_answer, survey_draft: surveys

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0016"
down_revision: str | None = "0015"
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
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("title", text(length=100), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("audience", text(length=16), nullable=False),
        sa.Column("template", text(length=32), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("opens_at", when(timezone=True), nullable=False),
        sa.Column("closes_at", when(timezone=True), nullable=True),
        sa.Column("status", text(length=16), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("created_at", when(timezone=True), nullable=False),
        sa.Column("closed_at", when(timezone=True), nullable=True),
        _fk("survey", "community_id", "community"),
        _fk("survey", "created_by", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
    )
    _index("survey", "community_id")
    op.create_table(
        "survey_recipient",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        _fk("survey_recipient", "survey_id", "survey"),
        _fk("survey_recipient", "member_id", "member"),
        sa.PrimaryKeyConstraint("survey_id", "member_id", name=op.f("pk_survey_recipient")),
    )
    _index("survey_recipient", "member_id")
    op.create_table(
        "survey_response",
        sa.Column("id", text(length=32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        _fk("survey_response", "survey_id", "survey"),
        _fk("survey_response", "member_id", "member"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
    )
    _index("survey_response", "survey_id")
    _index("survey_response", "member_id")
    op.create_table(
        "survey_answer",
        sa.Column("response_id", text(length=32), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("choice", text(length=100), nullable=True),
        sa.Column("text", text(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
            name=op.f("fk_survey_answer_response_id_survey_response"),
        ),
        _fk("survey_answer", "survey_id", "survey"),
        sa.PrimaryKeyConstraint("response_id", "question", name=op.f("pk_survey_answer")),
    )
    _index("survey_answer", "survey_id")
    op.create_table(
        "survey_draft",
        sa.Column("token", text(length=32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        _fk("survey_draft", "survey_id", "survey"),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_survey_draft")),
    )
    _index("survey_draft", "survey_id")


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_draft_survey_id"), table_name="survey_draft")
    op.drop_table("survey_draft")
    op.drop_index(op.f("ix_survey_answer_survey_id"), table_name="survey_answer")
    op.drop_table("survey_answer")
    op.drop_index(op.f("ix_survey_response_member_id"), table_name="survey_response")
    op.drop_index(op.f("ix_survey_response_survey_id"), table_name="survey_response")
    op.drop_table("survey_response")
    op.drop_index(op.f("ix_survey_recipient_member_id"), table_name="survey_recipient")
    op.drop_table("survey_recipient")
    op.drop_index(op.f("ix_survey_community_id"), table_name="survey")
    op.drop_table("survey")
