"""Who a Slack user is: display name and admin status from ``users.info``, cached."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from bot.events import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """What copbot needs to know of a Slack user."""

    name: str
    is_admin: bool
    is_bot: bool


class SlackPeople:
    """Turns Slack user ids into actors, asking ``users.info`` once per person and TTL."""

    def __init__(self, client: AsyncWebClient, ttl: float = 600.0) -> None:
        self._client = client
        self._ttl = ttl
        self._cache: dict[str, tuple[float, Person]] = {}

    async def person(self, user: str) -> Person:
        """The person behind a user id; on an API failure, their id stands in for a name."""
        cached = self._cache.get(user)
        if cached and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        try:
            response = await self._client.users_info(user=user)
            data = response.get("user") or {}
        except (SlackApiError, OSError, TimeoutError) as error:
            log.warning("users.info failed for %s: %s", user, error)
            return Person(user, False, False)
        profile = data.get("profile") or {}
        name = profile.get("display_name") or data.get("real_name") or data.get("name") or user
        # Workspace admins and owners are facilitators by default, as the product promises.
        admin = bool(data.get("is_admin") or data.get("is_owner"))
        person = Person(str(name), admin, bool(data.get("is_bot")))
        self._cache[user] = (time.monotonic(), person)
        return person

    async def actor(self, team: str, user: str) -> Actor:
        """The neutral actor for a user of a workspace."""
        person = await self.person(user)
        return Actor(PLATFORM, team, user, person.name, person.is_admin, person.is_bot)
