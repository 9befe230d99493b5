"""A demo community's week of acts as ledger rows: posts by the week's rhythm, threads whose first
reply comes minutes to hours later (and some that never get one), reactions to the posts."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reports.demo_people import Person
from reports.demo_rhythm import WeekRhythm, poisson

# The ledger's columns in the order the rows below give them.
LEDGER_COLUMNS = (
    "community_id", "member_id", "kind", "platform", "workspace", "channel", "event_id",
    "occurred_at", "message_ref", "parent_ref",
)  # fmt: skip
LedgerRow = tuple[int, int | None, str, str, str, str | None, str, datetime, str | None, str | None]

# Channels of each platform and how much of the talk each one gets.
CHANNELS = {
    "slack": (
        ("C05GENERAL1", 5.0),
        ("C05HELPDESK", 3.0),
        ("C05SHOWTELL", 2.0),
        ("C05RANDOM01", 1.0),
    ),
    "console": (("general", 5.0), ("help", 3.0), ("show-and-tell", 2.0)),
}
REPLIED = 0.85  # the share of top-level posts that get any reply
INTRO_REPLIED = 0.9  # a newcomer's first post: people tend to welcome them
FIRST_REPLY_MINUTES = 35.0  # the median wait for a first reply
MORE_REPLIES = 0.55  # the chance of one more reply after each
REACTION_MINUTES = 25.0  # the median time from a post to a reaction to it
WEEK = timedelta(weeks=1)


def _when(row: LedgerRow) -> datetime:
    return row[7]


@dataclass(frozen=True)
class Placed:
    """A planned person once they are a member: their id (None in the ledger if opted out), when
    they were first seen and until when they take part."""

    person: Person
    member_id: int
    first_seen: datetime
    until: datetime | None  # exclusive; None: still around

    @property
    def ledger_id(self) -> int | None:
        """The member id their acts are counted under: none if they opted out."""
        return None if self.person.opted_out else self.member_id

    def around(self, at: datetime) -> bool:
        """Whether they could act at this instant."""
        return self.first_seen <= at and (self.until is None or at < self.until)


@dataclass(frozen=True)
class Post:
    """A top-level post of the week, which replies and reactions attach to."""

    at: datetime
    author: Placed
    platform: str
    channel: str
    ref: str
    intro: bool = False  # a newcomer's first post


def minutes(median: float, rng: random.Random, spread: float = 1.2) -> timedelta:
    """A wait with this median in minutes, skewed long (log-normal), from one minute to 4 days."""
    drawn = rng.lognormvariate(math.log(median), spread)
    return timedelta(minutes=min(max(drawn, 1.0), 4 * 24 * 60.0))


class WeekOfActs:
    """Makes each week's ledger rows for a community's members."""

    def __init__(
        self,
        rng: random.Random,
        community_id: int,
        workspaces: dict[str, str],
        timezone: str,
        now: datetime,
        intensity: float = 1.0,
    ) -> None:
        self._rng = rng
        self._community_id = community_id
        self._workspaces = workspaces
        self._timezone = timezone
        self._now = now
        self._intensity = intensity
        self._seq = 0

    def rows(
        self, members: list[Placed], monday: date, pulse: float, newcomer_week: int
    ) -> list[LedgerRow]:
        """The week's rows: ``pulse`` makes it busier or quieter than usual; members of the launch
        cohort first seen in week ``newcomer_week`` (this one) often introduce themselves."""
        rng, rhythm = self._rng, WeekRhythm(monday, self._timezone)
        start = rhythm.starts[0]
        end = start + WEEK
        present = [
            m for m in members if m.first_seen < end and (m.until is None or m.until > start)
        ]
        rows: list[LedgerRow] = []
        posts: dict[str, list[Post]] = {platform: [] for platform in CHANNELS}
        busy: list[tuple[Placed, int]] = []
        for member in present:
            habit = member.person.habit
            newcomer = (
                member.person.joined_week == newcomer_week and member.person.cohort == "launch"
            )
            if not newcomer and rng.random() > habit.weekly_chance * pulse:
                continue
            times = rhythm.instants(rng, poisson(rng, habit.messages * pulse * self._intensity))
            intro = None
            if newcomer and (member.person.overlooked or rng.random() < 0.7):
                # Soon after joining, their first post: nothing of theirs comes before it.
                intro = member.first_seen + timedelta(minutes=rng.uniform(2, 90))
                times = [intro, *(at for at in times if at > intro)]
            for at in sorted(times):
                if member.around(at) and at <= self._now:
                    post = self._post(member, at, intro=at == intro)
                    posts[post.platform].append(post)
                    rows.append(
                        self._row(member, "message", post.platform, post.channel, at, post.ref)
                    )
            busy.append((member, poisson(rng, habit.reactions * pulse * self._intensity)))
        for platform, platform_posts in posts.items():
            rows += self._threads(platform, platform_posts, [m for m, _ in busy])
        for member, count in busy:
            rows += self._reactions(member, count, posts, rhythm)
        # In the order they happened, as the bot would have counted them.
        rows.sort(key=_when)
        return rows

    def _platform(self, member: Placed) -> str:
        """Where a person acts: on their account, now and then on their second one."""
        if member.person.second_identity and self._rng.random() < 0.15:
            return "console"
        return member.person.platform

    def _post(self, member: Placed, at: datetime, intro: bool) -> Post:
        platform = self._platform(member)
        names, weights = zip(*CHANNELS[platform], strict=True)
        # A newcomer introduces themselves where everyone reads.
        channel = names[0] if intro else self._rng.choices(names, weights)[0]
        return Post(at, member, platform, channel, self._ref(platform, at), intro)

    def _threads(self, platform: str, posts: list[Post], people: list[Placed]) -> list[LedgerRow]:
        """Replies in the threads of the week's posts on one platform, by the week's people,
        the most engaged most often."""
        rng = self._rng
        repliers = [m for m in people if self._reaches(m, platform)]
        if not repliers or not posts:
            return []
        # Cumulative once: random.choices would add the weights up again on every draw.
        weights = list(itertools.accumulate(m.person.habit.reply_weight for m in repliers))
        rows: list[LedgerRow] = []
        for post in posts:
            if rng.random() > (INTRO_REPLIED if post.intro else REPLIED):
                continue
            if post.intro and post.author.person.overlooked:
                continue
            at = post.at + minutes(FIRST_REPLY_MINUTES, rng)
            while True:
                who = rng.choices(repliers, cum_weights=weights)[0]
                if who is not post.author and who.around(at) and at <= self._now:
                    ref = self._ref(platform, at)
                    rows.append(self._row(who, "reply", platform, post.channel, at, ref, post.ref))
                if rng.random() > MORE_REPLIES:
                    break
                at += minutes(60.0, rng)
        return rows

    def _reactions(
        self, member: Placed, count: int, posts: dict[str, list[Post]], rhythm: WeekRhythm
    ) -> list[LedgerRow]:
        """A member's reactions, mostly soon after someone's post, in that post's channel."""
        rows: list[LedgerRow] = []
        platform = member.person.platform
        targets = posts[platform]
        for _ in range(count):
            if targets:
                post = self._rng.choice(targets)
                at, channel = post.at + minutes(REACTION_MINUTES, self._rng), post.channel
            else:
                at, channel = rhythm.instants(self._rng, 1)[0], CHANNELS[platform][0][0]
            if member.around(at) and at <= self._now:
                rows.append(self._row(member, "reaction", platform, channel, at, None))
        return rows

    @staticmethod
    def _reaches(member: Placed, platform: str) -> bool:
        person = member.person
        return person.platform == platform or (
            platform == "console" and bool(person.second_identity)
        )

    def _ref(self, platform: str, at: datetime) -> str:
        """A message's platform id: Slack's timestamp form, the console's event id."""
        self._seq += 1
        if platform == "slack":
            return f"{int(at.timestamp())}.{self._seq % 1_000_000:06d}"
        return f"console-{self._rng.getrandbits(128):032x}"

    def _row(
        self,
        member: Placed,
        kind: str,
        platform: str,
        channel: str,
        at: datetime,
        ref: str | None,
        parent: str | None = None,
    ) -> LedgerRow:
        self._seq += 1
        event = f"Ev{self._seq:09X}" if platform == "slack" else ref or f"console-{self._seq:x}"
        workspace = self._workspaces[platform]
        return (self._community_id, member.ledger_id, kind, platform, workspace, channel, event,
                at, ref, parent)  # fmt: skip
