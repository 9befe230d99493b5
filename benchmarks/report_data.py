"""The weekly report's benchmark store: 5,000 members, 1,000,000 ledger rows over 12 weeks,
20 check-ins, events for 83 groups of members (the demo's one set per 60 members), generated
in bulk by the demo's generator at a larger scale.

    .venv/bin/python benchmarks/report_data.py [--members N] [--rows N] [--checkins N]
        [--url URL] [--keep FILE] [--core]

Prints how long the store took to generate and what it holds, counted back with SQL. SQLite in
a temporary file by default (``--keep FILE``: in that file, kept for later runs); ``--url`` a
scratch PostgreSQL database (its schema is emptied first). ``--core`` writes through SQLAlchemy
Core's executemany instead of each backend's bulk path (COPY, sqlite3's executemany), to compare.
The report's own timing (generation against its baseline) is measured over this store.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from run_all import empty_schema  # the script beside this one (benchmarks/ is on sys.path)
from sqlalchemy import text
from sqlalchemy.engine import make_url

from reports.demo_history import BENCHMARK, History, write_history
from reports.demo_people import Scale, event_groups_for
from storage.engine import Store, build_engine
from storage.migrate import upgrade

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # a Tuesday: 12 full weeks before it, and a day
SEED = 2026


def scale(members: int, rows: int, checkins: int) -> Scale:
    """The benchmark's size: a tenth of the members in the pilot cohort and a set of events for
    each 60 of them, as in the demo."""
    return Scale(
        members=members,
        pilot=max(1, members // 10),
        checkins=checkins,
        ledger_rows=rows,
        event_groups=event_groups_for(members),
    )


async def seed(
    store: Store,
    *,
    members: int = BENCHMARK.members,
    rows: int = BENCHMARK.ledger_rows or 1_000_000,
    checkins: int = BENCHMARK.checkins,
    fast: bool = True,
) -> History:
    """Write the benchmark's community ("big", Europe/Berlin) into a migrated, empty store,
    with PostgreSQL's planner statistics gathered afterwards."""
    history = await write_history(
        store, now=AT, seed=SEED, scale=scale(members, rows, checkins), name="big", fast=fast
    )
    if store.dialect == "postgresql":
        # What autovacuum does soon after a bulk load on a live server (the development
        # server runs without it): with no statistics the planner takes the freshly copied
        # tables for empty and joins the ledger by nested loops, and the report's queries take
        # minutes instead of seconds. SQLite is left as copbot leaves it, without ANALYZE.
        async with store.engine.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    return history


async def counted(store: Store) -> dict[str, int]:
    """How many rows each generated table holds, counted by the database."""
    tables = (
        "member", "identity", "ledger", "checkin", "occurrence", "answer", "outbox", "event",
        "event_rsvp", "event_attendance",
    )  # fmt: skip
    async with store.engine.connect() as conn:
        return {
            table: int((await conn.execute(text(f"SELECT COUNT(*) FROM {table}"))).scalar_one())
            for table in tables
        }


async def main(args: argparse.Namespace, folder: Path) -> None:
    url = args.url or f"sqlite+aiosqlite:///{args.keep or folder / 'report.db'}"
    if make_url(url).get_backend_name() == "postgresql":
        await empty_schema(url)
    elif args.keep:
        Path(args.keep).unlink(missing_ok=True)
    store = Store(build_engine(url))
    await upgrade(store.engine)
    start = time.perf_counter()
    history = await seed(
        store, members=args.members, rows=args.rows, checkins=args.checkins, fast=not args.core
    )
    elapsed = time.perf_counter() - start
    counts = await counted(store)
    await store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    assert counts["ledger"] == history.ledger_rows and counts["member"] == history.members
    path = "COPY" if store.dialect == "postgresql" else "sqlite3's executemany"
    path = "SQLAlchemy Core's executemany" if args.core else path
    print(
        f"report store: {counts['member']} members ({counts['identity']} accounts), "
        f"{counts['ledger']:,} ledger rows, weeks {history.first_week}..{history.last_full_week}, "
        f"{counts['checkin']} check-ins, {counts['occurrence']} firings, "
        f"{counts['outbox']:,} asked, {counts['answer']:,} answers, {counts['event']} events "
        f"({counts['event_rsvp']:,} RSVPs, {counts['event_attendance']:,} attended), "
        f"{store.dialect}"
    )
    print(f"  generated in {elapsed:.1f} s through {path}; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=BENCHMARK.members)
    parser.add_argument("--rows", type=int, default=BENCHMARK.ledger_rows)
    parser.add_argument("--checkins", type=int, default=BENCHMARK.checkins)
    parser.add_argument("--url", help="a scratch PostgreSQL database (default: SQLite)")
    parser.add_argument("--keep", type=Path, help="the SQLite file to write and keep")
    parser.add_argument("--core", action="store_true", help="write through SQLAlchemy Core")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        asyncio.run(main(arguments, Path(scratch)))
