"""Who a Slack user is: display name and admin status from ``users.info``, cached."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from bot.events import Actor

log = logging.getLogger(__name__)
# What users.info answers for an id no one in the workspace has.
NO_SUCH_USER = {"user_not_found", "user_not_visible"}


@dataclass(frozen=True)
class Person:
    """What copbot needs to know of a Slack user; ``name`` and ``is_admin`` are None when Slack
    could not be asked and nothing is cached (the core then keeps what it stored)."""

    name: str | None
    is_admin: bool | None
    is_bot: bool
    is_deleted: bool = False


UNKNOWN = Person(None, None, False)


class NoSuchUser(Exception):
    """Slack says the workspace has no such user."""


class SlackPeople:
    """Turns Slack user ids into actors, asking ``users.info`` once per person and TTL. When
    Slack cannot be asked, the last answer (however old) stands."""

    def __init__(self, client: AsyncWebClient, ttl: float = 600.0) -> None:
        self._client = client
        self._ttl = ttl
        self._cache: dict[str, tuple[float, Person]] = {}

    async def person(self, user: str) -> Person:
        """The person behind a user id; on an API failure the last known answer, or UNKNOWN."""
        try:
            return await self._lookup(user)
        except NoSuchUser:
            return UNKNOWN

    async def confirmed(self, user: str) -> str | None:
        """The display name of a user Slack confirms is in the workspace (not deactivated);
        None when Slack says there is no such user, or cannot be asked and never was."""
        try:
            person = await self._lookup(user)
        except NoSuchUser:
            return None
        return person.name if not person.is_deleted else None

    async def _lookup(self, user: str) -> Person:
        cached = self._cache.get(user)
        if cached and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        try:
            response = await self._client.users_info(user=user)
            data = response.get("user") or {}
        except SlackApiError as error:
            if error.response.get("error") in NO_SUCH_USER:
                raise NoSuchUser(user) from None
            return self._stale(user, error)
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            return self._stale(user, error)
        profile = data.get("profile") or {}
        name = profile.get("display_name") or data.get("real_name") or data.get("name") or user
        # Workspace admins and owners are facilitators by default, as the product promises.
        admin = bool(data.get("is_admin") or data.get("is_owner"))
        person = Person(str(name), admin, bool(data.get("is_bot")), bool(data.get("deleted")))
        self._cache[user] = (time.monotonic(), person)
        return person

    def _stale(self, user: str, error: Exception) -> Person:
        cached = self._cache.get(user)
        log.warning(
            "slack: users.info failed for %s (%s); %s",
            user,
            error,
            "using what it said before" if cached else "keeping the stored name and role",
        )
        return cached[1] if cached else UNKNOWN

    async def actor(self, team: str, user: str) -> Actor:
        """The neutral actor for a user of a workspace."""
        person = await self.person(user)
        return Actor(PLATFORM, team, user, person.name, person.is_admin, person.is_bot)
