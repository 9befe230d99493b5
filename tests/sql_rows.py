"""Plain SQL for tests that check what a generator wrote, apart from the queries under test."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from storage.engine import Store


async def rows(store: Store, sql: str, **params: Any) -> list[Any]:
    """The rows a plain SQL query returns, on either backend."""
    async with store.engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


def aware(value: Any) -> datetime:
    """A time read with plain SQL: SQLite gives text (UTC), PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
