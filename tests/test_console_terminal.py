"""The console as a terminal program: a real ``copbot run`` on a pseudo-terminal or a pipe, ended
by ``:quit``, Ctrl-C or a reader that goes away, and input that waits for the start-up catch-up."""

from __future__ import annotations

import fcntl
import os
import select
import sqlite3
import subprocess
import termios
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_console_e2e import COPBOT, copbot

PROMPT = b"alice@#general> "
START_WAIT = 60.0  # seconds a loaded machine may take to start copbot
EXIT_WAIT = 10.0  # seconds copbot gets to end once told to


class Pty:
    """copbot on a pseudo-terminal of its own, as when a person runs it in a terminal."""

    def __init__(self, cwd: Path) -> None:
        self.master, slave = os.openpty()

        def own_terminal() -> None:  # the pty becomes copbot's controlling terminal, for Ctrl-C
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [COPBOT, "run"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=own_terminal,
        )
        os.close(slave)
        self.seen = b""

    def read_until(self, wanted: bytes, timeout: float, times: int = 1) -> bytes:
        """Everything shown until ``wanted`` appeared ``times`` times (fails after ``timeout``
        seconds)."""
        deadline = time.monotonic() + timeout
        while self.seen.count(wanted) < times:
            left = deadline - time.monotonic()
            assert left > 0, f"{wanted!r} not shown; saw {self.seen!r}"
            if not self._read(left):
                raise AssertionError(f"output ended before {wanted!r}; saw {self.seen!r}")
        return self.seen

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def ended(self, timeout: float) -> tuple[int, str]:
        """The exit status and all output, once copbot ended (fails after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while self._read(max(0.0, deadline - time.monotonic())):
            pass
        status = self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        return status, self.seen.decode(errors="replace")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every copy of the terminal's other side is closed
            return False
        self.seen += chunk
        return bool(chunk)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=EXIT_WAIT)
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Pty]:
    pty = Pty(tmp_path)
    yield pty
    pty.close()


def test_quit_on_a_terminal_exits_cleanly(terminal: Pty) -> None:
    terminal.read_until(PROMPT, START_WAIT)
    terminal.type(b"/cop about\n")
    terminal.read_until(b"a community of practice", START_WAIT)
    terminal.type(b":quit\n")
    status, shown = terminal.ended(EXIT_WAIT)
    assert "Fatal Python error" not in shown and "Traceback" not in shown, shown
    assert status == 0, shown


def test_ctrl_c_on_a_terminal_is_a_clean_stop(terminal: Pty) -> None:
    terminal.read_until(PROMPT, START_WAIT)
    terminal.type(b"/cop about\n")
    terminal.read_until(b"a community of practice", START_WAIT)
    terminal.read_until(PROMPT, START_WAIT, times=2)  # the prompt is back: copbot waits
    terminal.type(b"\x03")  # the terminal turns Ctrl-C into SIGINT
    status, shown = terminal.ended(EXIT_WAIT)
    assert "Fatal Python error" not in shown and "Traceback" not in shown, shown
    assert "KeyboardInterrupt" not in shown
    assert status == 0, shown


def test_ctrl_c_inside_a_form_is_a_clean_stop_too(terminal: Pty) -> None:
    terminal.read_until(PROMPT, START_WAIT)
    terminal.type(b"/cop charter\n")
    terminal.read_until(b"  > ", START_WAIT)
    terminal.type(b"half an answ")  # typed, not yet entered
    terminal.type(b"\x03")
    status, shown = terminal.ended(EXIT_WAIT)
    assert "Fatal Python error" not in shown and "Traceback" not in shown, shown
    assert status == 0, shown


@pytest.mark.parametrize("then", [b"", b"/cop about\n"], ids=["idle", "more output"])
def test_a_closed_output_ends_copbot_without_a_traceback(tmp_path: Path, then: bytes) -> None:
    """``copbot run | head -2``: once the reader has gone copbot ends, whether it waits for
    input (its standard input stays open here) or has more to print."""
    process = subprocess.Popen(
        [COPBOT, "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"/cop help\n")
        process.stdin.flush()
        first = [process.stdout.readline(), process.stdout.readline()]  # what head -2 reads
        assert first[0].startswith(b"[copbot")
        process.stdout.close()  # head exits
        process.stdin.write(then)  # an answer would have nowhere to go
        process.stdin.flush()
        status = process.wait(timeout=EXIT_WAIT)
        errors = process.stderr.read().decode() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert status == 0, errors
    assert "Traceback" not in errors and "Exception ignored" not in errors, errors


def test_the_first_piped_command_sees_what_the_catch_up_recorded(tmp_path: Path) -> None:
    """After downtime the catch-up records the missed firing before the first line is handled."""
    # Its last firing was two hours ago, well past the grace: the catch-up records it missed.
    at = (datetime.now(UTC) - timedelta(hours=2)).strftime("%H:%M")
    created = copbot(
        "run",
        stdin=f'/cop checkin add name:standup schedule:"daily {at}" questions:Q\n',
        cwd=tmp_path,
    )
    assert "✅ Check-in created" in created.stdout, created.stderr
    # copbot was down for three days: the check-in was made then, and fired never since.
    database = sqlite3.connect(tmp_path / "copbot.db")
    with database:
        (made,) = database.execute("SELECT created_at FROM checkin").fetchone()
        earlier = datetime.fromisoformat(made) - timedelta(days=3)
        database.execute("UPDATE checkin SET created_at = ?", (earlier.isoformat(" "),))
    database.close()
    listed = copbot("run", stdin="/cop checkin list\n", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "1 missed while copbot was down" in listed.stdout, listed.stdout
