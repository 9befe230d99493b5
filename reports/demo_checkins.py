"""A demo community's check-ins: their schedules, a firing each week, the DM that asked each
member of the audience, and the answers of those who replied (the engaged most often)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import outbox_keys as keys
from bot.ui import Message
from bot.usecases.checkin_run import answer_button
from reports.demo_acts import Placed, minutes
from reports.demo_people import WORKSPACES


@dataclass(frozen=True)
class Template:
    """A check-in as a facilitator would set it up."""

    name: str
    weekday: int  # 0 Monday
    at: time
    expression: str
    audience: str  # members | pilot
    questions: tuple[str, ...]
    answers: tuple[tuple[str, ...], ...]  # what people write, a few per question


TEMPLATES = (
    Template(
        "weekly", 0, time(9, 30), "mon 09:30", "members",
        ("What did you work on last week?", "What is in your way?", "Who could help you?"),
        (
            ("Shipped the new onboarding guide", "Mostly reviews", "Migrated our pipeline",
             "Tried the pattern from Lena's talk", "Wrote up the retro notes"),
            ("Nothing right now", "Waiting on access to the staging data", "Too many meetings",
             "Unclear ownership of the API"),
            ("Anyone who has done this before", "Jonas, maybe", "Nobody this week",
             "The platform team"),
        ),
    ),
    Template(
        "pilot-pulse", 3, time(16, 0), "thu 16:00", "pilot",
        ("How useful was the community this week (1-5)?", "What should we change?"),
        (
            ("5", "4", "4", "3", "2"),
            ("More show-and-tell", "Fewer channels", "Keep going", "A monthly call", "Nothing"),
        ),
    ),
)  # fmt: skip
FADING_WEEKS = 2  # the pilot's pulse check-in is answered less in the last weeks (an alert)


@dataclass
class CheckinRows:
    """The rows of every table the check-ins fill, ready for a bulk insert."""

    schedules: list[dict[str, Any]] = field(default_factory=list)
    checkins: list[dict[str, Any]] = field(default_factory=list)
    occurrences: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    asks: list[dict[str, Any]] = field(default_factory=list)


def _template(number: int) -> tuple[Template, str]:
    """The template of the check-in so numbered and its name (unique in the community). Past
    the first few, check-ins go to the pilot cohort: a whole large community is asked by one or
    two, the rest are for smaller groups."""
    template = TEMPLATES[number % len(TEMPLATES)]
    repeat = number // len(TEMPLATES)
    if repeat == 0:
        return template, template.name
    return replace(template, audience="pilot"), f"{template.name}-{repeat + 1}"


def _firing(monday: date, template: Template, timezone: str) -> datetime:
    local = datetime.combine(monday + timedelta(days=template.weekday), template.at)
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def plan_checkins(
    rng: random.Random,
    *,
    count: int,
    community_id: int,
    timezone: str,
    mondays: list[date],
    members: list[Placed],
    creator: Placed,
    now: datetime,
    first_ids: dict[str, int],
) -> Iterator[CheckinRows]:
    """``count`` check-ins firing weekly since the first Monday, each firing asking its audience
    (the members first seen by then; the pilot cohort for a pilot check-in) by DM; the rows of
    one check-in at a time, so that a large community's are never all held at once."""
    ids = dict(first_ids)
    # Set up once the pilot had gathered, in its first week.
    created = datetime.combine(mondays[0] + timedelta(days=2), time(10), tzinfo=ZoneInfo(timezone))
    for number in range(count):
        template, name = _template(number)
        rows = CheckinRows()
        schedule_id, checkin_id = ids["schedule"] + number, ids["checkin"] + number
        rows.schedules.append(
            {"id": schedule_id, "community_id": community_id, "expression": template.expression,
             "local_time": False, "active": True, "created_at": created}
        )  # fmt: skip
        rows.checkins.append(
            {"id": checkin_id, "community_id": community_id, "schedule_id": schedule_id,
             "name": name, "questions": list(template.questions), "audience": template.audience,
             "via": "dm", "share_platform": None, "share_workspace": None, "share_channel": None,
             "status": "active", "created_by": creator.member_id, "created_at": created}
        )  # fmt: skip
        for week, monday in enumerate(mondays):
            due = _firing(monday, template, timezone)
            if due < created or due > now:
                continue
            fading = template.audience == "pilot" and week >= len(mondays) - 1 - FADING_WEEKS
            _fire(rng, rows, template, checkin_id, ids["occurrence"], due, members, now, fading)
            ids["occurrence"] += 1
        yield rows


def _fire(
    rng: random.Random,
    rows: CheckinRows,
    template: Template,
    checkin_id: int,
    occurrence_id: int,
    due: datetime,
    members: list[Placed],
    now: datetime,
    fading: bool,
) -> None:
    """One firing: its occurrence, the DM to each member of the audience, their answers."""
    audience = [
        m
        for m in members
        if m.first_seen <= due and (template.audience != "pilot" or m.person.cohort == "pilot")
    ]
    key = keys.occurrence_key(checkin_id, due)
    rows.occurrences.append(
        {"id": occurrence_id, "checkin_id": checkin_id, "key": key, "scheduled_for": due,
         "status": "open", "zone": None, "sent_count": len(audience), "created_at": due}
    )  # fmt: skip
    count = len(template.questions)
    ask = Message(
        f"📝 Time for the *{template.name}* check-in: {count} question{'s' * (count > 1)}, "
        "about a minute.",
        buttons=(answer_button(occurrence_id),),
    ).to_json()
    for member in audience:
        person = member.person
        workspace = WORKSPACES[person.platform]
        rows.asks.append(
            {"key": keys.ask_key(key, person.platform, workspace, person.user_id),
             "kind": keys.CHECKIN_ASK, "subject": keys.checkin_subject(checkin_id),
             "platform": person.platform, "workspace": workspace,
             "recipient_user": person.user_id, "recipient_channel": None, "thread_key": None,
             "edits_key": None, "payload": ask, "status": "sent", "attempts": 1,
             "not_before": due, "last_error": None, "platform_message_id": None,
             "claimed_at": due, "created_at": due, "sent_at": due + timedelta(seconds=2),
             "file_digest": None}
        )  # fmt: skip
        chance = person.habit.answers * (0.5 if fading else 1.0)
        if not member.around(due):
            chance = 0.05  # gone quiet: hardly ever answers any more
        submitted = due + minutes(90.0, rng, spread=1.0)
        if rng.random() < chance and submitted <= now:
            rows.answers.append(
                {"occurrence_id": occurrence_id, "member_id": member.member_id,
                 "answers": [rng.choice(options) for options in template.answers],
                 "submitted_at": submitted}
            )  # fmt: skip
