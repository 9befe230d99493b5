"""The command line's progress bar: drawn on a terminal, nothing at all when piped."""

from __future__ import annotations

import io
import os
import pty
import threading

import pytest

from bot.progress import is_terminal, progress


def _read_all(fd: int, into: list[bytes]) -> None:
    """Drain a pseudo-terminal until its other end closes (the writer must never block)."""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the terminal's other end was closed
            return
        if not chunk:
            return
        into.append(chunk)


def test_a_terminal_shows_the_bar_with_its_label_and_count() -> None:
    master, slave = pty.openpty()
    seen: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(master, seen))
    reader.start()
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        assert is_terminal(terminal)
        with progress(3, "Writing demo history", stream=terminal) as bar:
            for _ in range(3):
                bar.advance()
    reader.join(timeout=10)
    os.close(master)
    shown = b"".join(seen).decode("utf-8", "replace")
    assert "Writing demo history" in shown
    assert "3/3" in shown


def test_a_pipe_gets_nothing() -> None:
    piped = io.StringIO()
    assert not is_terminal(piped)
    with progress(3, "Writing demo history", stream=piped) as bar:
        for _ in range(3):
            bar.advance()
    assert piped.getvalue() == ""


def test_standard_error_is_the_default_and_stays_quiet_when_captured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with progress(2, "Quiet", stream=None) as bar:
        bar.advance(2)
    assert capsys.readouterr().err == ""


def test_a_closed_stream_is_no_terminal() -> None:
    closed = io.StringIO()
    closed.close()
    assert not is_terminal(closed)
