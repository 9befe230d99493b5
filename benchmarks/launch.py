"""Launch: `/cop phase launch` to 2,000 members, every welcome DM through the real outbox and
Slack sender to the local Slack, paced by its limits.

    .venv/bin/python benchmarks/launch.py [--quick] [--members N] [--speedup K] [--url URL]

The members are seen on Slack and were never sent a DM, so each welcome needs conversations.open
first: at Slack's 50 a minute (Tier 3) a real launch to 2,000 takes about 40 minutes, which is
what "gradually, within the platform's limits" means. ``--speedup K`` multiplies every limit of
the local Slack and of copbot's Slack lane by K (default 25: about 95 s for 2,000), so the run
shows the same pacing in less time; ``--speedup 1`` is Slack's own limits.

Prints how long the command took (the fan-out written in one transaction), the delivery's
elapsed time against the floor the limits impose (target 1.1x at most), DMs per member
(target: exactly one each), 429s and the event loop's lag.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the local stand-ins live in tests/, which is not installed

from adapters.slack.runtime import web_client  # noqa: E402
from adapters.slack.sender import SlackSender  # noqa: E402
from benchmarks.fanout import floor_seconds  # noqa: E402
from benchmarks.lag import LoopLag  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import OutboxConfig, SlackConfig  # noqa: E402
from bot.config_outbox import SlackLaneConfig  # noqa: E402
from bot.direct import DirectChannels  # noqa: E402
from bot.outbox import OutboxDelivery  # noqa: E402
from bot.outbox_keys import WELCOME  # noqa: E402
from storage.engine import Store, build_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Community, Identity, Member, OutboxRow  # noqa: E402
from tests.factories import Harness, config  # noqa: E402
from tests.fakes.slack import FakeSlack, SlackLimits  # noqa: E402

TEAM = "T1"
AT = datetime(2026, 11, 1, tzinfo=UTC)
CONFIG = {
    "communities": [
        {
            "name": "bench",
            "timezone": "Europe/Berlin",
            "console_workspace": "local",
            "slack_team_id": TEAM,
            "facilitators": ["console:alice"],
        }
    ]
}


async def seed(store: Store, members: int) -> None:
    """The community with ``members`` seen on Slack, none of them sent a DM yet."""
    async with store.transaction() as session:
        community = Community(name="bench", timezone="Europe/Berlin", created_at=AT)
        session.add(community)
        await session.flush()
        rows = [
            {"community_id": community.id, "display_name": f"m{i}", "first_seen": AT}
            for i in range(members)
        ]
        await session.exec(insert(Member).values(rows))  # type: ignore[call-overload]
        ids = (await session.exec(select(Member.id).order_by(col(Member.id)))).all()
        accounts = [
            {"member_id": m, "platform": "slack", "workspace": TEAM, "user_id": f"U{i}"}
            for i, m in enumerate(ids)
        ]
        await session.exec(insert(Identity).values(accounts))  # type: ignore[call-overload]


async def unfinished(store: Store) -> int:
    async with store.read() as session:
        query = select(func.count()).where(
            col(OutboxRow.platform) == "slack", col(OutboxRow.status).in_(("pending", "sending"))
        )
        return int((await session.exec(query)).one())


def scaled(k: float) -> tuple[SlackLimits, OutboxConfig]:
    """Slack's limits and copbot's Slack lane, every rate multiplied by ``k``."""
    base, lane = SlackLimits(), SlackLaneConfig()
    limits = SlackLimits(
        channel_rate=base.channel_rate * k,
        channel_burst=base.channel_burst,
        workspace_rate=base.workspace_rate * k,
        workspace_burst=base.workspace_burst,
        open_per_minute=base.open_per_minute * k,
        open_burst=base.open_burst,
    )
    paced = lane.model_copy(
        update={
            "rate_per_second": lane.rate_per_second * k,
            "channel_rate_per_second": lane.channel_rate_per_second * k,
            "opens_per_minute": lane.opens_per_minute * k,
        }
    )
    return limits, OutboxConfig(slack=paced)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    limits, outbox_config = scaled(args.speedup)
    slack = FakeSlack()
    await slack.start()
    slack.enforce(limits)
    with tempfile.TemporaryDirectory() as scratch:
        url = args.url or f"sqlite+aiosqlite:///{Path(scratch) / 'launch.db'}"
        store = Store(build_engine(url))
        await upgrade(store.engine)
        await seed(store, args.members)
        harness = await Harness.start(store, config(CONFIG))
        try:
            started = time.perf_counter()
            said = await harness.say("phase launch")
            command = time.perf_counter() - started
            assert "is launched" in said, said
            settings = SlackConfig(enabled=True, api_base_url=slack.api_url)
            sender = SlackSender(web_client(settings, "xoxb-bench"), DirectChannels(store))
            delivery = OutboxDelivery(store, {"slack": sender}, SystemClock(), outbox_config)
            probe = LoopLag()
            probe.start()
            start = time.perf_counter()
            running = asyncio.create_task(delivery.run(poll=1.0))
            delivery.wake()
            while await unfinished(store):
                await asyncio.sleep(0.25)
            elapsed = time.perf_counter() - start
            lag = await probe.stop()
            delivery.stop()
            await running
            dms = Counter(
                p["channel"]
                for p in slack.calls_to("chat.postMessage")
                if str(p.get("channel", "")).startswith("D")
            )
            async with store.read() as session:
                rows = (
                    await session.exec(select(func.count()).where(col(OutboxRow.kind) == WELCOME))
                ).one()
            return {
                "members": args.members,
                "speedup": args.speedup,
                "command": command,
                "welcome_rows": int(rows),
                "elapsed": elapsed,
                "floor": floor_seconds(args.members, args.members, limits),
                "welcomed": len(dms),
                "twice": sum(1 for n in dms.values() if n > 1),
                "limited": Counter(slack.limited),
                "opens": len(slack.calls_to("conversations.open")),
                "lag": lag,
            }
        finally:
            await harness.close()
            await store.close()
            await slack.stop()


def report(figures: dict[str, Any]) -> None:
    ratio = figures["elapsed"] / figures["floor"] if figures["floor"] else float("inf")
    print(
        f"launch: {figures['members']} members on Slack, limits x{figures['speedup']:g}; "
        f"`/cop phase launch` took {figures['command']:.2f} s "
        f"({figures['welcome_rows']} welcome DMs queued)"
    )
    print(f"delivery {figures['elapsed']:.1f} s, floor {figures['floor']:.1f} s: {ratio:.3f}x")
    print(
        f"members welcomed {figures['welcomed']} of {figures['members']}, "
        f"welcomed twice {figures['twice']}; conversations.open calls {figures['opens']}"
    )
    print(f"429s answered by the local Slack: {dict(figures['limited']) or 0}")
    print(figures["lag"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 members instead of 2,000")
    parser.add_argument("--members", type=int, default=None)
    parser.add_argument("--speedup", type=float, default=25.0, help="limits multiplied by this")
    parser.add_argument("--url", default=None, help="database URL (default: a temporary SQLite)")
    args = parser.parse_args()
    if args.members is None:
        args.members = 300 if args.quick else 2000
    report(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
