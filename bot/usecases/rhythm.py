"""Rhythms: a schedule someone typed (``schedule:"mon 10:00"``), checked once for every command
that takes one, a community's rhythm row set or stopped, its recurring jobs (prompts, nudges,
pairing), and the community a firing of one serves."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import CommandContext
from bot.errors import UsageError
from bot.jobs import Firing, Recurring
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
    """A community's rhythm row (prompts', nudges', pairing's): when it fires, since when, and
    whether it is on."""

    community_id: int
    expression: str
    created_at: datetime
    active: bool


def set_rhythm(
    ctx: CommandContext,
    rhythm: CommunityRhythm | None,
    table: Callable[..., CommunityRhythm],
    typed: str,
) -> str:
    """Put the community's rhythm (a row of ``table``) on the typed schedule, replacing any
    before; how the schedule reads, or a UsageError saying what is wrong with it."""
    expression = checked_schedule(ctx, typed)
    if rhythm is None:
        rhythm = table(community_id=ctx.community_id, expression=expression, created_at=ctx.now)
    rhythm.expression, rhythm.active, rhythm.created_at = expression, True, ctx.now
    ctx.session.add(rhythm)
    return ctx.services.calendar.describe(expression, ctx.community.timezone)


def stop_rhythm(ctx: CommandContext, rhythm: CommunityRhythm | None) -> bool:
    """Turn a community's rhythm off; False when it was not on (nothing changed)."""
    if rhythm is None or not rhythm.active:
        return False
    rhythm.active = False
    ctx.session.add(rhythm)
    return True


async def fired_community(firing: Firing, rhythm: CommunityRhythm | None) -> Community | None:
    """The community a rhythm's firing serves, or None when the rhythm is off or gone."""
    if rhythm is None or not rhythm.active:
        return None
    return await firing.session.get(Community, int(firing.subject))


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
