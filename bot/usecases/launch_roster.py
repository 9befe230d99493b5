"""The launch's second half: the people each platform lists in the home channels, most of whom
copbot never saw, made members and welcomed.

A one-off job of kind ``launch-roster`` due at the launch: its ``prepare`` step asks the
platforms (network calls, never inside a transaction) and adds the people copbot had not met, in
batches; its firing welcomes every member not welcomed yet, like the launch itself did."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot import directory
from bot.config import CommunityConfig
from bot.context import CommandContext, Services
from bot.jobs import Fired, Firing, JobKind
from bot.roster import Person
from bot.usecases.launch import HomePlace, home_channels, typed_in
from bot.usecases.welcome import welcome_pending
from storage import counted_acts, jobs
from storage.engine import Store
from storage.models import Community

log = logging.getLogger(__name__)
LAUNCH_ROSTER_JOB = "launch-roster"
BATCH = 1000  # people added in one transaction (SQLite binds three values each)
# A launch's roster is worth having hours late (copbot was down at the launch).
ROSTER_GRACE = 7 * 86400
# A platform that could not say is asked again 5, 10, 20... minutes later, six times at most.
RETRY_AFTER = timedelta(minutes=5)
MAX_TRIES = 6


def roster_key(community_id: int) -> str:
    """The one roster job of a community's launch (a community launches once)."""
    return f"{LAUNCH_ROSTER_JOB}:{community_id}"


def roster_subject(community_id: int, fallback: HomePlace | None) -> str:
    """The job's subject: the community and, when the config names no home channels, the
    channel the launch was typed in (only its members are listed then)."""
    if fallback is None:
        return str(community_id)
    return "|".join((str(community_id), *fallback))


def _places(entry: CommunityConfig, subject: str) -> list[tuple[str, str, list[str]]]:
    """(platform, workspace, channels) to list: the home channels of each platform, else the
    channel the launch was typed in; never a whole workspace (a company's Slack is not the
    community)."""
    channels = home_channels(entry)
    _, *fallback = subject.split("|")
    if not channels and len(fallback) == 3:
        channels = [(fallback[0], fallback[1], fallback[2])]
    places: dict[tuple[str, str], list[str]] = {}
    for platform, workspace, channel in channels:
        places.setdefault((platform, workspace), []).append(channel)
    return [(p, w, c) for (p, w), c in places.items()]


async def list_later(ctx: CommandContext) -> bool:
    """Schedule the listing of the launch's people, now, where a platform of the community can
    list them; whether it was."""
    roster = ctx.services.roster
    entry = ctx.services.community_config(ctx.community.name)
    if roster is None or entry is None:
        return False
    fallback = None if home_channels(entry) else typed_in(ctx)
    subject = roster_subject(ctx.community_id, fallback)
    if not any(p in roster.platforms for p, _, _ in _places(entry, subject)):
        return False
    return await jobs.schedule_once(
        session=ctx.session,
        key=roster_key(ctx.community_id),
        kind=LAUNCH_ROSTER_JOB,
        subject=subject,
        due_at=ctx.now,
        now=ctx.now,
    )


async def _add_people(
    store: Store, services: Services, platform: str, workspace: str, people: Sequence[Person],
    now: datetime,
) -> None:  # fmt: skip
    """Make members of the people copbot has not met (names refreshed for those it has)."""
    async with store.transaction() as session:
        await directory.community_for(session, services.config, platform, workspace, now)
    for start in range(0, len(people), BATCH):
        strangers = [
            counted_acts.Stranger((platform, workspace, p.user), p.name, now)
            for p in people[start : start + BATCH]
        ]
        try:
            await counted_acts.count(store, [], strangers)
        except IntegrityError:
            # Another process made one of them a moment ago: now they are known.
            await counted_acts.count(store, [], strangers)


async def list_people(
    store: Store, services: Services, subject: str, due: datetime, now: datetime
) -> list[str]:
    """Ask each platform of the community for its people and add the new ones; the platforms
    that could not say (not connected yet, an outage), asked again later."""
    roster = services.roster
    async with store.read() as session:
        community = await session.get(Community, int(subject.split("|")[0]))
    entry = services.community_config(community.name) if community else None
    if roster is None or entry is None:
        return []
    unanswered = []
    for platform, workspace, channels in _places(entry, subject):
        people = None
        if platform in roster.platforms:
            people = await roster.people(platform, workspace, channels)
        if people is None:
            unanswered.append(platform)
            continue
        await _add_people(store, services, platform, workspace, people, now)
    return unanswered


async def welcome_listed(firing: Firing) -> Fired:
    """Welcome everyone the platforms listed (and anyone else) not welcomed yet; where a
    platform could not say, ask it again later (a few times, further apart each time)."""
    community = await firing.session.get(Community, int(firing.subject.split("|")[0]))
    if community is None or community.launched_at is None:
        return Fired()
    outgoing = await welcome_pending(
        firing.session, firing.services, community, firing.now, "launch"
    )
    unanswered: list[str] = firing.prepared or []
    tries = _tries(firing.key)
    again = False
    if unanswered and tries < MAX_TRIES:
        again = await jobs.schedule_once(
            session=firing.session,
            key=f"{roster_key(community.id or 0)}:try{tries + 1}",
            kind=LAUNCH_ROSTER_JOB,
            subject=firing.subject,
            due_at=firing.now + RETRY_AFTER * 2**tries,
            now=firing.now,
        )
    elif unanswered:
        log.warning(
            "launch: %s could not list its people; they are welcomed as they come",
            " and ".join(unanswered),
        )
    return Fired(outgoing, len(outgoing), schedules_changed=again)


def _tries(key: str) -> int:
    """How many times the listing was tried before this one (from its job's key)."""
    _, _, last = key.rpartition(":try")
    return int(last) if last.isdigit() else 0


JOBS = (JobKind(LAUNCH_ROSTER_JOB, welcome_listed, grace=ROSTER_GRACE, prepare=list_people),)
