"""The inbound path: neutral events through ``Copbot.count`` to committed ledger rows, against
the raw batched insert of the same rows, measured in the same run.

    .venv/bin/python benchmarks/ingest.py [--events N] [--concurrency C] [--url URL]

Events are messages and reactions from 200 people (created on first sight), 20% of them
duplicates (a retried delivery); C handlers run at once. Prints events/s, the baselines
(sqlite3 ``executemany``; on PostgreSQL asyncpg ``executemany`` and ``COPY``; best of three),
the ratios (on SQLite also by CPU time, steadier on a shared machine), the ledger's batches, and
the event loop's lag during the run (how late a 10 ms timer fires). SQLite in a temporary file
by default.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, func, select

from bot.clock import FixedClock
from bot.commands.catalog import build_catalog
from bot.config import parse_config
from bot.context import Services
from bot.core import Copbot
from bot.directory import apply_config
from bot.events import Actor, MessagePosted, Place, ReactionAdded
from bot.ledger import LedgerWriter
from scheduler.calendar import CronCalendar
from storage.engine import Store, build_engine
from storage.migrate import upgrade
from storage.models import LedgerEntry

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)
PEOPLE = 200
BASELINE_RUNS = 3
COLUMNS = ("community_id", "member_id", "kind", "platform", "workspace", "channel")
COLUMNS += ("event_id", "message_ref", "parent_ref", "occurred_at")


def events(count: int, seed: int = 8) -> list[MessagePosted | ReactionAdded]:
    """``count`` events, a fifth of them repeats of an earlier one, shuffled."""
    rng = random.Random(seed)
    unique = count - count // 5
    made: list[MessagePosted | ReactionAdded] = []
    for n in range(unique):
        who = Actor("console", "bench", f"u{rng.randrange(PEOPLE)}", display_name=None)
        where = Place("console", "bench", f"c{n % 5}")
        at = AT + timedelta(milliseconds=n)
        if n % 4:
            reply = n % 3 == 0
            # A reply's place names its thread: the message a few before it.
            where = Place("console", "bench", f"c{n % 5}", f"m{n - 4}" if reply else None)
            made.append(MessagePosted(who, where, f"m{n}", at, reply, message_ref=f"m{n}"))
        else:
            made.append(ReactionAdded(who, where, f"r{n}", at))
    made += [rng.choice(made) for _ in range(count - unique)]
    rng.shuffle(made)
    return made


class LoopLag:
    """How late a 10 ms timer fires while the benchmark runs."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(0.010)
            self.delays.append((loop.time() - start - 0.010) * 1000)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()

    def summary(self) -> str:
        ordered = sorted(self.delays) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (
            f"p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, "
            f"max {ordered[-1]:.1f} ms ({len(ordered)} samples)"
        )


@dataclass
class Run:
    """What a run through the core measured."""

    rate: float  # events/s, wall clock
    cpu_rate: float  # events per second of this process's CPU time (all its threads)
    lag: LoopLag
    stored: int  # rows committed
    batches: int  # ledger batches committed
    settled: float  # seconds after the last event's count until the newcomers' welcomes were sent


async def through_handle(
    store: Store, stream: list[MessagePosted | ReactionAdded], concurrency: int
) -> Run:
    """Events/s through the core (wall clock and CPU time), the loop lag meanwhile, the rows
    committed and the batches they took."""
    cfg = parse_config(
        {"communities": [{"name": "bench", "console_workspace": "bench"}]},
        source="bench",
        calendar=CronCalendar(),
    )
    services = Services(cfg, CronCalendar(), FixedClock(AT), build_catalog())
    async with store.transaction() as session:
        await apply_config(session, cfg, AT)
        # A database given with --url may hold an earlier run's rows: start from none.
        await session.exec(delete(LedgerEntry).where(col(LedgerEntry.workspace) == "bench"))
    ledger = LedgerWriter(store)
    core = Copbot(store, services, ledger)
    # Warm up (connections opened, statements compiled) in a workspace of its own.
    warm = Actor("console", "warmup", "w", display_name=None)
    await core.handle(MessagePosted(warm, Place("console", "warmup", "c"), "warm", AT))
    queue = iter(stream)

    async def handler() -> None:
        for event in queue:  # the handlers share one iterator: each event is handled once
            # What the Slack and Discord adapters call before they acknowledge an event: the
            # count, committed; a newcomer's welcome follows in the background.
            await core.count(event)

    batches = ledger.batches
    with LoopLag() as lag:
        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(handler() for _ in range(concurrency)))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        await core.welcomer.settle()
        settled = time.perf_counter() - start - elapsed
    await ledger.close()
    async with store.transaction() as session:
        # The events' rows only: the 200 people's welcome DMs are in the ledger too.
        query = select(func.count()).where(
            col(LedgerEntry.workspace) == "bench", col(LedgerEntry.kind) != "welcome"
        )
        stored = int((await session.exec(query)).one())
    count = len(stream)
    return Run(
        count / elapsed, count / max(cpu, 1e-9), lag, stored, ledger.batches - batches, settled
    )


def raw_rows(stream: list[MessagePosted | ReactionAdded]) -> list[tuple[Any, ...]]:
    """The rows the events become, as plain tuples (member ids made up, as a driver sees them)."""
    return [
        (
            1,
            int(e.actor.user[1:]) + 1,
            "reaction" if isinstance(e, ReactionAdded) else "message",
            "console",
            "bench",
            e.place.channel,
            e.event_id,
            e.message_ref if isinstance(e, MessagePosted) else None,
            e.place.thread,
            e.at,
        )
        for e in stream
    ]


