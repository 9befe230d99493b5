"""One ``copbot run`` per SQLite file: a lock file beside the database, held with an OS lock.

SQLite means one process (one scheduler, one outbox claimer). The lock is the operating system's
(``flock`` on POSIX, ``msvcrt.locking`` on Windows), so it goes when its process ends, even by a
crash: a lock file left behind is never stale. The file also holds the holder's pid and start
time, so that a second process can name the first.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

# Windows locks byte ranges, and a locked range cannot be read: lock a byte far past the
# holder's details so that they stay readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DatabaseLockError(Exception):
    """The database's lock cannot be taken; the message says why."""


class AlreadyRunning(DatabaseLockError):
    """Another process holds the database; the message names it."""


class SingleProcessLock:
    """The held lock on one SQLite database; ``release`` gives it up (so does the process's end)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        """Give up the lock; the file stays, harmless, for the next start to reuse."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the OS lock
            self._fd = None


def lock_path(url: str) -> Path | None:
    """The lock file of a SQLite database URL (``copbot.db.lock``), or None for other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(f"{parsed.database}.lock")


def hold_database(url: str, *, started_at: datetime) -> SingleProcessLock | None:
    """Take the database's lock for this process, or raise AlreadyRunning naming its holder.
    Databases shared by design (PostgreSQL) need none: None."""
    path = lock_path(url)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise DatabaseLockError(
            f"Cannot write the lock file {path} beside the database ({error.strerror}): "
            "copbot needs to write in the database's folder."
        ) from None
    if not _try_lock(fd):
        holder = _holder(fd)
        os.close(fd)
        raise AlreadyRunning(
            f"Another copbot is already running on {make_url(url).database} ({holder}). "
            "SQLite takes one process: stop that one first, or use PostgreSQL to run several."
        )
    details = {"pid": os.getpid(), "started_at": f"{started_at:%Y-%m-%d %H:%M:%S %Z}".strip()}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(details).encode())
    return SingleProcessLock(path, fd)


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """Who holds the lock, from the details it wrote: "pid 4242, started ..."."""
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        details = json.loads(os.read(fd, 4096).decode())
        return f"pid {int(details['pid'])}, started {details['started_at']}"
    except (ValueError, KeyError, TypeError, OSError):
        return "it is still starting"  # it took the lock and has not written its details yet
