"""A progress bar for long command-line work: drawn on a terminal, silent when piped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class Bar:
    """Moves a progress bar on (or, when nobody watches, does nothing)."""

    def __init__(self, progress: Progress | None = None, task: TaskID | None = None) -> None:
        self._progress = progress
        self._task = task

    def advance(self, steps: int = 1) -> None:
        """Count steps done."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, steps)


def is_terminal(stream: TextIO) -> bool:
    """Whether a person watches this stream (a terminal, not a pipe or a file)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


@contextmanager
def progress(total: int, label: str, *, stream: TextIO | None = None) -> Iterator[Bar]:
    """A bar of ``total`` steps called ``label`` on standard error (or ``stream``) when it is a
    terminal; when piped or redirected nothing at all is written, so logs and scripts stay clean."""
    out = sys.stderr if stream is None else stream
    if not is_terminal(out):
        yield Bar()
        return
    # Whether to draw is decided above, by the stream alone: rich's own guess also reads
    # environment variables (FORCE_COLOR, TERM), which would draw bars into a pipe.
    # rich loads only when a bar is drawn: every copbot start would pay ~0.1 s for it.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=out, force_terminal=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as shown:
        yield Bar(shown, shown.add_task(label, total=total))
