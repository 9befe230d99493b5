"""Pacing for the outbox: token buckets, and how fast one delivery lane may go."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


@dataclass(frozen=True)
class Pacing:
    """How one lane (a platform's workspace) may send; ``None`` rates mean "no limit of ours".

    ``rate``/``burst`` cap the whole workspace, ``channel_rate``/``channel_burst`` each channel or
    DM, ``open_rate``/``open_burst`` the opening of new DM channels (a tier of its own on Slack);
    ``concurrency`` bounds the calls in flight in the lane.
    """

    rate: float | None = None
    burst: int = 1
    channel_rate: float | None = None
    channel_burst: int = 1
    open_rate: float | None = None
    open_burst: int = 1
    concurrency: int = 8


class TokenBucket:
    """Allows ``burst`` sends at once, then ``rate`` a second; ``None`` lets everything through.

    Time is the event loop's monotonic clock: pacing is about the wire, not the calendar.
    """

    def __init__(self, rate: float | None, burst: int = 1) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._at: float | None = None
        self._paused_until = 0.0
        # Waiters queue in order: one sleeps for the next token, not thousands at once.
        self._turn = asyncio.Lock()

    def _refill(self, now: float) -> None:
        if self._at is not None and self.rate is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now

    def pause(self, seconds: float) -> None:
        """Let nothing through for ``seconds`` (the platform said Retry-After)."""
        now = asyncio.get_running_loop().time()
        self._paused_until = max(self._paused_until, now + seconds)
        self._tokens = 0.0
        self._at = self._paused_until

    def delay(self) -> float:
        """Seconds until the next token, without using one (0: one is there now)."""
        now = asyncio.get_running_loop().time()
        if now < self._paused_until:
            return self._paused_until - now
        if self.rate is None:
            return 0.0
        self._refill(now)
        return 0.0 if self._tokens >= 1.0 else (1.0 - self._tokens) / self.rate

    async def take(self) -> None:
        """Wait for a token and use it."""
        loop = asyncio.get_running_loop()
        async with self._turn:
            await self._wait(loop)

    async def _wait(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            now = loop.time()
            if now < self._paused_until:
                await asyncio.sleep(self._paused_until - now)
                continue
            if self.rate is None:
                return
            self._refill(now)
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return
            await asyncio.sleep((1.0 - self._tokens) / self.rate)


class Pacer:
    """Token buckets by key (a workspace, a channel): ``burst`` at once, then ``rate`` a second."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}

    async def wait(self, key: tuple[str, ...], rate: float, burst: int = 1) -> None:
        """Wait until the next send under this key is allowed."""
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(rate, burst)
        await bucket.take()
