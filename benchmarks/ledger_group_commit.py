"""Ledger throughput: group commit (LedgerWriter) against one transaction per event, same run.

    .venv/bin/python benchmarks/ledger_group_commit.py [--events N] [--url URL]

Prints events per second for both and their ratio. SQLite in a temporary file by default.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.ledger import LedgerWriter
from storage import ledger
from storage.engine import Store, build_engine
from storage.migrate import upgrade
from storage.models import Community

AT = datetime(2026, 12, 1, tzinfo=UTC)


def row(community_id: int, n: int, tag: str) -> dict[str, Any]:
    return {
        "community_id": community_id,
        "member_id": None,
        "kind": "message",
        "platform": "bench",
        "workspace": "w",
        "channel": "c",
        "event_id": f"{tag}-{n}",
        "occurred_at": AT,
    }


async def one_per_event(store: Store, community_id: int, events: int) -> float:
    """Baseline: each handler commits its own row."""

    async def handle(n: int) -> None:
        async with store.transaction() as session:
            await ledger.append(session=session, rows=[row(community_id, n, "single")])

    start = time.perf_counter()
    await asyncio.gather(*(handle(n) for n in range(events)))
    return events / (time.perf_counter() - start)


async def group_commit(store: Store, community_id: int, events: int) -> float:
    """Each handler awaits the commit of the batch that holds its row."""
    writer = LedgerWriter(store)
    start = time.perf_counter()
    await asyncio.gather(*(writer.record(row(community_id, n, "group")) for n in range(events)))
    rate = events / (time.perf_counter() - start)
    await writer.close()
    return rate


async def main(events: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        # The baseline opens every event's transaction at once: let them all wait their turn.
        wait = 120.0
        where = url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        store = Store(build_engine(where, write_wait=wait), write_wait=wait)
        await upgrade(store.engine)
        async with store.transaction() as session:
            community = Community(name=f"bench-{time.time_ns()}", created_at=AT)
            session.add(community)
            await session.flush()
            assert community.id is not None
            community_id = community.id
        baseline = await one_per_event(store, community_id, events)
        grouped = await group_commit(store, community_id, events)
        await store.close()
    print(f"backend: {store.dialect}, {events} concurrent events")
    print(f"one transaction per event (baseline): {baseline:10.0f} events/s")
    print(f"group commit (LedgerWriter):          {grouped:10.0f} events/s")
    print(f"ratio: {grouped / baseline:.1f}x the baseline")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--url", help="a database URL (default: SQLite in a temporary file)")
    options = parser.parse_args()
    asyncio.run(main(options.events, options.url))
