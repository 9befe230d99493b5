"""Run a check-in once: one occurrence, one DM with an Answer button per member of its audience.

Shared by ``/cop checkin run`` and the scheduler: the occurrence key makes a second firing of the
same minute (a restart, a second process) send nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import outbox_keys as keys
from bot.ids import interaction_id
from bot.outbox_keys import occurrence_key, share_key
from bot.timefmt import local_time
from bot.ui import Button, Message, Outgoing, Recipient
from storage import audience, checkins, jobs
from storage.models import CheckIn, Community, Identity, Member, Occurrence

AUDIENCES = ("members", "pilot", "everyone")
VIA = ("dm", "channel")


@dataclass(frozen=True)
class Run:
    """What running a check-in produced."""

    occurrence: Occurrence | None
    outgoing: list[Outgoing]
    already_ran: bool = False


def reminder_job_key(occurrence_id: int) -> str:
    """The key of the one-off job that reminds an occurrence's non-responders."""
    return f"{keys.CHECKIN_REMINDER}:{occurrence_id}"


async def schedule_reminder(
    session: AsyncSession,
    checkin: CheckIn,
    occurrence: Occurrence,
    after_seconds: float,
    now: datetime,
) -> bool:
    """Schedule the one reminder of an occurrence sent as DMs (``after_seconds`` after it was
    due; 0 means no reminders); True if a job was added. A scheduled firing and
    ``/cop checkin run`` both go through here, so both remind."""
    assert occurrence.id is not None
    if not after_seconds or checkin.via != "dm" or not occurrence.sent_count:
        return False
    return await jobs.schedule_once(
        session=session,
        key=reminder_job_key(occurrence.id),
        kind=keys.CHECKIN_REMINDER,
        subject=str(occurrence.id),
        due_at=occurrence.scheduled_for + timedelta(seconds=after_seconds),
        now=now,
    )


def reminder_key(occurrence_key: str, identity: Identity) -> str:
    """The outbox key of the one reminder a member may get for an occurrence."""
    return keys.reminder_key(
        occurrence_key, identity.platform, identity.workspace, identity.user_id
    )


def member_zone(member: Member, community: Community) -> str:
    """The timezone a member lives in for check-ins: theirs, else the community's."""
    return member.timezone or community.timezone


def is_away(member: Member, community: Community, at: datetime) -> bool:
    """Whether a member paused check-ins (``/cop away``) on the day of ``at``."""
    return member.away_until is not None and member.away_until >= local_day(community, at)


def in_audience(member: Member, audience: str, community: Community) -> bool:
    """Whether a member is asked: ``members`` follows the phase (pilot only during the pilot)."""
    if audience == "everyone":
        return True
    if pilot_only(audience, community):
        return member.cohort == "pilot"
    return True


def pilot_only(audience: str, community: Community) -> bool:
    """Whether an audience reaches only the pilot members (``members`` during the pilot)."""
    return audience != "everyone" and (audience == "pilot" or community.phase == "pilot")


def local_day(community: Community, at: datetime) -> date:
    """The day ``at`` falls on in the community's timezone (away days are counted in it)."""
    return at.astimezone(ZoneInfo(community.timezone)).date()


async def audience_of(
    session: AsyncSession,
    community: Community,
    checkin: CheckIn,
    at: datetime,
    zone: str | None = None,
    seen_by: datetime | None = None,
) -> list[tuple[Member, Identity]]:
    """Each member of the audience with where to ask them (their first identity); away members
    are left out, for a local-time firing only the members living in its zone, and with
    ``seen_by`` only the members copbot knew by then."""
    assert community.id is not None
    found = await audience.audience_members(
        session=session,
        community_id=community.id,
        pilot_only=pilot_only(checkin.audience, community),
        default_zone=community.timezone,
        zone=zone,
        on_day=local_day(community, at),
        seen_by=seen_by,
    )
    return list(found)


async def audience_counts(
    session: AsyncSession, community: Community, checkin: CheckIn
) -> list[tuple[str, date | None, int]]:
    """How many members of the audience live in each zone, by the day they are away until."""
    assert community.id is not None
    return list(
        await audience.audience_counts(
            session=session,
            community_id=community.id,
            pilot_only=pilot_only(checkin.audience, community),
            default_zone=community.timezone,
        )
    )


def answer_button(occurrence_id: int) -> Button:
    """The button that opens an occurrence's answer form."""
    return Button("Answer", interaction_id("answer", "occurrence", occurrence_id), "primary")


async def run_checkin(
    session: AsyncSession,
    community: Community,
    checkin: CheckIn,
    scheduled_for: datetime,
    now: datetime,
    *,
    zone: str | None = None,
    scheduled: bool = False,
) -> Run:
    """Create the occurrence for ``scheduled_for`` and the messages that ask its audience.

    A manual run with nobody to ask creates nothing; a scheduled one records the occurrence
    anyway, so that catch-up after downtime knows the firing happened.
    """
    assert checkin.id is not None and community.id is not None
    key = occurrence_key(checkin.id, scheduled_for, zone)
    existing = await checkins.occurrence_by_key(session=session, key=key)
    if existing is not None:
        return Run(existing, [], already_ran=True)
    targets = [i for _, i in await audience_of(session, community, checkin, scheduled_for, zone)]
    if not targets and not scheduled:
        return Run(None, [])
    occurrence = Occurrence(
        checkin_id=checkin.id,
        key=key,
        scheduled_for=scheduled_for,
        zone=zone,
        sent_count=len(targets),
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(occurrence)
    except IntegrityError:
        # Another process fired this same minute a moment ago: it sends, this one does not.
        return Run(await checkins.occurrence_by_key(session=session, key=key), [], True)
    assert occurrence.id is not None
    if not targets:
        return Run(occurrence, [])
    count = len(checkin.questions)
    subject = keys.checkin_subject(checkin.id)
    answer = answer_button(occurrence.id)
    questions = f"{count} question{'s' if count > 1 else ''}"
    if checkin.via == "channel" and checkin.share_channel and checkin.share_platform:
        # One post for everyone; answers collect in its thread.
        channel = Recipient(
            checkin.share_platform, checkin.share_workspace or "", channel=checkin.share_channel
        )
        text = (
            f"📝 *{checkin.name}* check-in, {local_time(scheduled_for, community.timezone)}: "
            f"{questions}. Press Answer; answers appear in the thread."
        )
        post = Message(text, buttons=(answer,))
        return Run(
            occurrence,
            [Outgoing(channel, post, share_key(key), kind=keys.CHECKIN_SHARE, subject=subject)],
        )
    ask = Message(
        f"📝 Time for the *{checkin.name}* check-in of {community.name}: {questions}, "
        "about a minute.",
        buttons=(answer,),
    )
    outgoing = [
        Outgoing(
            Recipient(identity.platform, identity.workspace, user=identity.user_id),
            ask,
            keys.ask_key(key, identity.platform, identity.workspace, identity.user_id),
            kind=keys.CHECKIN_ASK,
            subject=subject,
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
                kind=keys.CHECKIN_SHARE,
                subject=subject,
            )
        )
    return Run(occurrence, outgoing)
