"""The people of a demo community: who they are, when they joined, how they take part, when
some of them stopped. Plans only, drawn from a seeded ``random.Random``; nothing is written here."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace

FIRST = (
    "Lena", "Jonas", "Aylin", "Mateo", "Priya", "Wei", "Olu", "Sofia", "Tobias", "Hannah", "Marek",
    "Ines", "Yusuf", "Clara", "Kenji", "Amara", "Felix", "Leonie", "Rafael", "Mira", "Daniel",
    "Zeynep", "Lukas", "Noor", "Emil", "Freya", "Arjun", "Maja", "Jakob", "Selin", "Paulo", "Nadia",
    "Henrik", "Ana", "Samuel", "Elif", "Moritz", "Chiara", "Kwame", "Julia", "Ravi", "Greta",
    "Omar", "Lotte", "Tomás", "Svenja", "Hiro", "Fatima", "Niklas", "Ewa", "Bruno", "Thandi",
    "Max", "Ilse", "Dev", "Carmen", "Oskar", "Yara", "Benedikt", "Mei",
)  # fmt: skip
LAST = (
    "Fischer", "Weber", "Demir", "García", "Nair", "Chen", "Adeyemi", "Rossi", "Becker", "Schulz",
    "Nowak", "Moreau", "Yilmaz", "Hoffmann", "Tanaka", "Okafor", "Wagner", "Kowalski", "Silva",
    "Jensen", "Krüger", "Öztürk", "Braun", "Haddad", "Lindqvist", "Iyer", "Novák", "Schmidt",
    "Costa", "Meyer", "Khan", "Wolf", "Petrov", "Santos", "Richter", "Nguyen", "Bauer", "Sato",
    "Mensah", "Keller", "Lopez", "Horvath", "Peters", "Dubois", "Klein", "Andersson",
)  # fmt: skip

_PLAIN = str.maketrans("áéöüç", "aeouc")
_SLACK_ID = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# The demo's Slack workspace and console session, where its members' accounts are.
WORKSPACES = {"slack": "T05DEMO01", "console": "local"}


# How each kind of participant takes part in a week they are around: the chance that they do
# anything, the messages they post (mean), how readily they reply to others (a weight among
# the week's people) and the reactions they leave (mean).
@dataclass(frozen=True)
class Habit:
    """How one kind of participant takes part in a week."""

    name: str
    weekly_chance: float
    messages: float
    reply_weight: float
    reactions: float
    answers: float  # the chance of answering a check-in they are sent


CORE = Habit("core", 0.93, 5.0, 9.0, 9.0, 0.9)
ACTIVE = Habit("active", 0.62, 1.6, 3.0, 5.0, 0.65)
PERIPHERAL = Habit("peripheral", 0.55, 0.12, 0.25, 3.0, 0.35)
LURKER = Habit("lurker", 0.12, 0.03, 0.05, 1.2, 0.1)


@dataclass(frozen=True)
class Person:
    """One planned member: their account, cohort, habits and the weeks they are around."""

    index: int
    display_name: str
    platform: str  # slack | console
    user_id: str
    cohort: str  # pilot | launch
    habit: Habit
    joined_week: int  # the week (0 first) they were first seen
    joined_offset: float  # how far into that week, as a fraction of it
    last_week: int | None  # the last week they are around (churned); None: to the end
    opted_out: bool = False
    overlooked: bool = False  # a newcomer whose introduction nobody answers (for the alert)
    second_identity: str | None = None  # a console account of the same person, if any
    timezone: str | None = None  # their own, as set in their profile; None: the community's


@dataclass(frozen=True)
class Scale:
    """How big a history to make: people, cohorts, weeks, check-ins, and (for a benchmark) how
    many ledger rows to aim for."""

    members: int = 60
    pilot: int = 10
    weeks: int = 12
    checkins: int = 2
    ledger_rows: int | None = None  # None: as many as the people's habits give
    launch_week: int = 2  # the week the launch cohort is invited
    # Groups that meet on their own, each with its events for its share of the members: one
    # for the demo, proportionally more in a larger community (``event_groups_for``).
    event_groups: int = 1


MEMBERS_PER_EVENT_GROUP = 60  # the demo's size: a community this big runs one set of events
# Where members say they live, and how many of them (the rest leave their timezone unset):
# mostly around the community in Europe, some in America, a few in Asia.
HOME_ZONES = (
    ("Europe/Berlin", 0.4), ("Europe/London", 0.15), ("Europe/Madrid", 0.05),
    ("America/New_York", 0.15), ("America/Chicago", 0.03), ("Asia/Tokyo", 0.05),
    ("Asia/Kolkata", 0.02),
)  # fmt: skip


def event_groups_for(members: int) -> int:
    """How many groups hold events in a community of this size."""
    return max(1, round(members / MEMBERS_PER_EVENT_GROUP))


def _name(rng: random.Random, first: str, last: str) -> str:
    """A display name as people set them: most in full, some shortened or as a handle."""
    form = rng.random()
    if form < 0.55:
        return f"{first} {last}"
    if form < 0.75:
        return f"{first} {last[0]}."
    if form < 0.88:
        return first
    return f"{first.lower()}.{last.lower()}"


def _distinct_name(rng: random.Random, names: set[str]) -> tuple[str, str]:
    """A first name and a display name made with it, unlike the others so far while there are
    enough names to go round (a large community has namesakes)."""
    for _ in range(8):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        display_name = _name(rng, first, last)
        if display_name not in names:
            break
    names.add(display_name)
    return first, display_name


def _habits(rng: random.Random, scale: Scale) -> list[tuple[Habit, bool]]:
    """Each person's habit and whether they churn; pilot members first, who lean to the core."""
    pilot = [CORE] * max(1, scale.pilot * 4 // 10) + [ACTIVE] * max(1, scale.pilot * 3 // 10)
    pilot += [PERIPHERAL] * (scale.pilot - len(pilot))
    launch_count = scale.members - scale.pilot
    shares = ((CORE, 0.03), (ACTIVE, 0.25), (LURKER, 0.16))
    launch = [habit for habit, share in shares for _ in range(round(launch_count * share))]
    launch += [PERIPHERAL] * (launch_count - len(launch))
    rng.shuffle(pilot)
    rng.shuffle(launch)
    # About one in ten stops taking part; they were active people, not lurkers.
    churns = [(h, h is ACTIVE and rng.random() < 0.45) for h in launch]
    return [(h, n == len(pilot) - 1) for n, h in enumerate(pilot)] + churns


def _account(rng: random.Random, platform: str, first: str, taken: set[str]) -> str:
    """A platform user id, unique in the community: Slack's ``U0…`` form, or a console login
    (the first name, with a number once it is taken)."""
    login = first.lower().translate(_PLAIN)
    for attempt in itertools.count():
        if platform == "slack":
            user = "U0" + "".join(rng.choice(_SLACK_ID) for _ in range(8))
        else:
            user = login if attempt == 0 else f"{login}{rng.randrange(2, 100 + attempt * 10)}"
        if user not in taken:
            taken.add(user)
            return user
    raise AssertionError("unreachable")


def _joined(rng: random.Random, scale: Scale, pilot: bool) -> tuple[int, float]:
    """When someone was first seen: the pilot at the start, most of the launch cohort in the
    launch week or the one after, the rest arriving over the weeks since."""
    if pilot:
        return 0, rng.uniform(0.0, 0.25)
    wave = rng.random()
    if wave < 0.6:
        return scale.launch_week + (wave > 0.42), rng.uniform(0.0, 0.9)
    return rng.randrange(scale.launch_week + 2, scale.weeks), rng.uniform(0.0, 0.9)


def plan_people(rng: random.Random, scale: Scale) -> list[Person]:
    """The community's members, pilot cohort first, with habits and the weeks they are around."""
    people: list[Person] = []
    taken: set[str] = set()
    names: set[str] = set()
    for index, (habit, churns) in enumerate(_habits(rng, scale)):
        pilot = index < scale.pilot
        first, display_name = _distinct_name(rng, names)
        platform = "slack" if rng.random() < 0.75 else "console"
        week, offset = _joined(rng, scale, pilot)
        last_week = None
        stops = rng.randrange(scale.weeks - 9, scale.weeks - 5)
        if churns and week < stops:
            # Churned as the report sees it: last active four to eight weeks before the last
            # full week, not since (those who join later stay).
            last_week = stops
        people.append(
            Person(
                index=index,
                display_name=display_name,
                platform=platform,
                user_id=_account(rng, platform, first, taken),
                cohort="pilot" if pilot else "launch",
                habit=habit,
                joined_week=week,
                joined_offset=offset,
                last_week=last_week,
                second_identity=(
                    _account(rng, "console", first, taken)
                    if platform == "slack" and habit is CORE and rng.random() < 0.3
                    else None
                ),
            )
        )
    # One active launch member opted out of tracking: their acts count only anonymously.
    candidates = [
        p for p in people if p.cohort == "launch" and p.habit is ACTIVE and not p.last_week
    ]
    if candidates:
        chosen = rng.choice(candidates)
        people[chosen.index] = replace(chosen, opted_out=True)
        candidates.remove(chosen)
    if candidates:
        # Someone new in the last full week whose first post nobody answered: what the report's
        # "needs attention" is for, so the demo always has one.
        chosen = rng.choice(candidates)
        people[chosen.index] = replace(
            chosen,
            joined_week=scale.weeks - 1,
            joined_offset=rng.uniform(0.0, 0.5),
            overlooked=True,
        )
    return people


def with_home_zones(rng: random.Random, people: list[Person]) -> list[Person]:
    """The people with the timezones most of them set (``HOME_ZONES``); the others keep none."""
    zones, weights = zip(*HOME_ZONES, strict=True)
    unset = 1.0 - sum(weights)
    placed = []
    for person in people:
        zone = rng.choices([*zones, None], [*weights, unset])[0]
        placed.append(replace(person, timezone=zone))
    return placed
