"""Run a check-in once: one occurrence, one DM with an Answer button per member of its audience.

Shared by ``/cop checkin run`` and, later, the scheduler: the occurrence key makes a second firing
of the same minute send nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.ids import interaction_id
from bot.timefmt import local_time
from bot.ui import Button, Message, Outgoing, Recipient
from storage import checkins, directory
from storage.models import CheckIn, Community, Member, Occurrence

AUDIENCES = ("members", "pilot", "everyone")
VIA = ("dm", "channel")


@dataclass(frozen=True)
class Run:
    """What running a check-in produced."""

    occurrence: Occurrence | None
    outgoing: list[Outgoing]
    already_ran: bool = False


def occurrence_key(checkin_id: int, scheduled_for: datetime) -> str:
    """The idempotency key of a check-in's firing at a given minute."""
    return f"checkin:{checkin_id}:{scheduled_for:%Y-%m-%dT%H:%M}"


def in_audience(member: Member, audience: str, community: Community) -> bool:
    """Whether a member is asked: ``members`` follows the phase (pilot only during the pilot)."""
    if audience == "everyone":
        return True
    if audience == "pilot" or community.phase == "pilot":
        return member.cohort == "pilot"
    return True


async def run_checkin(
    session: AsyncSession,
    community: Community,
    checkin: CheckIn,
    scheduled_for: datetime,
    now: datetime,
) -> Run:
    """Create the occurrence for ``scheduled_for`` and the messages that ask its audience."""
    assert checkin.id is not None and community.id is not None
    key = occurrence_key(checkin.id, scheduled_for)
    existing = await checkins.occurrence_by_key(session=session, key=key)
    if existing is not None:
        return Run(existing, [], already_ran=True)
    members = [
        m
        for m in await directory.members_of(session=session, community_id=community.id)
        if in_audience(m, checkin.audience, community)
    ]
    identities = await directory.identities_of(
        session=session, member_ids=[m.id for m in members if m.id is not None]
    )
    targets = [identities[m.id][0] for m in members if m.id in identities]
    if not targets:
        return Run(None, [])
    occurrence = Occurrence(
        checkin_id=checkin.id,
        key=key,
        scheduled_for=scheduled_for,
        sent_count=len(targets),
        created_at=now,
    )
    session.add(occurrence)
    await session.flush()
    assert occurrence.id is not None
    count = len(checkin.questions)
    ask = Message(
        f"📝 Time for the *{checkin.name}* check-in of {community.name}: "
        f"{count} question{'s' if count > 1 else ''}, about a minute.",
        buttons=(
            Button("Answer", interaction_id("answer", "occurrence", occurrence.id), "primary"),
        ),
    )
    if checkin.via == "channel" and checkin.share_channel and checkin.share_platform:
        # One post for everyone; answers collect in its thread.
        channel = Recipient(
            checkin.share_platform, checkin.share_workspace or "", channel=checkin.share_channel
        )
        text = (
            f"📝 *{checkin.name}* check-in, {local_time(scheduled_for, community.timezone)}: "
            f"{count} question{'s' if count > 1 else ''}. "
            "Press Answer; answers appear in the thread."
        )
        return Run(
            occurrence, [Outgoing(channel, Message(text, buttons=ask.buttons), share_key(key))]
        )
    outgoing = [
        Outgoing(
            Recipient(identity.platform, identity.workspace, user=identity.user_id),
            ask,
            f"{key}:{identity.platform}:{identity.workspace}:{identity.user_id}",
        )
        for identity in targets
    ]
    if checkin.share_channel and checkin.share_platform and checkin.share_workspace:
        outgoing.append(
            Outgoing(
                Recipient(
                    checkin.share_platform, checkin.share_workspace, channel=checkin.share_channel
                ),
                Message(
                    f"📝 *{checkin.name}* check-in, "
                    f"{local_time(scheduled_for, community.timezone)}: "
                    "answers appear in this thread as they come in."
                ),
                share_key(key),
            )
        )
    return Run(occurrence, outgoing)


def share_key(occurrence_key: str) -> str:
    """The outbox key of the channel message whose thread collects an occurrence's answers."""
    return f"{occurrence_key}:thread"
