"""Many rows into one table at once, for generated histories (the demo, benchmarks), never on
the bot's own paths: each backend's bulk path (COPY, sqlite3's executemany) or SQLAlchemy Core."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import insert, text
from sqlmodel import SQLModel

from storage.engine import Store

CACHE_KIB = 64 * 1024  # SQLite's page cache while a bulk insert runs
CHUNK = 20_000  # rows a statement: large enough to be fast, small enough to stay lean


async def insert_rows(
    *,
    store: Store,
    table: str,
    rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str] | None = None,
    fast: bool = True,
) -> int:
    """Insert rows (dicts, or tuples in the order of ``columns``) into a table in one
    transaction, and return how many. ``fast``: the backend's own bulk path (COPY on
    PostgreSQL, the sqlite3 driver's executemany on SQLite); otherwise SQLAlchemy Core's
    executemany, which binds every row in Python on the event loop (for the report benchmark's
    store, 1.2 million rows, it takes about 1.6 times as long)."""
    if not rows:
        return 0
    tuples: Sequence[Sequence[Any]]
    if columns is None:
        dicts = cast(Sequence[Mapping[str, Any]], rows)
        names = list(dicts[0].keys())
        tuples = [tuple(row[name] for name in names) for row in dicts]
    else:
        names, tuples = list(columns), cast(Sequence[Sequence[Any]], rows)
    if not fast:
        statement = insert(SQLModel.metadata.tables[table])
        async with store.connection() as conn:
            for start in range(0, len(tuples), CHUNK):
                chunk = tuples[start : start + CHUNK]
                await conn.execute(statement, [dict(zip(names, row, strict=True)) for row in chunk])
    elif store.dialect == "postgresql":
        await _copy(store, table, names, tuples)
    else:
        await _executemany(store, table, names, tuples)
    return len(tuples)


def _bound(
    store: Store, table: str, names: list[str]
) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """What turns a row into the values the driver takes, as SQLAlchemy would bind them (UTC
    times in SQLite's text form, JSON as text, booleans as numbers)."""
    target = SQLModel.metadata.tables[table]
    dialect = store.engine.dialect
    processors = [
        target.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]

    def bind(row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            value if p is None else p(value) for p, value in zip(processors, row, strict=True)
        )

    return bind


async def _copy(store: Store, table: str, names: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """COPY through the asyncpg connection, inside SQLAlchemy's transaction on it."""
    bind = _bound(store, table, names)
    async with store.connection() as conn:
        raw = await conn.get_raw_connection()
        await conn.execute(text("SELECT 1"))  # begins the transaction the COPY runs in
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            table, records=[bind(row) for row in rows], columns=names
        )


async def _executemany(
    store: Store, table: str, names: list[str], rows: Sequence[Sequence[Any]]
) -> None:
    """One prepared INSERT for every row, on the sqlite3 driver in its own thread."""
    bind = _bound(store, table, names)
    statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"

    def work(db: Any) -> None:
        cursor = db.cursor()
        # A larger page cache than the default 2 MB: a million rows' index pages stay in memory.
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.execute("BEGIN IMMEDIATE")
        try:
            cursor.executemany(statement, (bind(row) for row in rows))
            cursor.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):  # the error that got here is the one to tell
                cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()

    await store.run_write(work, small=False)


async def follow_ids(*, store: Store, tables: Sequence[str]) -> None:
    """After rows were given their ids: move PostgreSQL's id sequences past them, so that the
    next row inserted the usual way gets a fresh id (SQLite finds its own)."""
    if store.dialect != "postgresql":
        return
    async with store.connection() as conn:
        for table in tables:
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            )
