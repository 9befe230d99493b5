"""Command latency: signed ``/cop help`` over HTTP, copbot against a bare Bolt app, same run.

    .venv/bin/python benchmarks/commands.py [--requests N] [--in-flight N] [--users N] [--quick]
    .venv/bin/python benchmarks/commands.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/DB
    .venv/bin/python benchmarks/commands.py --profile copbot.txt   # pyinstrument, else cProfile

Each app under test runs in its own process, as it would in production: copbot is the real
``copbot run`` (HTTP mode, SQLite in a temporary file unless ``--url``, outbox and scheduler
running); the baseline is a bare Bolt ``AsyncApp`` behind the same aiohttp server shape whose
listener only acks (and, measured separately, acks and then answers through ``respond()``).
This process holds the local Slack stand-in (Web API and response URLs) and the load generator.

Each app first gets one untimed request per user (copbot meets its members), then the timed
requests at a fixed number in flight. Printed: HTTP 200 latency (request sent to response read)
and reply latency (request sent to the reply's arrival at its response_url), p50 and p99, and
copbot's ratio to the bare app's (targets: HTTP 200 p99 at most 2x, reply p99 under 500 ms),
and the CPU each app used per timed request. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the Slack stand-in lives with the tests

from aiohttp import ClientSession, TCPConnector, web  # noqa: E402

from tests.fakes.slack import FakeSlack, signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
TEAM = "T1"
PATH = "/slack/events"
START_TIMEOUT = 60.0
WARM_UP_WAIT = 30.0
REPLY_WAIT = 10.0


class TimedSlack(FakeSlack):
    """The local Slack, noting when each reply reaches its response_url."""

    def __init__(self) -> None:
        super().__init__()
        self.replied: dict[str, float] = {}
        self.texts: dict[str, str] = {}

    def routes(self, app: web.Application) -> None:
        """The stand-in's routes, with a response_url endpoint that only notes the time."""
        app.router.add_post("/respond/{name}", self._timed_respond)
        super().routes(app)

    async def _timed_respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        name = request.match_info["name"]
        self.replied[name] = time.perf_counter()
        self.texts[name] = str(body.get("text", ""))
        return web.Response(text="ok")


@dataclass
class Run:
    """What one app did with the timed requests."""

    label: str
    http: list[float] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    missing_replies: int = 0
    cpu: float = float("nan")  # seconds of CPU the app used for the timed requests


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far; NaN where /proc is unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# The apps under test ---------------------------------------------------------------------------


def serve_bare(port: int, api_url: str, respond: bool) -> None:
    """A bare Bolt app in copbot's HTTP server shape: ``/cop`` acks (and maybe responds)."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    async def main() -> None:
        bolt = AsyncApp(
            client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=SECRET
        )

        @bolt.command("/cop")
        async def on_command(ack: Any, respond: Any) -> None:
            await ack()
            if respond_too:
                await respond(text="hi", response_type="ephemeral")

        respond_too = respond

        async def slack(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await bolt.async_dispatch(await to_bolt_request(request))
            )

        async def healthz(_request: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post(PATH, slack)
        app.router.add_get("/healthz", healthz)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def copbot_config(folder: Path, port: int, api_url: str, db_url: str) -> Path:
    """A config for ``copbot run``: Slack over HTTP, no console."""
    path = folder / "copbot.toml"
    path.write_text(
        f"""
