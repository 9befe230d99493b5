"""Making a pairing round: the eligible members grouped per platform, each group introduced in
one group conversation, the round stored; by hand with ``/cop pair run`` or on a rhythm."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import PLATFORM_NAMES
from bot.context import Services
from bot.jobs import Fired, Firing, JobKind, Recurring, firing_key
from bot.outbox_keys import PAIR_INTRO, pair_intro_key
from bot.pair_groups import Candidate, make_groups
from bot.timefmt import local_time
from bot.ui import Message, Outgoing, Recipient
from bot.usecases.checkin_run import local_day
from bot.usecases.nudge_jobs import pilot_only
from bot.usecases.participation import ledger_row
from bot.usecases.rhythm import community_jobs, fired_community
from storage import ledger, pair_rounds, pairing
from storage.models import Community
from storage.pairing import Pairable

PAIR_JOB = "pairing"
# Openers for a first talk between practitioners: about the work, not small talk.
STARTERS = (
    "What are you working on this month that you would like a second pair of eyes on?",
    "What is one thing you learnt the hard way that you wish someone had told you sooner?",
    "Which tool, paper or habit changed how you work in the last year?",
    "What problem in our field do you keep coming back to?",
    "Who taught you the most about this craft, and what did they teach you?",
    "What would you try if you had a free afternoon to experiment next week?",
)


@dataclass(frozen=True)
class MadeGroup:
    """One group of a round: its members and how they were introduced."""

    members: list[Pairable]
    by_dm: bool = False  # no group conversation was possible: each member got a DM


@dataclass(frozen=True)
class PairingRound:
    """What one round did: its groups, who was left out and why, and the introductions."""

    groups: list[MadeGroup] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    outgoing: list[Outgoing] = field(default_factory=list)
    made_before: bool = False  # a round of this key was made already: nothing new


def manual_key(community_id: int, now: datetime) -> str:
    """The round key of ``/cop pair run``: one per minute (a retried command makes one round)."""
    return f"{firing_key(PAIR_JOB, str(community_id), now)}:manual"


def _zone(person: Pairable, community: Community) -> str:
    return person.member.timezone or community.timezone


def _offset(zone: str, at: datetime) -> float:
    offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def _discord_home(services: Services, community: Community) -> str | None:
    """The Discord home channel a group's private thread is opened in, if there is one."""
    settings = services.community_config(community.name)
    for channel in settings.home_channels if settings else ():
        platform, _, bare = channel.rpartition(":")
        if platform == "discord" or (not platform and bare.isdigit()):
            return bare
    return None


async def pair_members(
    session: AsyncSession, services: Services, community: Community, now: datetime, key: str
) -> PairingRound:
    """Make the round of ``key``: group the eligible members per platform, store the round,
    and introduce each group; nothing is stored when no group can be made."""
    assert community.id is not None
    if await pair_rounds.round_by_key(session=session, key=key) is not None:
        return PairingRound(made_before=True)
    query: dict[str, Any] = {
        "session": session,
        "community_id": community.id,
        "today": local_day(community, now),
        "pilot_only": pilot_only(community),
    }
    found, left_out = await pairing.pairable(**query), await pairing.left_out(**query)
    settings = services.config.pairing
    avoid = await pair_rounds.recent_pairs(
        session=session, community_id=community.id, rounds=settings.avoid_rounds
    )
    # A group conversation cannot span two platforms: each is grouped on its own.
    places: dict[tuple[str, str], list[Pairable]] = defaultdict(list)
    for person in found:
        places[(person.identity.platform, person.identity.workspace)].append(person)
    by_id = {p.member.id or 0: p for p in found}
    made: list[list[Pairable]] = []
    for (platform, workspace), people in sorted(places.items()):
        candidates = [
            Candidate(p.member.id or 0, _offset(_zone(p, community), now)) for p in people
        ]
        groups = make_groups(
            candidates,
            avoid=avoid,
            max_hours_apart=settings.max_hours_apart,
            seed=f"{key}:{platform}:{workspace}",
        )
        made += [[by_id[m] for m in group] for group in groups]
        if len(people) == 1:
            left_out[f"with nobody else on {PLATFORM_NAMES.get(platform, platform)}"] = 1
    if not made:
        return PairingRound(left_out=left_out)
    await pair_rounds.record_round(
        session=session,
        community_id=community.id,
        key=key,
        made_at=now,
        groups=[(g[0].identity.platform, [p.member.id or 0 for p in g]) for g in made],
    )
    home = _discord_home(services, community)
    done, outgoing, rows = [], [], []
    for index, group in enumerate(made, start=1):
        intro_key = pair_intro_key(key, index)
        by_dm = group[0].identity.platform == "discord" and home is None
        starter = random.Random(intro_key).choice(STARTERS)
        outgoing += _introductions(group, community, now, intro_key, starter, home)
        # Who was paired and when: not a contribution (counted in no activity figure).
        rows += [
            ledger_row(community, p.member, "pair", p.identity.platform, p.identity.workspace,
                       None, f"{intro_key}:{p.member.id}", now)
            for p in group
        ]  # fmt: skip
        done.append(MadeGroup(group, by_dm))
    await ledger.append_many(session=session, rows=rows)
    return PairingRound(done, left_out, outgoing)


