"""The demo's history is the same for the same seed, on either backend, and its own database is
made anew in its folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reports.demo_history import write_history
from reports.demo_store import DEMO_DATABASE, make_demo_store
from storage.engine import Store, build_engine
from storage.migrate import upgrade
from tests.sql_rows import aware as _aware
from tests.sql_rows import rows as _rows

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def _dump(store: Store) -> list[list[Any]]:
    """Everything generated, without the ids the database chose, as comparable values."""
    queries = (
        "SELECT member_id, kind, platform, workspace, channel, event_id, occurred_at, "
        "message_ref, parent_ref FROM ledger ORDER BY event_id",
        "SELECT id, display_name, cohort, tracking_opted_out, first_seen FROM member ORDER BY id",
        "SELECT occurrence_id, member_id, submitted_at FROM answer ORDER BY 1, 2",
        "SELECT title, start_at, region, status, sequence FROM event ORDER BY start_at, title",
        "SELECT event_id, member_id, answer, answered_at FROM event_rsvp ORDER BY 1, 2",
        "SELECT event_id, member_id, recorded_at FROM event_attendance ORDER BY 1, 2",
        "SELECT display_name, timezone FROM member ORDER BY id",
    )
    dumped = []
    for sql in queries:
        rows = await _rows(store, sql)
        dumped.append(
            [
                tuple(
                    _aware(v) if "_at" in k or k == "first_seen" else v
                    for k, v in r._asdict().items()
                )
                for r in rows
            ]
        )
    return dumped


async def test_the_same_seed_makes_the_same_history_on_either_backend(
    store: Store, tmp_path: Path
) -> None:
    await write_history(store, now=NOW, seed=7)
    again = Store(build_engine(f"sqlite+aiosqlite:///{tmp_path / 'again.db'}"))
    other = Store(build_engine(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}"))
    try:
        for copy, seed in ((again, 7), (other, 8)):
            await upgrade(copy.engine)
            await write_history(copy, now=NOW, seed=seed)
        assert await _dump(store) == await _dump(again)
        assert await _dump(store) != await _dump(other)
    finally:
        await again.close()
        await other.close()


async def test_the_demo_database_is_made_anew_in_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    for _ in range(2):  # a second run replaces the first, instead of failing on its community
        store, history = await make_demo_store(folder, now=NOW)
        try:
            counts = await _rows(store, "SELECT COUNT(*) FROM member")
            assert counts[0][0] == history.members == 60
        finally:
            await store.close()
    assert (folder / DEMO_DATABASE).exists()
