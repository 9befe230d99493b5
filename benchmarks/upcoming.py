"""`/cop upcoming` and `copbot schedule list` at size: 5,000 members in 20 zones, 20 check-ins.

    .venv/bin/python benchmarks/upcoming.py [--members N] [--url URL]

Times the whole command through ``Copbot.handle`` (parse, the actor's member, the week's firings
and their audiences) and ``schedule list``'s query for every community, and prints each p50/max
with the ratio to the 300 ms target, beside the baseline of reading the community's members
once (what the old Python loop had to do for every firing). SQLite in a temporary file by
default.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import select

from bot.commands.catalog import build_catalog
from bot.config import parse_config
from bot.context import Services
from bot.core import Copbot
from bot.directory import apply_config
from bot.events import Actor, CommandInvoked, Place
from bot.ledger import LedgerWriter
from bot.usecases.upcoming import upcoming
from scheduler.calendar import CronCalendar
from storage.engine import Store, build_engine
from storage.migrate import upgrade
from storage.models import Community, Identity, Member

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
TARGET = 0.300
ZONES = [
    "Europe/Berlin", "Europe/London", "Europe/Madrid", "Europe/Warsaw", "Europe/Athens",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Sao_Paulo", "America/Mexico_City", "Asia/Tokyo", "Asia/Seoul", "Asia/Kolkata",
    "Asia/Singapore", "Asia/Dubai", "Australia/Sydney", "Pacific/Auckland", "Africa/Lagos",
    "Africa/Nairobi",
]  # fmt: skip
SCHEDULES = (
    ["daily 09:00"] * 6
    + ["weekdays 09:30 local"] * 6
    + ["mon,thu 17:00"] * 4
    + ["daily 12:00 local"] * 3
    + ["cron */10 * * * *"]
)


class Clock:
    def now(self) -> datetime:
        return AT


async def seed(store: Store, services: Services, members: int) -> int:
    async with store.transaction() as session:
        await apply_config(session, services.config, AT)
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        await session.exec(
            insert(Member),  # type: ignore[call-overload]
            params=[
                {
                    "community_id": community.id,
                    "display_name": f"m{n}",
                    "timezone": ZONES[n % len(ZONES)],
                    "cohort": "launch",
                    "tracking_opted_out": False,
                    "first_seen": AT,
                }
                for n in range(members)
            ],
        )
        ids = (await session.exec(select(Member.id).order_by(Member.id))).all()
        await session.exec(
            insert(Identity),  # type: ignore[call-overload]
            params=[
                {"member_id": i, "platform": "console", "workspace": "local", "user_id": f"u{i}"}
                for i in ids
            ],
        )
        return community.id


def timed(samples: list[float]) -> str:
    p50, worst = statistics.median(samples), max(samples)
    return f"p50 {p50 * 1000:7.1f} ms, max {worst * 1000:7.1f} ms ({p50 / TARGET:.2f}x the target)"


async def main(url: str | None, members: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(build_engine(url or f"sqlite+aiosqlite:///{Path(folder) / 'up.db'}"))
        await upgrade(store.engine)
        config = parse_config(
            {"communities": [{"name": "big", "timezone": "Europe/Berlin",
                              "console_workspace": "local", "facilitators": ["console:u1"]}]},
            source="bench",
            calendar=CronCalendar(),
        )  # fmt: skip
        services = Services(config, CronCalendar(), Clock(), build_catalog())
        community_id = await seed(store, services, members)
        core = Copbot(store, services, LedgerWriter(store))
        actor = Actor("console", "local", "u1", "m0")
        where = Place("console", "local", "general")
        for number, schedule in enumerate(SCHEDULES, 1):
            expression = schedule.removesuffix(" local")
            options = " local_time:yes" if schedule.endswith(" local") else ""
            reply = await core.handle(
                CommandInvoked(
                    actor, where, f"add{number}", AT,
                    text=f'checkin add name:c{number} schedule:"{expression}" questions:Q{options}',
                )
            )  # fmt: skip
            assert "✅" in str(reply), reply

        baseline, command, listing = [], [], []
        for n in range(rounds):
            start = time.perf_counter()
            async with store.transaction() as session:
                found = (
                    await session.exec(select(Member).where(Member.community_id == community_id))
                ).all()
            baseline.append(time.perf_counter() - start)
            assert len(found) == members
            start = time.perf_counter()
            replies = await core.handle(CommandInvoked(actor, where, f"up{n}", AT, text="upcoming"))
            command.append(time.perf_counter() - start)
            assert "Coming up in big" in str(replies), replies
            start = time.perf_counter()
            async with store.transaction() as session:
                lines = await upcoming(session, services, None, AT)
            listing.append(time.perf_counter() - start)
        await store.close()
    print(f"upcoming: {members} members in {len(ZONES)} zones, {len(SCHEDULES)} check-ins, "
          f"{len(lines)} firing lines in 7 days, {store.dialect}")  # fmt: skip
    print(f"  baseline, read the community's members once: {timed(baseline)}")
    print(f"  /cop upcoming through Copbot.handle:          {timed(command)}")
    print(f"  copbot schedule list (every community):       {timed(listing)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--url", help="a database URL (default: SQLite in a temporary file)")
    args = parser.parse_args()
    asyncio.run(main(args.url, args.members, args.rounds))
