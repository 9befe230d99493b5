"""One ``copbot run`` per SQLite file: a second real process refuses to start and names the first;
the OS lock goes with its process, so a crash leaves nothing stale (issue 9, item 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.single_process import AlreadyRunning, DatabaseLockError, hold_database, lock_path

COPBOT = str(Path(sys.executable).parent / "copbot")
ENV = {k: v for k, v in os.environ.items() if k != "COPBOT_CONFIG"}
STARTED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def copbot(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COPBOT, *args], input=stdin, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=60
    )


def running_copbot(cwd: Path) -> subprocess.Popen[str]:
    """``copbot run`` on the defaults (console, ./copbot.db) whose input stays open, once it
    holds the database."""
    process = subprocess.Popen(
        [COPBOT, "run"],
        cwd=cwd,
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lock = cwd / "copbot.db.lock"
    deadline = time.monotonic() + 60
    while f'"pid": {process.pid}' not in (lock.read_text() if lock.exists() else ""):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"copbot did not start: {process.communicate()[1]}")
        time.sleep(0.02)  # polling for the first process's lock, not waiting out a time
    return process


def test_a_second_run_on_one_sqlite_file_refuses_and_names_the_first(tmp_path: Path) -> None:
    first = running_copbot(tmp_path)
    try:
        second = copbot("run", cwd=tmp_path, stdin="/cop about\n")
        assert second.returncode == 2, second.stderr
        assert second.stdout == ""
        assert second.stderr.startswith(
            f"Another copbot is already running on copbot.db (pid {first.pid}, started 20"
        )
        assert "SQLite takes one process: stop that one first, or use PostgreSQL" in second.stderr
        assert "Traceback" not in second.stderr
        # Reading what is scheduled does not need the lock.
        assert copbot("schedule", "list", cwd=tmp_path).returncode == 0
    finally:
        assert first.stdin is not None
        first.stdin.close()  # the end of its input ends the first copbot
        assert first.wait(timeout=60) == 0, first.stderr.read() if first.stderr else ""
    after = copbot("run", cwd=tmp_path, stdin="/cop about\n")
    assert after.returncode == 0, after.stderr


def test_a_crashed_run_leaves_no_stale_lock(tmp_path: Path) -> None:
    crashed = running_copbot(tmp_path)
    crashed.kill()  # SIGKILL: no shutdown code runs
    crashed.wait(timeout=60)
    assert (tmp_path / "copbot.db.lock").exists()  # the file stays; its OS lock went
    again = copbot("run", cwd=tmp_path, stdin="/cop about\n")
    assert again.returncode == 0, again.stderr
    assert "a community of practice" in again.stdout


def test_the_lock_is_held_per_database_file_and_released(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    held = hold_database(url, started_at=STARTED)
    assert held is not None
    details = json.loads((tmp_path / "a.db.lock").read_text())
    assert details == {"pid": os.getpid(), "started_at": "2026-12-01 09:30:00 UTC"}
    other = hold_database(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", started_at=STARTED)
    assert other is not None  # another file is another database
    other.release()
    held.release()
    again = hold_database(url, started_at=STARTED)
    assert again is not None
    again.release()


def test_postgresql_is_shared_by_design_and_takes_no_lock() -> None:
    assert lock_path("postgresql+asyncpg://postgres@127.0.0.1/copbot") is None
    assert hold_database("postgresql+asyncpg://postgres@127.0.0.1/x", started_at=STARTED) is None


def test_the_holder_is_named_from_its_lock_file(tmp_path: Path) -> None:
    """Within one process flock is per open file, so a second open is refused like a process."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    held = hold_database(url, started_at=STARTED)
    assert held is not None
    try:
        with pytest.raises(AlreadyRunning) as refused:
            hold_database(url, started_at=STARTED)
        assert f"(pid {os.getpid()}, started 2026-12-01 09:30:00 UTC)" in str(refused.value)
    finally:
        held.release()


def test_a_lock_file_that_cannot_be_written_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "a.db.lock").mkdir()  # something that is not a file stands in its way
    with pytest.raises(DatabaseLockError) as refused:
        hold_database(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", started_at=STARTED)
    assert str(refused.value).startswith(f"Cannot write the lock file {tmp_path / 'a.db.lock'}")