[storage]
url = "{db_url}"
[console]
enabled = false
[slack]
enabled = true
mode = "http"
host = "127.0.0.1"
port = {port}
path = "{PATH}"
api_base_url = "{api_url}"
[[communities]]
name = "bench"
timezone = "Europe/Berlin"
slack_team_id = "{TEAM}"
facilitators = ["slack:U0000"]
"""
    )
    return path


async def start_app(argv: list[str], env: dict[str, str], port: int) -> asyncio.subprocess.Process:
    """Start an app under test and wait until its /healthz answers."""
    process = await asyncio.create_subprocess_exec(*argv, env=env, stdin=asyncio.subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT
    async with ClientSession() as session:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{argv} exited with {process.returncode}")
            with contextlib.suppress(OSError):
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            await asyncio.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{argv} did not start within {START_TIMEOUT} s")


async def stop_app(process: asyncio.subprocess.Process) -> None:
    """Ask an app under test to stop (SIGTERM), then make sure it has."""
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()


# The load -------------------------------------------------------------------------------------


async def replies_to(fake: TimedSlack, names: list[str], timeout: float) -> None:
    """Wait until each of these requests got its reply, or the timeout passed."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and any(n not in fake.replied for n in names):
        await asyncio.sleep(0.05)


async def load(
    label: str,
    url: str,
    fake: TimedSlack,
    pid: int,
    *,
    requests: int,
    in_flight: int,
    users: int,
    expect_reply: bool,
) -> Run:
    """One untimed request per user, then ``requests`` timed ones with ``in_flight`` at once."""
    run = Run(label)
    sent: dict[str, float] = {}
    gate = asyncio.Semaphore(in_flight)

    async def one(session: ClientSession, name: str, user: str, timed: bool) -> None:
        fields = {
            "command": "/cop",
            "text": "help",
            "team_id": TEAM,
            "user_id": user,
            "channel_id": "C1",
            "trigger_id": f"trig-{name}",
            "response_url": fake.response_url(name),
        }
        body = urlencode(fields)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **signed_headers(SECRET, body),
        }
        async with gate:
            start = time.perf_counter()
            async with session.post(url, data=body.encode(), headers=headers) as response:
                await response.read()
                done = time.perf_counter()
        if timed:
            sent[name] = start
            run.http.append(done - start)
            run.statuses[response.status] = run.statuses.get(response.status, 0) + 1

    async with ClientSession(connector=TCPConnector(limit=in_flight)) as session:
        await asyncio.gather(
            *(one(session, f"{label}-warm-{u}", f"U{u:04d}", False) for u in range(users))
        )
        if expect_reply:  # let the warm-up finish its work before timing anything
            warm = [f"{label}-warm-{u}" for u in range(users)]
            await replies_to(fake, warm, WARM_UP_WAIT)
        before = cpu_seconds(pid)
        await asyncio.gather(
            *(one(session, f"{label}-{n}", f"U{n % users:04d}", True) for n in range(requests))
        )
    if expect_reply:
        await replies_to(fake, list(sent), REPLY_WAIT)
        for name, start in sent.items():
            if name in fake.replied:
                run.replies.append(fake.replied[name] - start)
            else:
                run.missing_replies += 1
    run.cpu = cpu_seconds(pid) - before
    return run


def report(run: Run) -> None:
    """Print one app's figures."""
    codes = ", ".join(f"{code}: {count}" for code, count in sorted(run.statuses.items()))
    line = (
        f"{run.label:<28} HTTP p50 {percentile(run.http, 0.5) * 1000:7.1f} ms"
        f"  p99 {percentile(run.http, 0.99) * 1000:7.1f} ms"
    )
    if run.replies or run.missing_replies:
        line += (
            f" | reply p50 {percentile(run.replies, 0.5) * 1000:7.1f} ms"
            f"  p99 {percentile(run.replies, 0.99) * 1000:7.1f} ms"
        )
        if run.missing_replies:
            line += f" ({run.missing_replies} replies missing)"
    print(f"{line} | CPU {run.cpu / len(run.http) * 1000:.2f} ms/request | status {codes}")


