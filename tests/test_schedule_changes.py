"""A schedule made on any process reaches the leading scheduler at once (PostgreSQL NOTIFY)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from storage.engine import Store
from tests.conftest import POSTGRES_URL
from tests.factories import Harness

COPBOT = str(Path(sys.executable).parent / "copbot")


class Lines:
    """A process's stderr, line by line, read in a thread so that every wait has a timeout."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float) -> float:
        """Seconds until a line containing ``text`` arrived; fails after ``timeout``."""
        start = time.monotonic()
        while True:
            left = timeout - (time.monotonic() - start)
            assert left > 0, f"no line with {text!r} in {timeout} s; seen: {self.seen[-10:]}"
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return time.monotonic() - start


async def test_a_checkin_made_on_another_process_is_in_the_leaders_jobs_within_2_s(
    pg_store: Store, tmp_path: Path
) -> None:
    config = tmp_path / "copbot.toml"
    config.write_text(f'[storage]\nurl = "{POSTGRES_URL}"\n')
    # This test process is the other replica; its community exists before the leader starts.
    harness = await Harness.start(pg_store)
    leader = subprocess.Popen(
        [COPBOT, "run", "--config", str(config)],
        stdin=subprocess.PIPE,  # kept open: the console waits, the process keeps leading
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COPBOT_LOG_LEVEL": "INFO"},
    )
    try:
        assert leader.stderr is not None and leader.stdin is not None
        lines = Lines(leader.stderr)
        lines.wait_for("this process leads", timeout=30)
        lines.wait_for("weekly-report:1", timeout=10)  # its first rebuild is done
        reply = await harness.say('checkin add name:standup schedule:"daily 09:00" questions:Q')
        assert reply.startswith("✅"), reply
        took = lines.wait_for("added checkin:1", timeout=2)
        assert took < 2
        await harness.say("checkin pause 1")
        lines.wait_for("removed checkin:1", timeout=2)
        await harness.close()
        leader.stdin.close()
        assert leader.wait(timeout=30) == 0
    finally:
        if leader.poll() is None:
            leader.kill()
            leader.wait(timeout=10)
