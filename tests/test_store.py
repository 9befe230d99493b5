"""The store: migrations build exactly the models' schema; the outbox is safe to share."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.engine import Connection

from bot.outbox import outbox_row
from bot.ui import Message, Outgoing, Recipient
from storage import directory, outbox
from storage.engine import Store, build_engine
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import metadata
from tests.factories import START


async def test_the_database_is_at_the_newest_revision(store: Store) -> None:
    assert await current_revision(store.engine) == head_revision()
    await upgrade(store.engine)  # a second upgrade is a no-op
    assert await current_revision(store.engine) == head_revision()


async def test_migrations_build_the_schema_the_models_describe(store: Store) -> None:
    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with store.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_sqlite_migrations_can_rebuild_a_referenced_table(tmp_path: Path) -> None:
    """Batch mode rebuilds tables; with members referring to a community that needs the
    migration connection's foreign keys off, which storage.migrate arranges."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    store = Store(build_engine(url))
    await upgrade(store.engine)
    async with store.transaction() as session:
        community = await directory.ensure_community(
            session=session, name="x", timezone="UTC", now=START
        )
        await directory.ensure_member(
            session=session,
            community_id=community.id or 0,
            platform="console",
            workspace="w",
            user_id="a",
            display_name="a",
            now=START,
        )
    await store.close()

    def rebuild(connection: Connection) -> None:
        operations = Operations(
            MigrationContext.configure(connection, opts={"render_as_batch": True})
        )
        with operations.batch_alter_table("community", recreate="always"):
            pass

    migrating = build_engine(url, foreign_keys=False)
    async with migrating.begin() as conn:
        await conn.run_sync(rebuild)
    await migrating.dispose()


async def test_two_workers_claim_disjoint_rows(store: Store) -> None:
    items = [
        Outgoing(Recipient("console", "local", user=f"u{i}"), Message("hi"), f"k{i}")
        for i in range(40)
    ]
    async with store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(o, START) for o in items])

    async def claim() -> list[str]:
        async with store.transaction() as session:
            rows = await outbox.claim_due(
                session=session, now=START, platforms=["console"], limit=25
            )
            await asyncio.sleep(0.05)  # hold the locks while the other worker claims
            return [r.key for r in rows]

    first, second = await asyncio.gather(claim(), claim())
    assert not set(first) & set(second)
    assert len(first) + len(second) == 40
