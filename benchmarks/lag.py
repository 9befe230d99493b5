"""Event-loop lag: how late a 10 ms timer wakes while something else runs on the loop.

    probe = LoopLag(); probe.start(); ...; stats = await probe.stop()

Self-contained, so that any benchmark can copy or import it.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class LagStats:
    """Delays of a 10 ms timer beyond its 10 ms, in milliseconds."""

    samples: int
    p50: float
    p99: float
    max: float

    def __str__(self) -> str:
        return (
            f"event-loop lag (10 ms timer, {self.samples} samples): p50 {self.p50:.1f} ms, "
            f"p99 {self.p99:.1f} ms, max {self.max:.1f} ms"
        )


class LoopLag:
    """Samples the loop's lag until stopped."""

    def __init__(self, interval: float = 0.010) -> None:
        self.interval = interval
        self.delays: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin sampling on the running loop."""
        self._task = asyncio.get_running_loop().create_task(self._sample())

    async def _sample(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            self.delays.append(max(0.0, loop.time() - before - self.interval))

    async def stop(self) -> LagStats:
        """Stop sampling and summarise."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        ms = sorted(d * 1000 for d in self.delays) or [0.0]
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        return LagStats(len(self.delays), statistics.median(ms), p99, ms[-1])
