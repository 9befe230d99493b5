"""A local Discord: the gateway (websocket) and the REST routes discord.py and copbot use.

JSON answers carry ``Content-Type: application/json`` exactly: discord.py reads
``application/json; charset=utf-8`` as text.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from datetime import datetime
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_events import FakeScheduledEvents
from tests.fakes.server import LoopbackServer

BOT_ID = "900000000000000001"
APP_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "700000000000000001"
DISCORD_EPOCH_MS = 1420070400000
_increments = itertools.count(1)


def snowflake(at: datetime | None = None) -> str:
    """A fresh id; like Discord's, it carries the time it was made (discord.py reads it): now, or
    ``at`` for what a test says happened at a time of its own clock."""
    ms = int((at.timestamp() if at else time.time()) * 1000)
    return str(((ms - DISCORD_EPOCH_MS) << 22) | (next(_increments) % 4096))


def user(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {
        "id": user_id,
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def member(user_id: str, name: str, permissions: str = "0") -> dict[str, Any]:
    """A guild member object, with the permissions Discord computes for interactions."""
    return {
        "user": user(user_id, name),
        "roles": [],
        "joined_at": "2026-11-01T10:00:00+00:00",
        "deaf": False,
        "mute": False,
        "permissions": permissions,
        "flags": 0,
    }


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


class FakeDiscord(LoopbackServer):
    """Records REST calls; ``dispatch`` pushes gateway events to the connected client."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.threads: set[str] = set()
        # Threads started without a message (a group's private thread), by id, with the ids of
        # the members added to each.
        self.private_threads: dict[str, dict[str, Any]] = {}
        self.forbidden_channels: set[str] = set()  # posting there answers 403 Missing Access
        self.identified = asyncio.Event()
        self.resumed = asyncio.Event()
        self.refuse_token = False  # answer /users/@me 401, as Discord does a wrong token
        # The privileged intents the application has turned on (members 1 << 1, message content
        # 1 << 15): identifying with another one is closed with 4014, as Discord does.
        self.privileged_allowed = (1 << 1) | (1 << 15)
        self._seq = 0
        # Like Discord: a message sent again with the same nonce and enforce_nonce is answered
        # with the first one instead of being posted twice.
        self.by_nonce: dict[tuple[str, str], dict[str, Any]] = {}
        self.drop_next_posts = 0  # post that many messages, then drop the connection unanswered
        self.post_delay = 0.0  # seconds a message post takes to be answered (a slow Discord)
        self.messages: dict[str, dict[str, Any]] = {}  # every message posted, by id
        self.events = FakeScheduledEvents(snowflake, BOT_ID)  # guild scheduled events
        self.guild_members: list[dict[str, Any]] = []  # what GET /guilds/{id}/members lists

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def calls_to(self, method: str, path_part: str) -> list[Any]:
        """The bodies of the calls whose method and path match."""
        return [body for m, path, body in self.calls if m == method and path_part in path]

    def _members_page(self, request: web.Request) -> list[dict[str, Any]]:
        """One page of the guild's members, by user id after ``after`` (Discord's paging)."""
        after = int(request.query.get("after") or 0)
        limit = int(request.query.get("limit") or 1)
        ordered = sorted(self.guild_members, key=lambda m: int(m["user"]["id"]))
        return [m for m in ordered if int(m["user"]["id"]) > after][:limit]

    def routes(self, app: web.Application) -> None:
        """The gateway websocket and the REST API."""
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)

    # -- REST -------------------------------------------------------------------------------

    async def _body(self, request: web.Request) -> Any:
        if request.content_type.startswith("multipart/"):
            parts: dict[str, Any] = {}
            reader = await request.multipart()
            async for part in reader:
                raw = await part.read()  # type: ignore[union-attr]
                name = part.name or ""  # type: ignore[union-attr]
                parts[name] = json.loads(raw) if name == "payload_json" else len(raw)
            return parts
        text = await request.text()
        return json.loads(text) if text else None

    def _message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": snowflake(),
            "channel_id": channel_id,
            "author": user(BOT_ID, "copbot", True),
            "content": body.get("content") or "",
            "timestamp": "2026-12-01T09:30:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "components": body.get("components") or [],
            "nonce": body.get("nonce"),
        }

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        self.calls.append((request.method, path, body))
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            if self.refuse_token:
                return _json({"message": "401: Unauthorized", "code": 0}, 401)
            return _json(user(BOT_ID, "copbot", True))
        if path == "/oauth2/applications/@me":
            return _json(
                {
                    "id": APP_ID,
                    "name": "copbot",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": user("1", "owner"),
                    "verify_key": "k",
                    "flags": 0,
                }
            )
        if path == "/gateway/bot":
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if parts[0] == "guilds" and parts[2:] == ["members"]:
            return _json(self._members_page(request))
        if parts[0] == "guilds" and parts[2:3] == ["scheduled-events"]:
            return await self._scheduled_event(request, parts, body)
        if parts[0] == "applications" and parts[-1] == "commands":
            key = "/".join(parts[:-1])
            if request.method == "PUT":
                self.commands[key] = [
                    {**c, "id": snowflake(), "application_id": APP_ID, "version": "1"} for c in body
                ]
            return _json(self.commands.get(key, []))
        if path == "/users/@me/channels":
            recipient = str(body["recipient_id"])
            return _json(
                {"id": f"5{recipient[-17:]}", "type": 1, "recipients": [user(recipient, "someone")]}
            )
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "threads":
            return _json(self._new_thread(parts[1], body))
        if parts[0] == "channels" and parts[2:3] == ["thread-members"] and request.method == "PUT":
            self.private_threads[parts[1]]["member_ids"].append(parts[3])
            return web.Response(status=204)  # Discord answers 204 No Content
        if parts[0] == "guilds" and parts[2:] == ["threads", "active"]:
            active = [
                {k: v for k, v in t.items() if k != "member_ids"}
                for t in self.private_threads.values()
            ]
            return _json({"threads": active, "members": []})
        if parts[0] == "channels" and parts[-1] == "threads":
            message_id = parts[3]
            if message_id in self.threads:
                return _json({"code": 160004, "message": "A thread has already been created"}, 400)
            self.threads.add(message_id)
            return _json(
                {
                    "id": message_id,
                    "type": 11,
                    "guild_id": GUILD_ID,
                    "parent_id": parts[1],
                    "name": body.get("name", "t"),
                    "thread_metadata": {
                        "archived": False,
                        "auto_archive_duration": 10080,
                        "archive_timestamp": "2026-12-01T09:30:00+00:00",
                        "locked": False,
                    },
                }
            )
        if parts[0] == "channels" and parts[2:3] == ["messages"] and request.method == "GET":
            return self._get_message(parts[1], parts[3])
        if parts[0] == "channels" and parts[1] in self.forbidden_channels:
            return _json({"code": 50001, "message": "Missing Access"}, 403)
        if parts[0] == "channels" and parts[-1] == "messages" and request.method == "POST":
            payload = body.get("payload_json", body) if isinstance(body, dict) else {}
            nonce = payload.get("nonce")
            seen = (parts[1], str(nonce))
            if nonce and payload.get("enforce_nonce") and seen in self.by_nonce:
                return _json(self.by_nonce[seen])
            if self.post_delay:
                await asyncio.sleep(self.post_delay)
            message = self._message(parts[1], payload)
            self.messages[message["id"]] = message
            if nonce:
                self.by_nonce[seen] = message
            if self.drop_next_posts > 0:
                self.drop_next_posts -= 1
                assert request.transport is not None
                request.transport.close()
            return _json(message)
        if parts[0] == "channels" and parts[2:3] == ["messages"] and request.method == "PATCH":
            return self._edit(parts[1], parts[3], body)
        if parts[0] == "interactions" and parts[-1] == "callback":
            return _json(
                {
                    "interaction": {"id": parts[1], "type": 2},
                    "resource": {"type": body.get("type", 4) if isinstance(body, dict) else 4},
                }
            )
        if parts[0] == "webhooks":
            payload = body.get("payload_json", body) if isinstance(body, dict) else {}
            return _json(self._message(CHANNEL_ID, payload or {}))
        return _json({})

    def _new_thread(self, parent: str, body: dict[str, Any]) -> dict[str, Any]:
        """A thread started without a message (a private one, type 12, for a group)."""
        thread = {
            "id": snowflake(),
            "type": body.get("type", 11),
            "guild_id": GUILD_ID,
            "parent_id": parent,
            "name": body.get("name", "t"),
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 10080),
                "archive_timestamp": "2026-12-01T09:30:00+00:00",
                "locked": False,
                "invitable": body.get("invitable", True),
            },
            "member_ids": [],
        }
        self.private_threads[thread["id"]] = thread
        return {k: v for k, v in thread.items() if k != "member_ids"}

    async def _scheduled_event(
        self, request: web.Request, parts: list[str], body: Any
    ) -> web.Response:
        """/guilds/{id}/scheduled-events[/{event id}]: Discord's answer from the fake events."""
        status, data = self.events.answer(
            request.method, parts[1], parts[3] if len(parts) > 3 else None, body
        )
        if status == 204:
            return web.Response(status=204)
        if request.method == "POST" and status == 200 and self.events.drop_next_creates > 0:
            self.events.drop_next_creates -= 1
            assert request.transport is not None
            request.transport.close()  # created, but the answer never arrives
        response = _json(data, status)
        if status == 429:
            response.headers["Retry-After"] = str(data["retry_after"])
        return response

    def _get_message(self, channel_id: str, message_id: str) -> web.Response:
        """Like Discord's ``GET /channels/{id}/messages/{id}``: a message of ``messages`` (a
        test puts members' messages there, with the content it means copbot to read)."""
        found = self.messages.get(message_id)
        if found is None or found["channel_id"] != channel_id:
            return _json({"code": 10008, "message": "Unknown Message"}, 404)
        return _json(found)

    def _edit(self, channel_id: str, message_id: str, body: Any) -> web.Response:
        """Like Discord's message edit: the fields given replace those of the message."""
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return _json({"code": 10008, "message": "Unknown Message"}, 404)
        payload = body.get("payload_json", body) if isinstance(body, dict) else {}
        for name in ("content", "embeds", "components"):
            if name in payload:
                message[name] = payload[name] if payload[name] is not None else ""
        message["embeds"] = message["embeds"] or []
        message["components"] = message["components"] or []
        message["edited_timestamp"] = "2026-12-01T09:31:00+00:00"
        return _json(message)

    def responses(self) -> list[dict[str, Any]]:
        """Every interaction callback body, in order."""
        return [b for m, p, b in self.calls if m == "POST" and p.endswith("/callback")]

    # -- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if message["op"] == 1:
                await socket.send_json({"op": 11})
            elif message["op"] == 2:
                privileged = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, content
                if message["d"].get("intents", 0) & privileged & ~self.privileged_allowed:
                    await socket.close(code=4014, message=b"Disallowed intent(s).")
                    break
                await self._ready(socket, message["d"].get("shard") or [0, 1])
            elif message["op"] == 6:
                self._seq += 1
                await socket.send_json({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}})
                self.identified.set()
                self.resumed.set()
        return socket

    async def _ready(self, socket: web.WebSocketResponse, shard: list[int]) -> None:
        self._seq += 1
        await socket.send_json(
            {
                "op": 0,
                "t": "READY",
                "s": self._seq,
                "d": {
                    "v": 10,
                    "user": user(BOT_ID, "copbot", True),
                    "guilds": [{"id": GUILD_ID, "unavailable": True}],
                    "session_id": "session-1",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": APP_ID, "flags": 0},
                    "shard": shard,
                },
            }
        )
        self._seq += 1
        await socket.send_json(
            {
                "op": 0,
                "t": "GUILD_CREATE",
                "s": self._seq,
                "d": {
                    "id": GUILD_ID,
                    "name": "Data CoP",
                    "owner_id": "1",
                    "icon": None,
                    "features": [],
                    "roles": [
                        bot_role(),
                        {
                            "id": GUILD_ID,
                            "name": "@everyone",
                            # View Channel, as a new server gives everyone.
                            "permissions": str(1 << 10),
                            "position": 0,
                            "color": 0,
                            "hoist": False,
                            "managed": False,
                            "mentionable": False,
                        },
                    ],
                    "emojis": [],
                    "stickers": [],
                    "members": [bot_member()],
                    "channels": [
                        quiet_channel(),
                        voice_channel(VOICE_CHANNEL_ID, "clinic room"),
                        voice_channel(STAGE_CHANNEL_ID, "town hall", stage=True),
                        {
                            "id": CHANNEL_ID,
                            "type": 0,
                            "name": "general",
                            "position": 0,
                            "guild_id": GUILD_ID,
                            "permission_overwrites": [],
                        },
                    ],
                    "threads": [],
                    "guild_scheduled_events": [],
                    "voice_states": [],
                    "presences": [],
                    "member_count": 3,
                    "joined_at": "2026-11-01T10:00:00+00:00",
                    "large": False,
                    "unavailable": False,
                    "verification_level": 0,
                    "default_message_notifications": 0,
                    "explicit_content_filter": 0,
                    "mfa_level": 0,
                    "premium_tier": 0,
                    "preferred_locale": "en-US",
                    "nsfw_level": 0,
                    "system_channel_flags": 0,
                },
            }
        )
        self.identified.set()

    async def drop(self) -> None:
        """Close the gateway connection the way a network blip would: the client resumes."""
        assert self._socket is not None
        self.identified.clear()
        socket, self._socket = self._socket, None
        await socket.close(code=4000)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Push one gateway event (a DISPATCH, op 0) to the client."""
        await asyncio.wait_for(self.identified.wait(), 10)
        assert self._socket is not None
        self._seq += 1
        await self._socket.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    async def interest(self, event_id: str, user_id: str, interested: bool = True) -> None:
        """Someone marks (or unmarks) *Interested* on a scheduled event, as the gateway says."""
        kind = "ADD" if interested else "REMOVE"
        await self.dispatch(
            f"GUILD_SCHEDULED_EVENT_USER_{kind}",
            {"guild_scheduled_event_id": event_id, "user_id": user_id, "guild_id": GUILD_ID},
        )

    async def voice(self, who: dict[str, Any], channel_id: str | None, **state: Any) -> None:
        """Someone joins (moves to, mutes in) a voice channel, or leaves voice (``None``): a
        VOICE_STATE_UPDATE, with the member as the gateway sends it for a guild."""
        await self.dispatch(
            "VOICE_STATE_UPDATE",
            {
                "guild_id": GUILD_ID,
                "channel_id": channel_id,
                "user_id": who["user"]["id"],
                "member": who,
                "session_id": f"voice-{who['user']['id']}",
                "deaf": False,
                "mute": False,
                "self_deaf": False,
                "self_mute": False,
                "self_stream": False,
                "self_video": False,
                "suppress": False,
                "request_to_speak_timestamp": None,
                **state,
            },
        )

    def interaction(self, kind: int, data: dict[str, Any], who: dict[str, Any]) -> dict[str, Any]:
        """An INTERACTION_CREATE payload from a guild channel."""
        return {
            "id": snowflake(),
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "guild_id": GUILD_ID,
            "channel_id": CHANNEL_ID,
            "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "general"},
            "member": who,
            "token": f"token-{snowflake()}",
            "version": 1,
            "app_permissions": "0",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
            "attachment_size_limit": 10485760,
        }

    def dm_interaction(
        self, kind: int, data: dict[str, Any], who: dict[str, Any], channel: str
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE from a DM: no guild, a ``user`` instead of a ``member``."""
        payload = self.interaction(kind, data, who)
        for key in ("guild_id", "member", "guild_locale"):
            payload.pop(key)
        payload["user"] = who["user"]
        payload["channel_id"] = channel
        payload["channel"] = {"id": channel, "type": 1, "recipients": [who["user"]]}
        payload["context"] = 1
        return payload


