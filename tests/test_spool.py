"""The local spool keeps every act, also when several are put and read at once on a new file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.events import Actor, MessagePosted, Place
from bot.spool import Spool


def _posted(n: int) -> MessagePosted:
    return MessagePosted(
        actor=Actor(platform="discord", workspace="g1", user=f"u{n}"),
        place=Place(platform="discord", workspace="g1", channel="c1"),
        event_id=f"e{n}",
        at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    )


async def test_puts_and_peeks_at_once_on_a_new_file_lose_nothing(tmp_path: Path) -> None:
    for attempt in range(25):
        spool = Spool(tmp_path / f"spool-{attempt}.db")
        puts = [spool.put(_posted(n)) for n in range(20)]
        peeks = [spool.peek() for _ in range(20)]
        outcomes = await asyncio.gather(*puts, *peeks)
        assert outcomes[:20] == [True] * 20
        kept = await spool.peek()
        assert sorted(act.event_id for _, act in kept if isinstance(act, MessagePosted)) == sorted(
            f"e{n}" for n in range(20)
        )
