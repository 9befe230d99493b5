"""The demo's own database: a fresh SQLite file beside the demo's reports, migrated and filled
with the demo community's history (what ``copbot demo`` starts from)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TextIO

from reports.demo_history import History, write_history
from storage.engine import Store, build_engine
from storage.migrate import upgrade

DEMO_DATABASE = "copbot-demo.db"


def demo_url(folder: Path) -> str:
    """The SQLAlchemy URL of the demo's database in a folder."""
    return f"sqlite+aiosqlite:///{(folder / DEMO_DATABASE).resolve()}"


async def make_demo_store(
    folder: Path, *, now: datetime, seed: int = 10, stream: TextIO | None = None
) -> tuple[Store, History]:
    """Create the folder's demo database anew (an older one is replaced, never added to) with
    the demo community's history up to ``now``; the caller closes the store."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / DEMO_DATABASE
    for suffix in ("", "-wal", "-shm"):  # the database and SQLite's journal files beside it
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    store = Store(build_engine(demo_url(folder)))
    try:
        await upgrade(store.engine)
        history = await write_history(store, now=now, seed=seed, stream=stream)
    except BaseException:
        await store.close()
        raise
    return store, history