# copbot's own member and role in the guild, and a channel it sees but may not post in.
BOT_ROLE_ID = "800000000000000002"
QUIET_CHANNEL_ID = "700000000000000002"
# A voice channel and a stage channel, where events can be held.
VOICE_CHANNEL_ID = "700000000000000003"
STAGE_CHANNEL_ID = "700000000000000004"
GUILD_VOICE, GUILD_STAGE_VOICE = 2, 13
VIEW_CHANNEL, SEND_MESSAGES, SEND_IN_THREADS = 1 << 10, 1 << 11, 1 << 38


def bot_role() -> dict[str, Any]:
    """copbot's role: it may see channels and post in them and in their threads."""
    return {
        "id": BOT_ROLE_ID,
        "name": "copbot",
        "permissions": str(VIEW_CHANNEL | SEND_MESSAGES | SEND_IN_THREADS),
        "position": 1,
        "color": 0,
        "hoist": False,
        "managed": True,
        "mentionable": False,
    }


def bot_member() -> dict[str, Any]:
    """copbot's own member, which Discord always sends in GUILD_CREATE."""
    found = member(BOT_ID, "copbot")
    return {**found, "user": user(BOT_ID, "copbot", True), "roles": [BOT_ROLE_ID]}


def quiet_channel() -> dict[str, Any]:
    """#design: an overwrite denies copbot's role Send Messages there."""
    deny = {"id": BOT_ROLE_ID, "type": 0, "allow": "0", "deny": str(SEND_MESSAGES)}
    return {
        "id": QUIET_CHANNEL_ID,
        "type": 0,
        "name": "design",
        "position": 1,
        "guild_id": GUILD_ID,
        "permission_overwrites": [deny],
    }


def voice_channel(channel_id: str, name: str, stage: bool = False) -> dict[str, Any]:
    """A voice channel (or a stage channel) as GUILD_CREATE lists it."""
    return {
        "id": channel_id,
        "type": GUILD_STAGE_VOICE if stage else GUILD_VOICE,
        "name": name,
        "position": 3 if stage else 2,
        "guild_id": GUILD_ID,
        "permission_overwrites": [],
        "bitrate": 64000,
        "user_limit": 0,
        "rtc_region": None,
    }
