"""Sending gentle nudges: a personal DM to each quiet member naming what is coming (the next
event, the latest prompt, a way in), by hand with ``/cop nudge send`` or on a rhythm."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring
from bot.outbox_keys import NUDGE, nudge_key
from bot.ui import Message, Outgoing, Recipient
from bot.usecases.checkin_run import local_day
from bot.usecases.event_posts import when
from bot.usecases.participation import ledger_row
from bot.usecases.rhythm import community_jobs, fired_community
from bot.words import excerpt
from storage import events, ledger, nudges, pairing
from storage.models import Community, Event, Prompt
from storage.nudges import QuietMember

NUDGE_JOB = "nudge"


@dataclass(frozen=True)
class NudgeRound:
    """What one send did: the members nudged, and those left out by reason."""

    nudged: list[QuietMember] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    outgoing: list[Outgoing] = field(default_factory=list)


def pilot_only(community: Community) -> bool:
    """Whether nudges reach only the pilot members (while the community is in its pilot)."""
    return community.phase == "pilot"


async def quiet_members(
    session: AsyncSession, services: Services, community: Community, now: datetime
) -> tuple[list[QuietMember], dict[str, int]]:
    """Who may be nudged now, and how many quiet members are left out by reason."""
    assert community.id is not None
    query: dict[str, Any] = {
        "session": session,
        "community_id": community.id,
        "weeks": services.config.nudges.weeks,
        "now": now,
        "today": local_day(community, now),
        "pilot_only": pilot_only(community),
    }
    return await nudges.nudgeable(**query), await nudges.left_out(**query)


def offer(prompt: Prompt | None, in_pairing: bool) -> str:
    """The way back in a nudge offers: the latest prompt's thread (or the home channel), and a
    partner to talk to for a member not in pairing yet."""
    if prompt is not None:
        text = "The easiest way back in: reply to the latest prompt in its thread."
    else:
        text = "The easiest way back in: say hello in the community's channel."
    if not in_pairing:
        text += (
            " Or let us introduce you to another member or two for a short talk: `/cop pair join`."
        )
    return text


def nudge_message(
    quiet: QuietMember,
    community: Community,
    event: Event | None,
    prompt: Prompt | None,
    in_pairing: bool = False,
) -> Message:
    """A friendly, personal invitation back, naming what is coming."""
    lines = [
        f"👋 Hi {quiet.member.display_name}, it has been a while since we heard from you in "
        f"{community.name}, and we would love to have you back. Here is what is coming up:"
    ]
    if event is not None:
        lines.append(f"• 📅 {event.title}, {when(event)} in #{event.channel}")
    if prompt is not None:
        lines.append(f"• 💬 The latest prompt: “{excerpt(prompt.text, 120)}”")
    lines += [
        "",
        offer(prompt, in_pairing),
        "",
        "Rather not get these? `/cop nudge off` stops them.",
    ]
    return Message("\n".join(lines))


async def nudge_quiet(
    session: AsyncSession, services: Services, community: Community, now: datetime
) -> NudgeRound:
    """Nudge every quiet member who may be: their DMs, a ``nudge`` row and a ledger row each."""
    assert community.id is not None
    found, left_out = await quiet_members(session, services, community, now)
    if not found:
        return NudgeRound(left_out=left_out)
    coming = await events.events_from(session=session, community_id=community.id, since=now)
    event = next((e for e, _ in coming if e.status != "cancelled"), None)
    prompt = await nudges.latest_prompt(session=session, community_id=community.id)
    keyed = {nudge_key(community.id, q.member.id or 0, now): q for q in found}
    fresh = await nudges.record_nudges(
        session=session,
        community_id=community.id,
        sent=[(q.member.id or 0, key) for key, q in keyed.items()],
        at=now,
    )
    chosen = [(key, q) for key, q in keyed.items() if q.member.id in fresh]
    paired = await pairing.opted_in_among(
        session=session, member_ids=[q.member.id or 0 for _, q in chosen]
    )
    outgoing = [
        Outgoing(
            Recipient(q.identity.platform, q.identity.workspace, user=q.identity.user_id),
            nudge_message(q, community, event, prompt, q.member.id in paired),
            key,
            kind=NUDGE,
            subject=str(community.id),
        )
        for key, q in chosen
    ]
    rows = [
        ledger_row(community, q.member, "nudge", q.identity.platform, q.identity.workspace,
                   None, key, now)
        for key, q in chosen
    ]  # fmt: skip
    await ledger.append_many(session=session, rows=rows)
    return NudgeRound([q for _, q in chosen], left_out, outgoing)


async def nudge_jobs(
    session: AsyncSession, services: Services, subject: str | None
) -> list[Recurring]:
    """One job per community whose nudge rhythm is on, in the community's timezone."""
    rhythms = await nudges.active_schedules(session=session)
    return await community_jobs(session, NUDGE_JOB, rhythms, subject)


async def send_nudges(firing: Firing) -> Fired:
    """On each firing of a community's rhythm, nudge its quiet members."""
    rhythm = await nudges.schedule_of(session=firing.session, community_id=int(firing.subject))
    community = await fired_community(firing, rhythm)
    if community is None:
        return Fired()
    done = await nudge_quiet(firing.session, firing.services, community, firing.due)
    return Fired(done.outgoing, len(done.outgoing))


JOBS = (JobKind(NUDGE_JOB, send_nudges, recurring=nudge_jobs),)
