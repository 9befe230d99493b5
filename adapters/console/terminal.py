"""The console's terminal: standard input read by the event loop, and output that keeps the
prompt below what copbot prints and notices when nobody reads it any more."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import select
import stat
import threading
from collections.abc import AsyncGenerator, Callable
from typing import BinaryIO, TextIO

from adapters.console.render import Screen

ERASE_LINE = "\r\x1b[K"  # back to the start of the line, clear it
READ_SIZE = 65536


class OutputClosed(Exception):
    """Standard output is gone (``copbot run | head -2`` after ``head`` exits)."""


class PromptScreen(Screen):
    """A Screen for standard output: a message printed while a prompt is shown goes above it
    and the prompt is shown again; a closed output ends the console instead of failing."""

    def __init__(self, out: TextIO, on_closed: Callable[[], None]) -> None:
        super().__init__(out)
        self._on_closed = on_closed
        self._redraw = _isatty(out)
        self._prompt: str | None = None  # the prompt on screen now, if any
        self.closed = False

    def say(self, text: str) -> None:
        """Print one block of text above the prompt, if one is shown."""
        prompt = self._prompt
        if prompt is not None:
            # On a terminal the prompt line (and what the person typed on it, which the
            # terminal keeps for them: Ctrl-R shows it again) is cleared, then drawn below.
            self._write(ERASE_LINE if self._redraw else "\n")
        self._guarded(lambda: super(PromptScreen, self).say(text))
        if prompt is not None:
            self._write(prompt)

    def show_prompt(self, prompt: str) -> None:
        """Show the prompt; the person types after it."""
        self._write(prompt)
        self._prompt = prompt

    def prompt_taken(self, newline: bool = False) -> None:
        """The person ended the line (Enter), or the input stopped (``newline``: leave the
        prompt's line, so that what comes after starts on a line of its own)."""
        if self._prompt is not None and newline:
            with contextlib.suppress(OutputClosed):
                self._write("\n")
        self._prompt = None

    def watch(self) -> Callable[[], None]:
        """While the console reads: notice a pipe whose reader went away (``| head -2``) at once,
        even if nothing is printed; returns what stops watching."""
        try:
            fd = self._out.fileno()
            piped = stat.S_ISFIFO(os.fstat(fd).st_mode)
        except (OSError, ValueError):
            return lambda: None
        if not piped:
            return lambda: None
        loop = asyncio.get_running_loop()

        def maybe_gone() -> None:
            # The write end of a pipe wakes a reader only with an error: no reader is left.
            # Asked again, so that a platform whose loop says otherwise never stops copbot.
            loop.remove_reader(fd)
            if not self.closed and _hung_up(fd):
                self._close()

        try:
            loop.add_reader(fd, maybe_gone)
        except (NotImplementedError, OSError, ValueError):
            return lambda: None

        def unwatch() -> None:
            loop.remove_reader(fd)

        return unwatch

    def _write(self, text: str) -> None:
        def write() -> None:
            self._out.write(text)
            self._out.flush()

        self._guarded(write)

    def _guarded(self, action: Callable[[], None]) -> None:
        if self.closed:
            raise OutputClosed
        try:
            action()
        except OSError as error:
            if not isinstance(error, BrokenPipeError) and error.errno != errno.EIO:
                raise
            self._close()  # the pipe's reader left, or the terminal went away
            raise OutputClosed from error
        except ValueError as error:
            if not getattr(self._out, "closed", False):
                raise
            self._close()  # the file object itself was closed
            raise OutputClosed from error

    def _close(self) -> None:
        self.closed = True
        self._prompt = None
        # What is still buffered would fail again when the interpreter flushes at exit and
        # print "Exception ignored ... BrokenPipeError": send it nowhere instead.
        with contextlib.suppress(OSError, ValueError):
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, self._out.fileno())
            os.close(nowhere)
        self._on_closed()


async def input_lines(
    stream: BinaryIO,
    screen: PromptScreen | None = None,
    prompt: Callable[[], str] | None = None,
) -> AsyncGenerator[str, None]:
    """Lines of ``stream`` (standard input), each typed after ``prompt`` on ``screen`` when
    given, decoded leniently: one undecodable byte must not end the session.

    A terminal or a pipe is watched by the event loop itself (``add_reader``), so no thread is
    ever left blocked on it: a daemon thread inside a read of standard input aborts the
    interpreter's exit ("Fatal Python error: ... daemon threads"). A regular file never blocks
    and is read directly.
    """
    chunks = _file_chunks(stream) if _is_file(stream) else _watched_chunks(stream)
    unwatch = screen.watch() if screen is not None else (lambda: None)
    pending = b""
    try:
        while True:
            if screen is not None and prompt is not None:
                screen.show_prompt(prompt())
            while b"\n" not in pending:
                chunk = await anext(chunks, b"")
                if not chunk:
                    break
                pending += chunk
            line, newline, pending = pending.partition(b"\n")
            if not newline and not line:
                return
            if screen is not None:
                screen.prompt_taken()
            yield (line + newline).decode("utf-8", errors="replace")
    finally:
        unwatch()
        if screen is not None:
            screen.prompt_taken(newline=True)
        await chunks.aclose()


async def _file_chunks(stream: BinaryIO) -> AsyncGenerator[bytes, None]:
    while chunk := stream.read(READ_SIZE):
        yield chunk
        await asyncio.sleep(0)  # let scheduled work run between chunks


async def _watched_chunks(stream: BinaryIO) -> AsyncGenerator[bytes, None]:
    """What arrives on a terminal or a pipe, as it arrives; b"" at its end."""
    loop = asyncio.get_running_loop()
    fd = stream.fileno()
    arrived: asyncio.Queue[bytes] = asyncio.Queue()

    def readable() -> None:
        try:
            # Ready to read, so this one read does not block (the descriptor stays blocking:
            # it is shared with the shell that started copbot).
            chunk = os.read(fd, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            loop.remove_reader(fd)
        arrived.put_nowait(chunk)

    try:
        loop.add_reader(fd, readable)
        watched = True
    except (NotImplementedError, OSError, ValueError):
        # An event loop that cannot watch it (Windows): a thread reads instead.
        watched = False
        _read_on_a_thread(loop, stream, arrived)
    try:
        while chunk := await arrived.get():
            yield chunk
    finally:
        if watched:
            loop.remove_reader(fd)


def _read_on_a_thread(
    loop: asyncio.AbstractEventLoop, stream: BinaryIO, arrived: asyncio.Queue[bytes]
) -> None:
    def reader() -> None:
        try:
            for raw in stream:
                loop.call_soon_threadsafe(arrived.put_nowait, raw)
        finally:
            loop.call_soon_threadsafe(arrived.put_nowait, b"")

    threading.Thread(target=reader, name="console-stdin", daemon=True).start()


def _hung_up(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, 0)  # no events asked: only an error or a hang-up is reported
    return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))


def _is_file(stream: BinaryIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (OSError, ValueError):
        return False
