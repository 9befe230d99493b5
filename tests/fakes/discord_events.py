"""The local Discord's guild scheduled events: created, listed, read and edited like Discord does
(an external event, status 1 SCHEDULED to 4 CANCELED, errors with Discord's codes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
UNKNOWN_EVENT = {"code": 10070, "message": "Unknown Guild Scheduled Event"}
MISSING_PERMISSIONS = {"code": 50013, "message": "Missing Permissions"}
RATE_LIMITED = {"message": "You are being rate limited.", "retry_after": 7.5, "global": False}
FINISHED = {"code": 180000, "message": "Cannot update a finished event"}
EDITABLE = (
    "name",
    "description",
    "scheduled_start_time",
    "scheduled_end_time",
    "entity_type",
    "entity_metadata",
    "privacy_level",
    "status",
)


class FakeScheduledEvents:
    """Every guild's scheduled events, by id; ``forbidden_guilds`` answer 403 Missing
    Permissions to a create or an edit, ``rate_limited`` answers that many requests 429."""

    def __init__(self, make_id: Callable[[], str], creator_id: str) -> None:
        self._make_id = make_id
        self._creator_id = creator_id
        self.by_id: dict[str, dict[str, Any]] = {}
        self.forbidden_guilds: set[str] = set()
        self.rate_limited = 0
        self.drop_next_creates = 0  # create, then drop the connection unanswered

    def answer(self, method: str, guild: str, event_id: str | None, body: Any) -> tuple[int, Any]:
        """The status and JSON body Discord would answer."""
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return 429, RATE_LIMITED
        if method != "GET" and guild in self.forbidden_guilds:
            return 403, MISSING_PERMISSIONS
        if event_id is None:
            if method == "POST":
                return 200, self._create(guild, body)
            return 200, [e for e in self.by_id.values() if e["guild_id"] == guild]
        event = self.by_id.get(event_id)
        if event is None or event["guild_id"] != guild:
            return 404, UNKNOWN_EVENT
        if method == "PATCH":
            return self._edit(event, body)
        if method == "DELETE":
            del self.by_id[event_id]
            return 204, None
        return 200, event

    def _create(self, guild: str, body: dict[str, Any]) -> dict[str, Any]:
        event = {
            "id": self._make_id(),
            "guild_id": guild,
            "channel_id": None,
            "creator_id": self._creator_id,
            "name": body["name"],
            "description": body.get("description"),
            "image": None,
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body["privacy_level"],
            "status": SCHEDULED,
            "entity_type": body["entity_type"],
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "recurrence_rule": None,
            "guild_scheduled_event_exceptions": [],
            "user_count": 0,
        }
        self.by_id[event["id"]] = event
        return event

    def _edit(self, event: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
        if event["status"] in (COMPLETED, CANCELED):
            return 400, FINISHED
        allowed = {SCHEDULED: {SCHEDULED, ACTIVE, CANCELED}, ACTIVE: {ACTIVE, COMPLETED}}
        if "status" in body and body["status"] not in allowed[event["status"]]:
            return 400, {"code": 50035, "message": "Invalid Form Body"}
        event.update({k: v for k, v in body.items() if k in EDITABLE})
        return 200, event
