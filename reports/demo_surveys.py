"""The demo's surveys: last quarter's evaluation (anonymous, closed) and a recent feedback survey
(named, still open), answered by a share of their audience as copbot stores answers: one row a
question under a random response key, and one ``survey`` act in the ledger a response."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from bot.survey_questions import EVALUATION_QUESTIONS, EVALUATION_TITLE, Question
from reports.demo_acts import LedgerRow, Placed
from reports.demo_people import WORKSPACES
from storage.bulk_rows import insert_rows
from storage.engine import Store
from storage.models import Survey

# The chance that a member of a habit answers a survey sent to them.
ANSWERS = {"core": 0.85, "active": 0.6, "peripheral": 0.3, "lurker": 0.1}
FEEDBACK = (
    Question("How useful was the last webinar?", "scale", 1, 5),
    Question("Which format do you want more of?", "choice", options=("talks", "labs", "both")),
    Question("What would you like to learn next?", "text"),
)
WORDS = (
    "peer feedback on my lessons",
    "I now share my materials earlier",
    "more time for questions",
    "shorter sessions, more often",
    "tried the reading routine from the webinar",
    "examples from other schools",
)


def _uuid(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _value(rng: random.Random, question: Question, habit: str) -> dict[str, object]:
    if question.kind == "scale":
        top = question.high if habit in ("core", "active") else question.high - 1
        return {"number": rng.randint(max(question.low, top - 2), top)}
    if question.kind == "choice":
        return {"choice": rng.choice(question.options)}
    return {"text": rng.choice(WORDS)}


async def write_surveys(
    store: Store,
    seed: int,
    community_id: int,
    timezone: str,
    members: list[Placed],
    facilitator: Placed,
    now: datetime,
    fast: bool,
) -> list[LedgerRow]:
    """Write the two surveys with their recipients and answers; return their ledger rows."""
    rng = random.Random(f"{seed}:surveys")  # a stream of its own: the rest stays as it was
    async with store.read() as session:
        first = ((await session.exec(select(func.max(col(Survey.id))))).one() or 0) + 1
    plans = (
        (first, EVALUATION_TITLE, EVALUATION_QUESTIONS, True, now - timedelta(days=40), 14),
        (first + 1, "Webinar feedback", FEEDBACK, False, now - timedelta(days=5), 21),
    )
    surveys: list[dict[str, object]] = []
    recipients: list[dict[str, object]] = []
    responses: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    ledger: list[LedgerRow] = []
    for survey_id, title, questions, anonymous, opens, days in plans:
        closes = opens + timedelta(days=days)
        asked = [m for m in members if m.around(opens)]
        closed = closes <= now
        surveys.append({"id": survey_id, "community_id": community_id, "title": title,
                        "questions": [q.to_json() for q in questions], "anonymous": anonymous,
                        "audience": "members", "template": "evaluation" if anonymous else None,
                        "created_by": facilitator.member_id, "opens_at": opens,
                        "closes_at": closes, "status": "closed" if closed else "open",
                        "sent_count": len(asked), "created_at": opens,
                        "closed_at": closes if closed else None})  # fmt: skip
        for member in asked:
            answered = rng.random() < ANSWERS[member.person.habit.name]
            at = opens + timedelta(hours=rng.uniform(1, 24 * min(days, 4)))
            answered = answered and at < now
            recipients.append({"survey_id": survey_id, "member_id": member.member_id,
                               "answered": answered})  # fmt: skip
            if not answered:
                continue
            response = _uuid(rng)
            # Anonymous, as bot/usecases/survey_answers.py: the day it opened, for every response.
            day: date = (opens if anonymous else at).astimezone(ZoneInfo(timezone)).date()
            responses.append({"id": response, "survey_id": survey_id, "answered_on": day,
                              "member_id": None if anonymous else member.member_id})  # fmt: skip
            habit = member.person.habit.name
            for number, question in enumerate(questions, 1):
                answers.append({"response_id": response, "question": number,
                                "survey_id": survey_id, "number": None, "choice": None,
                                "text": None, **_value(rng, question, habit)})  # fmt: skip
            key = f"survey:{survey_id}:{_uuid(rng)}" if anonymous else f"survey:{response}"
            platform = member.person.platform
            # Anonymous: the act is counted without its member, as the bot does.
            counted = None if anonymous else member.ledger_id
            ledger.append((community_id, counted, "survey", platform,
                           WORKSPACES[platform], None, key, at, None, None))  # fmt: skip
    # Written in no member's order: the order of the rows says nothing about who answered.
    rng.shuffle(responses)
    rng.shuffle(answers)
    for table, rows in (
        ("survey", surveys),
        ("survey_recipient", recipients),
        ("survey_response", responses),
        ("survey_answer", answers),
    ):
        await insert_rows(store=store, table=table, rows=rows, fast=fast)
    ledger.sort(key=lambda row: row[7])
    return ledger