def sqlite_executemany(
    folder: Path, rows: list[tuple[Any, ...]], attempt: int = 0
) -> tuple[float, float]:
    """Rows/s for stdlib sqlite3 ``executemany`` into a table like the ledger, one transaction,
    by the wall clock and by CPU time."""
    db = sqlite3.connect(folder / f"raw{attempt}.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE ledger (id INTEGER PRIMARY KEY, community_id INT NOT NULL, member_id INT,"
        " kind TEXT NOT NULL, platform TEXT NOT NULL, workspace TEXT NOT NULL, channel TEXT,"
        " event_id TEXT NOT NULL, message_ref TEXT, parent_ref TEXT, occurred_at TEXT NOT NULL,"
        " UNIQUE (platform, workspace, event_id))"
    )
    for column in ("community_id", "member_id", "occurred_at"):
        db.execute(f"CREATE INDEX ix_{column} ON ledger ({column})")
    text_rows = [(*r[:-1], r[-1].isoformat(sep=" ")) for r in rows]
    start, cpu = time.perf_counter(), time.process_time()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        f"INSERT OR IGNORE INTO ledger ({', '.join(COLUMNS)})"
        f" VALUES ({', '.join('?' * len(COLUMNS))})",
        text_rows,
    )
    db.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
    return len(rows) / elapsed, len(rows) / max(cpu, 1e-9)


async def asyncpg_baselines(url: str, rows: list[tuple[Any, ...]]) -> tuple[float, float]:
    """Rows/s for asyncpg ``executemany`` (duplicates skipped) and ``COPY`` (of the unique rows)
    into a table like the ledger."""
    import asyncpg  # only for PostgreSQL runs

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    create = (
        "CREATE TEMP TABLE raw_{0} (id SERIAL PRIMARY KEY, community_id INT NOT NULL,"
        " member_id INT, kind VARCHAR(24) NOT NULL, platform VARCHAR(16) NOT NULL,"
        " workspace VARCHAR(64) NOT NULL, channel VARCHAR(64), event_id VARCHAR(200) NOT NULL,"
        " message_ref VARCHAR(64), parent_ref VARCHAR(64), occurred_at TIMESTAMPTZ NOT NULL,"
        " UNIQUE (platform, workspace, event_id))"
    )
    try:
        await connection.execute("DROP TABLE IF EXISTS raw_many, raw_copy")
        await connection.execute(create.format("many"))
        start = time.perf_counter()
        async with connection.transaction():
            await connection.executemany(
                f"INSERT INTO raw_many ({', '.join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6,"
                " $7, $8, $9, $10) ON CONFLICT (platform, workspace, event_id) DO NOTHING",
                rows,
            )
        many = len(rows) / (time.perf_counter() - start)
        await connection.execute(create.format("copy"))
        unique = list({r[6]: r for r in rows}.values())
        start = time.perf_counter()
        async with connection.transaction():
            await connection.copy_records_to_table("raw_copy", records=unique, columns=COLUMNS)
        copied = len(rows) / (time.perf_counter() - start)
    finally:
        await connection.close()
    return many, copied


async def main(count: int, concurrency: int, url: str | None) -> None:
    stream = events(count)
    unique = len({e.event_id for e in stream})
    with tempfile.TemporaryDirectory() as folder:
        store = Store(build_engine(url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"))
        await upgrade(store.engine)
        run = await through_handle(store, stream, concurrency)
        dialect = store.dialect
        await store.close()
        rows = raw_rows(stream)
        # The best of three: the raw inserts take milliseconds, so one run is mostly noise.
        cpu_baseline = None
        if url is None:
            runs = [sqlite_executemany(Path(folder), rows, n) for n in range(BASELINE_RUNS)]
            baselines = {"sqlite3 executemany": max(r[0] for r in runs)}
            cpu_baseline = max(r[1] for r in runs)
        else:
            runs = [await asyncpg_baselines(url, rows) for _ in range(BASELINE_RUNS)]
            baselines = {
                "asyncpg executemany": max(r[0] for r in runs),
                "asyncpg COPY": max(r[1] for r in runs),
            }
    print(f"backend: {dialect}; {count} events ({unique} distinct), {concurrency} handlers at once")
    print(f"rows committed: {run.stored} (expected {unique}: none lost, none double-counted)")
    print(f"ledger batches: {run.batches} ({count / max(run.batches, 1):.0f} events a batch)")
    print(f"through Copbot.count:      {run.rate:10.0f} events/s")
    for name, baseline in baselines.items():
        print(f"{name + ':':26} {baseline:10.0f} rows/s   ratio {run.rate / baseline:.3f}x")
    if cpu_baseline is not None:
        # Less at the mercy of other processes on a shared machine than the wall clock.
        print(
            f"by CPU time: {run.cpu_rate:.0f} events/s against {cpu_baseline:.0f} rows/s,"
            f" ratio {run.cpu_rate / cpu_baseline:.3f}x"
        )
    print(f"event-loop lag (10 ms timer): {run.lag.summary()}")
    print(f"the 200 newcomers' welcomes all sent {run.settled:.2f} s after the last count")
    if run.stored != unique:
        raise SystemExit("the ledger does not hold each distinct event exactly once")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--url", help="a database URL (default: SQLite in a temporary file)")
    options = parser.parse_args()
    asyncio.run(main(options.events, options.concurrency, options.url))
