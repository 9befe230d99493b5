"""The local Discord's guild scheduled events: created, listed, read and edited like Discord does
(external, or in a stage or voice channel; status 1 SCHEDULED to 4 CANCELED; errors with
Discord's codes, a create or an edit refused unless its fields suit its entity type)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
UNKNOWN_EVENT = {"code": 10070, "message": "Unknown Guild Scheduled Event"}
MISSING_PERMISSIONS = {"code": 50013, "message": "Missing Permissions"}
RATE_LIMITED = {"message": "You are being rate limited.", "retry_after": 7.5, "global": False}
FINISHED = {"code": 180000, "message": "Cannot update a finished event"}
INVALID = {"code": 50035, "message": "Invalid Form Body"}
STAGE_INSTANCE, VOICE, EXTERNAL = 1, 2, 3  # entity_type
EDITABLE = (
    "channel_id",
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
                if not _suits_its_type(body):
                    return 400, INVALID
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
            "channel_id": body.get("channel_id"),
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
            return 400, INVALID
        changed = {**event, **{k: v for k, v in body.items() if k in EDITABLE}}
        if not _suits_its_type(changed):
            return 400, INVALID
        event.update(changed)
        return 200, event


def _suits_its_type(fields: dict[str, Any]) -> bool:
    """Discord's field requirements by entity type: a stage or voice event names its channel
    and has no metadata (its end optional); an external one has no channel, a location and
    an end."""
    if fields.get("entity_type") in (STAGE_INSTANCE, VOICE):
        return bool(fields.get("channel_id")) and fields.get("entity_metadata") is None
    location = (fields.get("entity_metadata") or {}).get("location")
    ends = fields.get("scheduled_end_time")
    return fields.get("channel_id") is None and bool(location) and bool(ends)
