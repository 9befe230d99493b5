"""Fan-out: 2,000 DMs through the real outbox and Slack sender to the local Slack, paced by limits.

    .venv/bin/python benchmarks/fanout.py [--quick] [--dms N] [--to-open K] [--url URL]

The local Slack enforces 1 message a second per channel (bursts of 3), 20 a second per
workspace (bursts of 20) and conversations.open at 50 a minute (bursts of 50), answering 429
with Retry-After beyond them. Most members' DM channels are known from earlier check-ins; the
newest ``--to-open`` members (default 5%) need conversations.open first. Halfway through, a
Discord post is queued (real discord.py client, local Discord): it must go within 1 s.

Prints the elapsed time, the floor the limits impose, their ratio (target 1.1x at most),
duplicates and lost (target 0), the Discord post's latency and the event loop's lag.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
from sqlalchemy import insert
from sqlmodel import col, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the local stand-ins live in tests/, which is not installed

from adapters.discord.sender import DiscordSender  # noqa: E402
from adapters.slack.runtime import web_client  # noqa: E402
from adapters.slack.sender import SlackSender  # noqa: E402
from benchmarks.lag import LoopLag  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import OutboxConfig, SlackConfig  # noqa: E402
from bot.direct import DirectChannels  # noqa: E402
from bot.outbox import OutboxDelivery, outbox_row  # noqa: E402
from bot.ui import Message, Outgoing, Recipient  # noqa: E402
from storage import outbox  # noqa: E402
from storage.engine import Store, build_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Community, Identity, Member, OutboxRow  # noqa: E402
from tests.fakes.discord import FakeDiscord  # noqa: E402
from tests.fakes.slack import FakeSlack, SlackLimits  # noqa: E402

TEAM = "T1"
AT = datetime(2026, 12, 1, tzinfo=UTC)


def floor_seconds(dms: int, to_open: int, limits: SlackLimits) -> float:
    """The least time the local Slack's limits allow for the scenario.

    Every DM is its own channel (one message each), so only the workspace rate and the opens
    bind: the workspace lets ``burst`` through at once and then ``rate`` a second; the last DM
    channel to open is ready only after the opens' burst and rate allow it, and its post needs
    a workspace token like every other.
    """
    workspace = max(0, dms - limits.workspace_burst) / limits.workspace_rate
    opens = max(0, to_open - limits.open_burst) / (limits.open_per_minute / 60)
    return max(workspace, opens)


async def seed(store: Store, dms: int, to_open: int) -> None:
    """Members with a Slack identity; all but the newest ``to_open`` have a known DM channel."""
    async with store.transaction() as session:
        community = Community(name="bench", created_at=AT)
        session.add(community)
        await session.flush()
        assert community.id is not None
        members = [
            {"community_id": community.id, "display_name": f"m{i}", "first_seen": AT}
            for i in range(dms)
        ]
        await session.exec(insert(Member).values(members))  # type: ignore[call-overload]
        ids = (await session.exec(select(Member.id).order_by(col(Member.id)))).all()
        identities = [
            {
                "member_id": member_id,
                "platform": "slack",
                "workspace": TEAM,
                "user_id": f"U{i}",
                "dm_channel": f"DU{i}" if i < dms - to_open else None,
            }
            for i, member_id in enumerate(ids)
        ]
        await session.exec(insert(Identity).values(identities))  # type: ignore[call-overload]
        ask = Message("📝 Time for the *standup* check-in: 2 questions, about a minute.")
        rows = [
            outbox_row(Outgoing(Recipient("slack", TEAM, user=f"U{i}"), ask, f"bench:{i}"), AT)
            for i in range(dms)
        ]
        await outbox.enqueue(session=session, rows=rows)


async def unfinished(store: Store) -> int:
    async with store.transaction() as session:
        query = select(func.count()).where(col(OutboxRow.status).in_(("pending", "sending")))
        return int((await session.exec(query)).one())


async def discord_client(fake: FakeDiscord) -> discord.Client:
    """A discord.py client logged in to the local Discord over REST (no gateway needed)."""
    discord.http.Route.BASE = fake.api_url
    client = discord.Client(intents=discord.Intents.none())
    await client.login("bench-token")
    return client


async def run(args: argparse.Namespace) -> dict[str, Any]:
    dms = args.dms
    to_open = args.to_open if args.to_open is not None else round(dms * 0.05)
    limits = SlackLimits()
    slack, fake_discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await fake_discord.start()
    slack.enforce(limits)
    with tempfile.TemporaryDirectory() as scratch:
        url = args.url or f"sqlite+aiosqlite:///{Path(scratch) / 'fanout.db'}"
        store = Store(build_engine(url))
        await upgrade(store.engine)
        client = await discord_client(fake_discord)
        try:
            await seed(store, dms, to_open)
            channels = DirectChannels(store)
            settings = SlackConfig(enabled=True, api_base_url=slack.api_url)
            senders = {
                "slack": SlackSender(web_client(settings, "xoxb-bench"), channels),
                "discord": DiscordSender(client, channels),
            }
            clock = SystemClock()
            delivery = OutboxDelivery(store, senders, clock, OutboxConfig())
            probe = LoopLag()
            probe.start()
            start = time.perf_counter()
            running = asyncio.create_task(delivery.run(poll=1.0))
            delivery.wake()
            latency = await discord_post(store, delivery, fake_discord, clock, start, args)
            while await unfinished(store):
                await asyncio.sleep(0.25)
            elapsed = time.perf_counter() - start
            lag = await probe.stop()
            delivery.stop()
            await running
            keys = Counter(
                m["metadata"]["event_payload"]["key"] for m in slack.posted() if m.get("metadata")
            )
            expected = {f"bench:{i}" for i in range(dms)}
            return {
                "dms": dms,
                "to_open": to_open,
                "elapsed": elapsed,
                "floor": floor_seconds(dms, to_open, limits),
                "duplicates": sum(n - 1 for n in keys.values()),
                "lost": len(expected - set(keys)),
                "limited": Counter(slack.limited),
                "opens": len(slack.calls_to("conversations.open")),
                "discord_latency": latency,
                "lag": lag,
            }
        finally:
            await client.close()
            await store.close()
            await slack.stop()
            await fake_discord.stop()


async def discord_post(
    store: Store,
    delivery: OutboxDelivery,
    fake: FakeDiscord,
    clock: SystemClock,
    start: float,
    args: argparse.Namespace,
) -> float:
    """Queue one Discord post a while into the fan-out; return how long it took to go out."""
    await asyncio.sleep(min(10.0, args.dms / 20 / 3))
    channel = "700000000000000042"
    post = Outgoing(Recipient("discord", "G1", channel=channel), Message("Weekly prompt"), "d:1")
    async with store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(post, clock.now())])
    queued = time.perf_counter()
    delivery.wake()
    while not fake.calls_to("POST", f"/channels/{channel}/messages"):
        await asyncio.sleep(0.005)
        if time.perf_counter() - queued > 60:
            return math.inf
    return time.perf_counter() - queued


def report(figures: dict[str, Any]) -> None:
    ratio = figures["elapsed"] / figures["floor"] if figures["floor"] else math.inf
    known = figures["dms"] - figures["to_open"]
    print(
        f"fan-out: {figures['dms']} DMs ({known} DM channels known, "
        f"{figures['to_open']} to open with conversations.open)"
    )
    print(f"elapsed {figures['elapsed']:.1f} s, floor {figures['floor']:.1f} s: {ratio:.3f}x")
    print(f"duplicates {figures['duplicates']}, lost {figures['lost']}")
    print(
        f"429s answered by the local Slack: {dict(figures['limited']) or 0}; "
        f"conversations.open calls: {figures['opens']}"
    )
    print(f"Discord post queued during the fan-out: out after {figures['discord_latency']:.3f} s")
    print(figures["lag"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 DMs instead of 2,000")
    parser.add_argument("--dms", type=int, default=None)
    parser.add_argument("--to-open", type=int, default=None, help="DM channels not known yet")
    parser.add_argument("--url", default=None, help="database URL (default: a temporary SQLite)")
    args = parser.parse_args()
    if args.dms is None:
        args.dms = 300 if args.quick else 2000
    report(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
