"""A demo community's care for its people: each member's welcome DM (the pilot as they come, the
launch cohort at the launch, later newcomers on arrival), the weekly pairing rounds of those who
opted in, and the nudges that invite quiet members back, with the ledger rows copbot writes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import outbox_keys as keys
from bot.pair_groups import Candidate, make_groups
from reports.demo_acts import LedgerRow, Placed
from reports.demo_people import WORKSPACES
from storage import nudges, pair_rounds
from storage.bulk_rows import insert_rows
from storage.engine import Store

# The chance that someone of a habit says ``/cop pair join``.
JOINS_PAIRING = {"core": 0.7, "active": 0.5, "peripheral": 0.25, "lurker": 0.05}
ROUND_AT = time(10, 0)  # pairing and nudges go out on Mondays at 10:00, community time
QUIET = ("peripheral", "lurker")  # the habits whose members go quiet long enough to be nudged
NUDGE_WEEKS = 4  # a member is nudged at most once in four weeks


def _monday_at(monday: date, timezone: str) -> datetime:
    return datetime.combine(monday, ROUND_AT, ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def _row(community_id: int, member: Placed, kind: str, key: str, at: datetime) -> LedgerRow:
    platform = member.person.platform
    return (community_id, member.member_id, kind, platform, WORKSPACES[platform], None, key, at,
            None, None)  # fmt: skip


def welcome_rows(
    community_id: int, members: Sequence[Placed], launch: datetime, now: datetime
) -> tuple[list[dict[str, object]], list[LedgerRow]]:
    """One welcome a tracked member: the pilot's on arrival, the launch cohort's at the launch
    or, for those who came later, on arrival."""
    welcomes, ledger = [], []
    for m in members:
        if m.person.opted_out:
            continue  # copbot keeps no record of them, a welcome included
        pilot = m.person.cohort == "pilot"
        at = m.first_seen + timedelta(minutes=2) if pilot else max(m.first_seen, launch)
        if at >= now:
            continue
        key = keys.welcome_key(community_id, m.member_id)
        cause = "pilot" if pilot else "launch" if at == launch else "message"
        welcomes.append({"member_id": m.member_id, "community_id": community_id,
                         "welcomed_at": at, "cause": cause, "key": key})  # fmt: skip
        ledger.append(_row(community_id, m, "welcome", key, at))
    return welcomes, ledger


async def write_care(
    store: Store,
    rng: random.Random,
    community_id: int,
    timezone: str,
    mondays: Sequence[date],
    launch_week: int,
    members: Sequence[Placed],
    now: datetime,
    fast: bool,
) -> list[LedgerRow]:
    """Write the welcomes, pairing rounds and nudges; the ledger rows they come with."""
    launch = _monday_at(mondays[launch_week], timezone)
    welcomes, ledger = welcome_rows(community_id, members, launch, now)
    await insert_rows(store=store, table="welcome", rows=welcomes, fast=fast)
    tracked = [m for m in members if not m.person.opted_out]
    pairing = [m for m in tracked if rng.random() < JOINS_PAIRING[m.person.habit.name]]
    nudged: dict[int, datetime] = {}
    rounds: list[set[frozenset[int]]] = []  # each round's pairs, to avoid for six rounds
    async with store.transaction() as session:
        for monday in mondays[launch_week:]:
            at = _monday_at(monday, timezone)
            if at >= now:
                break
            here = [m for m in pairing if m.around(at)]
            groups = _groups(here, timezone, at, set().union(*rounds[-6:]))
            if groups:
                key = f"pairing:{community_id}:{at:%Y-%m-%dT%H:%M}"
                await pair_rounds.record_round(
                    session=session, community_id=community_id, key=key, made_at=at, groups=groups
                )
                by_id = {m.member_id: m for m in here}
                ledger += [_row(community_id, by_id[i], "pair", f"{key}:{i}", at)
                           for _, g in groups for i in g]  # fmt: skip
                rounds.append({frozenset(p) for _, g in groups for p in _pairs(g)})
            quiet = [m for m in tracked if _nudgeable(m, at, nudged.get(m.member_id))]
            sent = [(m.member_id, keys.nudge_key(community_id, m.member_id, at)) for m in quiet]
            fresh = await nudges.record_nudges(
                session=session, community_id=community_id, sent=sent, at=at
            )
            nudged |= dict.fromkeys(fresh, at)
            by_id = {m.member_id: m for m in quiet}
            ledger += [_row(community_id, by_id[i], "nudge", k, at) for i, k in sent if i in fresh]
    return ledger


def _groups(
    here: Sequence[Placed], timezone: str, at: datetime, avoid: set[frozenset[int]]
) -> list[tuple[str, list[int]]]:
    """One round's groups, made on each platform apart (a conversation is on one platform)."""
    made: list[tuple[str, list[int]]] = []
    for platform in sorted({m.person.platform for m in here}):
        candidates = [
            Candidate(m.member_id, _offset(m, timezone, at))
            for m in here
            if m.person.platform == platform
        ]
        groups = make_groups(candidates, avoid=avoid, max_hours_apart=6, seed=f"demo:{at:%F}")
        made += [(platform, list(g)) for g in groups]
    return made


def _nudgeable(member: Placed, at: datetime, last: datetime | None) -> bool:
    """A quiet member around for three weeks or more, not nudged in the last four."""
    return (
        member.person.habit.name in QUIET
        and member.around(at)
        and at - member.first_seen >= timedelta(weeks=3)
        and (last is None or at - last >= timedelta(weeks=NUDGE_WEEKS))
    )


def _offset(member: Placed, timezone: str, at: datetime) -> float:
    offset = at.astimezone(ZoneInfo(member.person.timezone or timezone)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def _pairs(group: Sequence[int]) -> list[tuple[int, int]]:
    return [(a, b) for n, a in enumerate(group) for b in group[n + 1 :]]
