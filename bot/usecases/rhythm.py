"""Rhythms: a schedule someone typed (``schedule:"mon 10:00"``), checked once for every command
that takes one, and the recurring jobs of a community's rhythm rows (prompts, nudges)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import CommandContext
from bot.errors import UsageError
from bot.jobs import Recurring
from bot.schedule import ScheduleError, check_frequency
from storage.models import Community


def checked_schedule(ctx: CommandContext, typed: str) -> str:
    """The schedule expression in its canonical form, or a UsageError saying what is wrong."""
    calendar = ctx.services.calendar
    try:
        expression = calendar.normalize(typed)
        check_frequency(calendar, expression, ctx.services.config.scheduler.min_interval_minutes)
    except ScheduleError as error:
        raise UsageError(str(error)) from None
    return expression


class CommunityRhythm(Protocol):
    """A community's rhythm row (prompts', nudges'): when it fires and since when."""

    community_id: int
    expression: str
    created_at: datetime


async def community_jobs(
    session: AsyncSession, kind: str, rhythms: Iterable[CommunityRhythm], subject: str | None
) -> list[Recurring]:
    """One recurring job of ``kind`` per community rhythm that is on (all, or one community's
    as ``subject``), in the community's timezone, firing nothing from before it was set."""
    jobs = []
    for rhythm in rhythms:
        community = await session.get(Community, rhythm.community_id)
        if community is not None and (subject is None or subject == str(community.id)):
            jobs.append(
                Recurring(
                    kind,
                    str(community.id),
                    rhythm.expression,
                    community.timezone,
                    since=rhythm.created_at,
                )
            )
    return jobs
