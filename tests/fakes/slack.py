"""A local Slack: the Web API methods copbot calls, response URLs, uploads and Socket Mode.

It answers like Slack (HTTP 200 with ``{"ok": true, ...}``), records every call, and can be told
to answer one call with an error or a 429 with ``Retry-After``, to enforce Slack's rate limits
(``limits``), and to post a message and then answer late or drop the connection (``faults``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import math
import random
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.fakes.server import LoopbackServer


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack adds to a request it sends: a v0 HMAC signature over the raw body."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


class Bucket:
    """A token bucket on the monotonic clock, as Slack's limits behave: bursts, then a rate."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.at = float(burst), time.monotonic()

    def take(self) -> float:
        """Use a token and return 0, or return the seconds until one is there."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class SlackLimits:
    """Slack's limits for posting: per channel, per workspace, and conversations.open's tier."""

    channel_rate: float = 1.0
    channel_burst: int = 3
    workspace_rate: float = 20.0
    workspace_burst: int = 20
    open_per_minute: float = 50.0
    open_burst: int = 50


@dataclass
class SlackFaults:
    """Posts that go through but whose answer never arrives: ``rate`` of them, half answered
    ``late_seconds`` late (past the client's timeout), half cut off by a dropped connection."""

    rate: float = 0.1
    late_seconds: float = 1.0
    seed: int = 8


class FakeSlack(LoopbackServer):
    """Records calls; ``calls_to(method)`` lists the parameters of each call to one method."""

    def __init__(self, users: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.users = users or {}
        self.missing: set[str] = set()  # user ids users.info answers user_not_found for
        # What conversations.info knows, by channel id (any other id: channel_not_found).
        self.channels: dict[str, dict[str, Any]] = {
            "C1": {"name": "general", "is_member": True},
            "CNOPE": {"name": "design", "is_member": False},
        }
        self.calls: list[tuple[str, dict[str, Any]]] = []
        # Uploaded files by id: the name given to files.getUploadURLExternal and the bytes sent.
        self.uploads: dict[str, dict[str, Any]] = {}
        self.responses: list[dict[str, Any]] = []  # what was POSTed to response URLs
        self.response_peers: list[object] = []  # the client address each one came from
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.group_dms: dict[str, list[str]] = {}  # group DMs opened, by id: their users
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.scripted: dict[str, list[tuple[int, dict[str, str], dict[str, Any]]]] = {}
        # Who conversations.members lists in each channel (users.list lists ``users``).
        self.channel_members: dict[str, list[str]] = {}
        self.socket_acks: list[dict[str, Any]] = []
        self._ts = itertools.count(1)
        self._socket_ready = asyncio.Event()
        self.limits: SlackLimits | None = None
        self.faults: SlackFaults | None = None
        self.limited: list[str] = []  # the methods answered 429 by ``limits``
        self.faulted: list[str] = []  # "late" or "drop", for each post that got a fault
        self._buckets: dict[str, Bucket] = {}
        self._random = random.Random(0)

    def enforce(self, limits: SlackLimits) -> None:
        """Answer 429 with Retry-After (whole seconds, as Slack does) beyond these limits."""
        self.limits = limits

    def inject(self, faults: SlackFaults) -> None:
        """Post some messages and then answer late or drop the connection."""
        self.faults = faults
        self._random = random.Random(faults.seed)

    def posted(self) -> list[dict[str, Any]]:
        """Every message posted, in channels, DMs and threads."""
        found = [m for messages in self.history.values() for m in messages]
        return found + [m for messages in self.threads.values() for m in messages]

    def _page(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """One page of users.list or conversations.members, with Slack's cursor."""
        if method == "users.list":
            found: list[Any] = [{"id": u, "name": u, **data} for u, data in self.users.items()]
        else:
            found = list(self.channel_members.get(str(params.get("channel")), []))
        start = int(params.get("cursor") or 0)
        end = start + int(params.get("limit") or 100)
        key = "members"
        more = {"next_cursor": str(end) if end < len(found) else ""}
        return {"ok": True, key: found[start:end], "response_metadata": more}

    def _bucket(self, name: str, rate: float, burst: int) -> Bucket:
        if name not in self._buckets:
            self._buckets[name] = Bucket(rate, burst)
        return self._buckets[name]

    def _over_limit(self, method: str, params: dict[str, Any]) -> float:
        """Seconds to wait if this call is beyond a limit (0 if it may go)."""
        limits = self.limits
        if limits is None:
            return 0.0
        if method == "conversations.open":
            return self._bucket("open", limits.open_per_minute / 60, limits.open_burst).take()
        if method != "chat.postMessage":
            return 0.0
        channel = str(params.get("channel"))
        place = self._bucket(f"channel:{channel}", limits.channel_rate, limits.channel_burst)
        workspace = self._bucket("workspace", limits.workspace_rate, limits.workspace_burst)
        # A call refused by one limit uses no token of the other.
        wait = place.take()
        if wait:
            return wait
        wait = workspace.take()
        if wait:
            place.tokens += 1
        return wait

    @property
    def api_url(self) -> str:
        """The Web API base URL to configure (trailing slash matters to slack-sdk)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r") -> str:
        """A response_url for a command or a button."""
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def script(self, method: str, status: int, body: dict[str, Any], **headers: str) -> None:
        """Answer the next call to ``method`` this way instead of the usual answer."""
        self.scripted.setdefault(method, []).append((status, headers, body))

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call to one method, in order."""
        return [params for name, params in self.calls if name == method]

    def routes(self, app: web.Application) -> None:
        """The Web API, response URLs, uploads and the Socket Mode websocket."""
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/socket", self._websocket)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(parse_qsl(raw))
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        if self.scripted.get(method):
            status, headers, body = self.scripted[method].pop(0)
            return web.json_response(body, status=status, headers=headers)
        wait = self._over_limit(method, params)
        if wait:
            self.limited.append(method)
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            body = {"ok": False, "error": "ratelimited"}
            return web.json_response(body, status=429, headers=headers)
        answer = self._answer(method, params)
        faults = self.faults
        if method == "chat.postMessage" and faults and self._random.random() < faults.rate:
            # Posted already (it is in the history); the answer is what goes wrong.
            if self._random.random() < 0.5:
                self.faulted.append("late")
                await asyncio.sleep(faults.late_seconds)
            else:
                self.faulted.append("drop")
                assert request.transport is not None
                request.transport.close()
        return web.json_response(answer)

    def _open(self, users: str) -> dict[str, Any]:
        """Like Slack: one user is a DM; several (up to 8, comma-separated) are a group DM
        (``is_mpim``), the same conversation each time for the same people."""
        people = sorted(u.strip() for u in users.split(",") if u.strip())
        if len(people) == 1:
            return {"ok": True, "channel": {"id": f"D{people[0]}"}}
        if len(people) > 8:
            return {"ok": False, "error": "too_many_users"}
        digest = hashlib.sha256(",".join(people).encode()).hexdigest()[:10].upper()
        self.group_dms[f"G{digest}"] = people
        return {"ok": True, "channel": {"id": f"G{digest}", "is_mpim": True, "is_im": False}}

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "T"}
        if method == "chat.postMessage":
            ts = f"{1733000000 + next(self._ts)}.000100"
            channel = str(params.get("channel"))
            metadata = params.get("metadata")
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            message = {"ts": ts, "text": params.get("text"), "metadata": metadata}
            thread = params.get("thread_ts")
            if thread:  # like Slack: a reply is in its thread, not in the channel's history
                self.threads.setdefault((channel, str(thread)), []).append(message)
            else:
                self.history.setdefault(channel, []).insert(0, message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            return self._update(str(params.get("channel")), str(params.get("ts")), params)
        if method == "conversations.open":
            return self._open(str(params.get("users")))
        if method == "conversations.history":
            return {"ok": True, "messages": self._history(params)}
        if method == "conversations.replies":
            return {"ok": True, "messages": self._replies(params)}
        if method == "chat.getPermalink":
            channel, ts = str(params.get("channel")), str(params.get("message_ts"))
            link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": link}
        if method in ("views.open", "views.publish", "views.update"):
            return {"ok": True, "view": {"id": "V1"}}
        if method in ("users.list", "conversations.members"):
            return self._page(method, params)
        if method == "users.info":
            user = str(params.get("user"))
            if user in self.missing:
                return {"ok": False, "error": "user_not_found"}
            found = {"id": user, "name": user, "profile": {"display_name": user}}
            return {"ok": True, "user": {**found, **self.users.get(user, {})}}
        if method == "conversations.info":
            channel = str(params.get("channel"))
            if channel not in self.channels:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, **self.channels[channel]}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + 1}"
            self.uploads[file_id] = {"filename": params.get("filename"), "content": b""}
            return {
                "ok": True,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            listed = params.get("files")
            files = json.loads(listed) if isinstance(listed, str) else listed or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}

    def _history(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Like Slack: a channel's messages newest first, up to ``latest`` (itself included
        with ``inclusive``), ``limit`` of them; never the replies in threads."""
        found = self.history.get(str(params.get("channel")), [])
        latest = params.get("latest")
        if latest:
            inclusive = str(params.get("inclusive")).lower() in ("1", "true")
            found = [m for m in found if m["ts"] < latest or (inclusive and m["ts"] == latest)]
        limit = params.get("limit")
        return found[: int(limit)] if limit else found

    def _replies(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Like Slack: the thread of ``ts``, whether ``ts`` is its parent or one of its
        replies; the parent first, always, then the replies between ``oldest`` and ``latest``
        (themselves included with ``inclusive``), oldest first, ``limit`` in all."""
        channel, ts = str(params.get("channel")), str(params.get("ts"))
        for (where, parent_ts), replies in self.threads.items():
            if where == channel and (parent_ts == ts or any(m["ts"] == ts for m in replies)):
                parent = [m for m in self.history.get(channel, []) if m["ts"] == parent_ts]
                found = parent + [m for m in replies if self._in_range(m["ts"], params)]
                limit = params.get("limit")
                return found[: int(limit)] if limit else found
        return [m for m in self.history.get(channel, []) if m["ts"] == ts]

    @staticmethod
    def _in_range(ts: str, params: dict[str, Any]) -> bool:
        inclusive = str(params.get("inclusive")).lower() in ("1", "true")
        oldest, latest = params.get("oldest"), params.get("latest")
        after = not oldest or ts > oldest or (inclusive and ts == oldest)
        before = not latest or ts < latest or (inclusive and ts == latest)
        return after and before

    def _update(self, channel: str, ts: str, params: dict[str, Any]) -> dict[str, Any]:
        """Like Slack's ``chat.update``: the message keeps its ts, its text is replaced."""
        found = [m for m in self.history.get(channel, []) if m["ts"] == ts]
        for (where, _), replies in self.threads.items():
            found += [m for m in replies if where == channel and m["ts"] == ts]
        if not found:
            return {"ok": False, "error": "message_not_found"}
        found[0]["text"] = params.get("text")
        found[0]["edited"] = {"user": "UBOT", "ts": ts}
        return {"ok": True, "channel": channel, "ts": ts, "text": params.get("text")}

    async def _respond(self, request: web.Request) -> web.Response:
        assert request.transport is not None
        self.response_peers.append(request.transport.get_extra_info("peername"))
        self.responses.append(
            {**json.loads(await request.text()), "_url": request.match_info["name"]}
        )
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        content = await request.read()
        self.calls.append(("upload", {"size": len(content)}))
        self.uploads.setdefault(request.match_info["file"], {})["content"] = content
        return web.Response(text="OK")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._socket_ready.set()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(frame.data))
        return socket

    async def push(self, envelope_type: str, payload: dict[str, Any], envelope_id: str) -> None:
        """Send an envelope over Socket Mode (a command, an interaction or an event)."""
        # A deadline for copbot's process to connect; over 10 s on a loaded machine.
        await asyncio.wait_for(self._socket_ready.wait(), 30)
        assert self._socket is not None
        await self._socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": envelope_type != "events_api",
            }
        )