def _who(person: Pairable, community: Community, now: datetime) -> str:
    zone = _zone(person, community)
    return f"{person.member.display_name} ({local_time(now, zone, with_day=False)} now)"


def _introductions(
    group: list[Pairable],
    community: Community,
    now: datetime,
    key: str,
    starter: str,
    home: str | None,
) -> list[Outgoing]:
    """One message in the group's conversation, or (Discord with no home channel for a
    private thread) a DM to each naming the others."""
    first = group[0].identity
    users = tuple(p.identity.user_id for p in group)
    footer = (
        f"💬 To get you started: {starter}\n\n`/cop pair leave` takes you out of the next rounds."
    )
    common = {"kind": PAIR_INTRO, "subject": str(community.id)}
    if first.platform != "discord" or home is not None:
        names = "\n".join(f"• {_who(p, community, now)}" for p in group)
        text = (
            f"🤝 Meet your pairing group in {community.name}!\n{names}\n\n"
            "Find half an hour in the next two weeks to talk about your work: pick a time "
            f"here that suits you all.\n{footer}"
        )
        # On Discord, a private thread in the home channel (bots cannot open group DMs).
        parent = home if first.platform == "discord" else None
        where = Recipient(first.platform, first.workspace, channel=parent, group=users)
        return [Outgoing(where, Message(text), key, **common)]
    outgoing = []
    for person in group:
        others = " and ".join(_who(p, community, now) for p in group if p is not person)
        text = (
            f"🤝 In {community.name} you are paired with {others} this round. There is no "
            "channel here to open a group conversation in, so say hello to them directly "
            f"and find half an hour in the next two weeks to talk about your work.\n{footer}"
        )
        where = Recipient(first.platform, first.workspace, user=person.identity.user_id)
        outgoing.append(Outgoing(where, Message(text), f"{key}:dm:{person.member.id}", **common))
    return outgoing


async def pairing_jobs(
    session: AsyncSession, services: Services, subject: str | None
) -> list[Recurring]:
    """One job per community whose pairing rhythm is on, in the community's timezone."""
    rhythms = await pairing.active_schedules(session=session)
    return await community_jobs(session, PAIR_JOB, rhythms, subject)


async def run_pairing(firing: Firing) -> Fired:
    """On each firing of a community's rhythm, pair its eligible members (once per firing)."""
    rhythm = await pairing.schedule_of(session=firing.session, community_id=int(firing.subject))
    community = await fired_community(firing, rhythm)
    if community is None:
        return Fired()
    done = await pair_members(firing.session, firing.services, community, firing.due, firing.key)
    return Fired(done.outgoing, sum(len(g.members) for g in done.groups))


JOBS = (JobKind(PAIR_JOB, run_pairing, recurring=pairing_jobs),)
