"""A local durable spool: countable acts the database cannot take now, kept in a SQLite file of
their own (stdlib ``sqlite3``, in a thread, synchronous=FULL) until they can be counted.

Discord never redelivers a gateway event, so what the database refuses must be kept here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

from bot.events import Actor, MemberJoined, MemberLeft, MessagePosted, Place, ReactionAdded

log = logging.getLogger(__name__)
Spooled = MessagePosted | ReactionAdded | MemberJoined | MemberLeft
_KINDS: dict[str, type[Spooled]] = {
    kind.__name__: kind for kind in (MessagePosted, ReactionAdded, MemberJoined, MemberLeft)
}


def encode(act: Spooled) -> str:
    """An act as one line of JSON."""
    fields = dataclasses.asdict(act)
    fields["at"] = act.at.isoformat()
    return json.dumps({"kind": type(act).__name__, **fields})


def decode(text: str) -> Spooled:
    """The act a line of JSON holds."""
    fields = json.loads(text)
    kind = _KINDS[fields.pop("kind")]
    fields["actor"] = Actor(**fields["actor"])
    fields["place"] = Place(**fields["place"])
    fields["at"] = datetime.fromisoformat(fields["at"])
    return kind(**fields)


class Spool:
    """Acts kept in order in a local file; ``put`` returns once the act is on disk."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._broken = False  # the spool could not be written: said once, until it can again
        # One connection at a time in this process: two threads that open a new file and switch it
        # to WAL together get "database is locked" at once, without waiting, and an act is lost.
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        with self._lock, closing(connection) as db:
            db.execute("PRAGMA synchronous=FULL")  # on disk before put() returns
            if not self._ready:
                db.execute("PRAGMA journal_mode=WAL")  # kept in the file once set
                db.execute(
                    "CREATE TABLE IF NOT EXISTS spooled (id INTEGER PRIMARY KEY, act TEXT NOT NULL)"
                )
                self._ready = True
            yield db

    def _put(self, line: str) -> None:
        with self._connect() as db:
            db.execute("INSERT INTO spooled (act) VALUES (?)", (line,))

    async def put(self, act: Spooled) -> bool:
        """Keep an act; False (and an error logged once) if the spool cannot be written."""
        try:
            await asyncio.to_thread(self._put, encode(act))
        except (sqlite3.Error, OSError) as error:
            if not self._broken:
                log.error(
                    "spool: cannot write %s (%s); while the database is also unavailable, "
                    "Discord activity is not being counted. Check [storage] spool_path.",
                    self.path,
                    error,
                )
            self._broken = True
            return False
        if self._broken:
            log.warning("spool: %s can be written again", self.path)
            self._broken = False
        return True

    def _peek(self, limit: int) -> list[tuple[int, str]]:
        if not self.path.exists():
            return []
        with self._connect() as db:
            query = "SELECT id, act FROM spooled ORDER BY id LIMIT ?"
            return [(int(i), str(a)) for i, a in db.execute(query, (limit,))]

    async def peek(self, limit: int = 500) -> list[tuple[int, Spooled | None]]:
        """The oldest acts kept, with their spool ids (None for a line that cannot be read)."""
        found: list[tuple[int, Spooled | None]] = []
        for spool_id, line in await asyncio.to_thread(self._peek, limit):
            try:
                found.append((spool_id, decode(line)))
            except (ValueError, KeyError, TypeError):
                log.warning("spool: dropping unreadable entry %d", spool_id)
                found.append((spool_id, None))
        return found

    def _remove(self, ids: list[int]) -> None:
        with self._connect() as db:
            db.executemany("DELETE FROM spooled WHERE id = ?", [(i,) for i in ids])

    async def remove(self, ids: list[int]) -> None:
        """Forget acts that are now counted."""
        if ids:
            await asyncio.to_thread(self._remove, ids)