async def main(args: argparse.Namespace) -> int:
    fake = TimedSlack()
    await fake.start()
    runs: dict[str, Run] = {}
    shape = {
        "requests": args.requests,
        "in_flight": args.in_flight,
        "users": args.users,
    }
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "COPBOT_LOG_LEVEL": "WARNING",
    }
    try:
        for label, respond in (
            ("bare Bolt (ack only)", False),
            ("bare Bolt (ack + respond)", True),
        ):
            port = free_port()
            argv = [sys.executable, __file__, "--serve-bare", str(port), "--api", fake.api_url]
            if respond:
                argv.append("--respond")
            process = await start_app(argv, env, port)
            try:
                url = f"http://127.0.0.1:{port}{PATH}"
                runs[label] = await load(
                    label, url, fake, process.pid, expect_reply=respond, **shape
                )
            finally:
                await stop_app(process)
        with tempfile.TemporaryDirectory() as folder:
            port = free_port()
            db_url = args.url or f"sqlite+aiosqlite:///{Path(folder) / 'copbot.db'}"
            if db_url.startswith("postgresql"):
                await upgrade_postgres(db_url)
            config = copbot_config(Path(folder), port, fake.api_url, db_url)
            copbot = [str(Path(sys.executable).parent / "copbot"), "run", "--config", str(config)]
            if args.profile:
                copbot = [*profiler(args.profile), "-m", "bot", *copbot[1:]]
            process = await start_app(copbot, env, port)
            try:
                url = f"http://127.0.0.1:{port}{PATH}"
                runs["copbot"] = await load(
                    "copbot", url, fake, process.pid, expect_reply=True, **shape
                )
            finally:
                await stop_app(process)
    finally:
        await fake.stop()

    backend = "PostgreSQL" if args.url else "SQLite"
    print(
        f"/cop help, {args.requests} signed requests, {args.in_flight} in flight, "
        f"{args.users} users, copbot on {backend}"
    )
    for run in runs.values():
        report(run)
    bare, full = runs["bare Bolt (ack only)"], runs["copbot"]
    bare_p99, copbot_p99 = percentile(bare.http, 0.99), percentile(full.http, 0.99)
    reply_p99 = percentile(full.replies, 0.99)
    sample = next((t for n, t in fake.texts.items() if n.startswith("copbot-")), "")
    print(f"copbot's reply reads: {sample.splitlines()[0] if sample else '(none)'}")
    ratio = copbot_p99 / bare_p99
    print(f"ratio, HTTP 200 p99 copbot / bare Bolt (ack only): {ratio:.2f}x (target <= 2x)")
    print(f"copbot reply p99: {reply_p99 * 1000:.0f} ms (target < 500 ms)")
    met = copbot_p99 <= 2 * bare_p99 and reply_p99 < 0.5
    print(f"targets {'met' if met else 'missed'}")
    # A missed target is a figure to report, not a failure; a reply that never came is one.
    return 1 if full.missing_replies else 0


def profiler(path: str) -> list[str]:
    """How to run copbot under a profiler: pyinstrument (async-aware) if installed, else
    cProfile, whose times for coroutines are harder to read."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        return [sys.executable, "-m", "cProfile", "-o", path]
    return [sys.executable, "-m", "pyinstrument", "-o", path]


async def upgrade_postgres(url: str) -> None:
    """Bring a PostgreSQL database to the schema copbot needs (copbot run does not, on purpose)."""
    from storage.engine import Store, build_engine
    from storage.migrate import upgrade

    store = Store(build_engine(url))
    try:
        await upgrade(store.engine)
    finally:
        await store.close()


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--users", type=int, default=100, help="distinct Slack users")
    parser.add_argument("--quick", action="store_true", help="200 requests, 20 users")
    parser.add_argument("--url", help="copbot's database (default: SQLite in a temporary file)")
    parser.add_argument("--profile", metavar="FILE", help="profile copbot into FILE")
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--respond", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.requests, args.users = 200, 20
    return args


if __name__ == "__main__":
    options = arguments()
    if options.serve_bare:
        serve_bare(options.serve_bare, options.api, options.respond)
        sys.exit(0)
    sys.exit(asyncio.run(main(options)))
