"""Surveys: what is asked, of whom, and the answers, stored so that anonymous ones name no one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class Survey(SQLModel, table=True):
    """A survey or evaluation: its questions, audience and when it opens and closes."""

    __tablename__ = "survey"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    title: str = Field(max_length=100)
    # Each question as {"text", "kind", "low", "high", "options"} (see bot/survey_questions.py).
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    anonymous: bool = Field(default=False)
    audience: str = Field(max_length=16, default="members")
    template: str | None = Field(default=None, max_length=32)
    created_by: int | None = Field(default=None, foreign_key="member.id")
    opens_at: datetime = ts(nullable=False)
    closes_at: datetime | None = ts(nullable=True)
    status: str = Field(max_length=16, default="scheduled")  # scheduled | open | closed
    sent_count: int = Field(default=0)
    created_at: datetime = ts(nullable=False)
    closed_at: datetime | None = ts(nullable=True)


class SurveyRecipient(SQLModel, table=True):
    """A member a survey was sent to, and whether they answered (never what).

    Written for the whole audience when the survey opens, so that the rows' order says nothing
    about the order in which people answered."""

    __tablename__ = "survey_recipient"
    survey_id: int = Field(foreign_key="survey.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True, index=True)
    answered: bool = Field(default=False)


class SurveyResponse(SQLModel, table=True):
    """One member's response: a random key; the member only when the survey is not anonymous."""

    __tablename__ = "survey_response"
    id: str = Field(primary_key=True, max_length=32)  # a random uuid, never sequential
    survey_id: int = Field(foreign_key="survey.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    # The day only; an anonymous response's is the day the survey opened, the same for all, so
    # that it cannot line up with the ledger's dated acts.
    answered_on: date


class SurveyAnswer(SQLModel, table=True):
    """One question answered in one response: a number, a choice or a text."""

    __tablename__ = "survey_answer"
    response_id: str = Field(foreign_key="survey_response.id", primary_key=True, max_length=32)
    question: int = Field(primary_key=True)  # 1-based
    survey_id: int = Field(foreign_key="survey.id", index=True)
    number: int | None = Field(default=None)
    choice: str | None = Field(default=None, max_length=100)
    text: str | None = Field(default=None, max_length=1000)


class SurveyDraft(SQLModel, table=True):
    """The answers of a form's first pages while the next are filled in: under a random token
    carried by the form, naming no member; deleted when the last page is sent."""

    __tablename__ = "survey_draft"
    token: str = Field(primary_key=True, max_length=32)
    survey_id: int = Field(foreign_key="survey.id", index=True)
    answers: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    started_on: date
