"""Counted acts into the ledger, in one transaction a batch: newcomers created and renamed people
renamed first (only when the batch has any), then one insert that finds each act's member and
community from the platform account behind it and skips events already counted.

Members are read by the insert, at commit, so an opt-out counts at once for every process. The
acts' workspaces must be bound to a community already (``bot.directory.community_for``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exc
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import counted_sql as sql
from storage.engine import INLINE_ROWS, Store
from storage.member_batches import IdentityKey
from storage.models import Member

# kind, platform, workspace, channel, event id, occurred at, the message's platform id and its
# thread parent's (None for reactions and joins); then the actor's platform, workspace and user
# id (the account the act is counted for).
ActRow = tuple[str, str, str, str | None, str, datetime, str | None, str | None, str, str, str]
_COHORT = Member.model_fields["cohort"].default  # what add_member gives a newcomer


@dataclass(frozen=True)
class Stranger:
    """A platform account this process has not seen yet (or seen under another name)."""

    key: IdentityKey
    display_name: str | None  # as the platform shows it now, if it says
    seen: datetime


async def count(
    store: Store, rows: Sequence[ActRow], strangers: Sequence[Stranger]
) -> dict[IdentityKey, str]:
    """Create the strangers who are new, rename those the platform shows under a new name, and
    count the acts (each for its account's member, anonymous if they opted out; an event already
    counted is skipped), all in one transaction. Returns the strangers' names as now stored."""
    if store.dialect == "sqlite":
        return await _on_sqlite(store, rows, strangers)
    if not strangers:
        # The usual case, one statement: its own transaction, one round trip.
        async with store.autocommit() as conn:
            await _on_postgres(conn, rows, strangers)
        return {}
    async with store.connection() as conn:
        return await _on_postgres(conn, rows, strangers)


def _name(stranger: Stranger) -> str:
    return stranger.display_name or stranger.key[2]


def _names(strangers: Sequence[Stranger], stored: dict[IdentityKey, str]) -> dict[IdentityKey, str]:
    """The strangers' names once written: the platform's if it says, else the stored one, else
    (a newcomer with no name) the user id."""
    return {s.key: s.display_name or stored.get(s.key) or s.key[2] for s in strangers}


def _renamed(strangers: Sequence[Stranger], stored: dict[IdentityKey, str]) -> list[Stranger]:
    return [
        s
        for s in strangers
        if s.key in stored and s.display_name and s.display_name != stored[s.key]
    ]


async def _on_sqlite(
    store: Store, rows: Sequence[ActRow], strangers: Sequence[Stranger]
) -> dict[IdentityKey, str]:
    stamp = sql.stamp(store.engine.dialect)

    def work(db: Any) -> dict[IdentityKey, str]:
        # All of it in the driver's thread, one trip there; rows are converted there too.
        cursor = db.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            names = _write_sqlite(cursor, rows, strangers, stamp)
            cursor.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()
        return names

    dbapi_error = store.engine.dialect.loaded_dbapi.Error
    try:
        return await store.run_write(work, small=len(rows) + len(strangers) <= INLINE_ROWS)
    except (sqlite3.Error, dbapi_error) as error:
        # As SQLAlchemy would raise it, so that callers tell "unavailable" from "refused" alike.
        raise exc.DBAPIError.instance(sql.SQLITE_COUNT, None, error, type(error)) from error


def _write_sqlite(
    cursor: Any,
    rows: Sequence[ActRow],
    strangers: Sequence[Stranger],
    stamp: Callable[[datetime], Any],
) -> dict[IdentityKey, str]:
    stored: dict[IdentityKey, str] = {}
    if strangers:
        cursor.execute(sql.sqlite_known(len(strangers)), [p for s in strangers for p in s.key])
        stored = {(p, w, u): name for p, w, u, name in cursor.fetchall()}
        fresh = [s for s in strangers if s.key not in stored]
        if fresh:
            # Ids chosen here are safe: BEGIN IMMEDIATE holds the database's one write lock.
            cursor.execute(sql.SQLITE_TOP_MEMBER)
            top = cursor.fetchall()[0][0]
            made = list(zip(range(top + 1, top + 1 + len(fresh)), fresh, strict=True))
            cursor.executemany(
                sql.SQLITE_ADD_MEMBER,
                [(i, _name(s), _COHORT, stamp(s.seen), *s.key[:2]) for i, s in made],
            )
            cursor.executemany(sql.SQLITE_ADD_IDENTITY, [(i, *s.key) for i, s in made])
        renamed = _renamed(strangers, stored)
        if renamed:
            cursor.executemany(sql.SQLITE_RENAME, [(s.display_name, *s.key) for s in renamed])
    if rows:
        cursor.executemany(sql.SQLITE_COUNT, [(*r[:5], stamp(r[5]), *r[6:]) for r in rows])
    return _names(strangers, stored)


async def _on_postgres(
    conn: AsyncConnection, rows: Sequence[ActRow], strangers: Sequence[Stranger]
) -> dict[IdentityKey, str]:
    stored: dict[IdentityKey, str] = {}
    if strangers:
        accounts = _columns([s.key for s in strangers], sql.ACCOUNT)
        found = await conn.execute(sql.POSTGRES_KNOWN, accounts)
        stored = {(p, w, u): name for p, w, u, name in found}
        fresh = [s for s in strangers if s.key not in stored]
        if fresh:
            # Raises IntegrityError if another process created one of them a moment ago.
            newcomers = _columns(
                [(*s.key, _name(s), s.seen) for s in fresh], (*sql.ACCOUNT, "name", "seen")
            )
            await conn.execute(sql.POSTGRES_ADD_MEMBERS, {**newcomers, "cohort": _COHORT})
        renamed = _renamed(strangers, stored)
        if renamed:
            names = [(*s.key, s.display_name) for s in renamed]
            await conn.execute(sql.POSTGRES_RENAME, _columns(names, (*sql.ACCOUNT, "name")))
    if rows:
        await conn.execute(sql.POSTGRES_COUNT, _columns(rows, sql.ACT))
    return _names(strangers, stored)


def _columns(rows: Sequence[tuple[object, ...]], names: Sequence[str]) -> dict[str, list[object]]:
    """Rows as one list a column: the arrays PostgreSQL's ``unnest`` turns back into rows."""
    return {name: [row[n] for row in rows] for n, name in enumerate(names)}
