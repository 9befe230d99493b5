"""Who is in a Slack workspace: ``users.list`` for names (people only: no bots, nobody
deactivated), narrowed to the home channels' members with ``conversations.members``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from bot.roster import Person

log = logging.getLogger(__name__)
PAGE = 200  # Slack recommends at most 200 a page for both methods
MAX_PAGES = 500  # 100,000 people: a workspace bigger than this is listed only so far
SLACKBOT = "USLACKBOT"


def _person(user: dict[str, Any]) -> Person | None:
    if user.get("is_bot") or user.get("deleted") or user.get("id") in (None, SLACKBOT):
        return None
    profile = user.get("profile") or {}
    name = profile.get("display_name") or user.get("real_name") or user.get("name")
    return Person(str(user["id"]), str(name) if name else None)


class SlackRoster:
    """Lists a workspace's people page by page (both methods are Tier 2 to 4: a launch asks a
    few dozen pages at most); a failure on the way means "cannot say"."""

    def __init__(self, client: AsyncWebClient, page: int = PAGE) -> None:
        self._client = client
        self._page = page

    async def people(
        self, platform: str, workspace: str, channels: Sequence[str]
    ) -> list[Person] | None:
        """The people of the workspace, or of its ``channels``; None if Slack cannot say."""
        if platform != PLATFORM:
            return None
        try:
            everyone = {p.user: p for p in await self._users()}
            if not channels:
                return list(everyone.values())
            inside: set[str] = set()
            for channel in channels:
                inside |= await self._members(channel)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("cannot list the people of Slack workspace %s: %r", workspace, error)
            return None
        return [everyone[user] for user in sorted(inside) if user in everyone]

    async def _users(self) -> list[Person]:
        found: list[Person] = []
        cursor = None
        for _ in range(MAX_PAGES):
            page = await self._client.users_list(limit=self._page, cursor=cursor)
            found += [p for u in page.get("members") or [] if (p := _person(u))]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return found

    async def _members(self, channel: str) -> set[str]:
        found: set[str] = set()
        cursor = None
        for _ in range(MAX_PAGES):
            page = await self._client.conversations_members(
                channel=channel, limit=self._page, cursor=cursor
            )
            found |= {str(u) for u in page.get("members") or []}
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return found
