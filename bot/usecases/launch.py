"""The launch: the community announced in its home channels and everyone else welcomed, once.

The welcome DMs are a fan-out through the outbox (one row each, written together), which sends
them as fast as each platform's limits allow; nothing here sends anything itself."""

from __future__ import annotations

import re

from bot import outbox_keys as keys
from bot.config import PLACE_KEYS, CommunityConfig
from bot.context import CommandContext
from bot.ui import Message, Outgoing, Recipient
from bot.usecases.welcome import welcome_pending
from storage import charter as charters

HomePlace = tuple[str, str, str]  # platform, workspace, channel


def _platform_of(channel: str, platforms: list[str]) -> str | None:
    """The platform of a bare home channel id by its shape: Discord's are numbers (snowflakes),
    Slack's capitals and digits (C0123ABC), the console's names; None when the community is on
    no platform of that shape."""
    if channel.isdigit():
        shape = "discord"
    elif re.fullmatch(r"[A-Z][A-Z0-9]{2,}", channel):
        shape = "slack"
    else:
        shape = "console"
    if shape in platforms:
        return shape
    return platforms[0] if len(platforms) == 1 else None


def home_channels(entry: CommunityConfig) -> list[HomePlace]:
    """Every home channel the config names, with its platform and workspace."""
    workspaces = {
        platform: str(getattr(entry, key))
        for platform, key in PLACE_KEYS.items()
        if getattr(entry, key, None) is not None
    }
    found: list[HomePlace] = []
    for channel in entry.home_channels:
        platform, colon, rest = channel.partition(":")
        if not colon:
            platform, rest = _platform_of(channel, list(workspaces)) or "", channel
        if platform in workspaces:
            found.append((platform, workspaces[platform], rest))
    return list(dict.fromkeys(found))


def typed_in(ctx: CommandContext) -> HomePlace | None:
    """The channel a command was typed in, unless it was a DM."""
    channel = ctx.place.channel
    # Slack's DM channels are D...; Discord takes /cop only in a server's channels.
    if (
        not channel
        or channel == ctx.actor.user
        or (ctx.place.platform == "slack" and channel[0] == "D")
    ):
        return None
    return (ctx.place.platform, ctx.place.workspace, channel)


def home_places(ctx: CommandContext, entry: CommunityConfig | None) -> list[HomePlace]:
    """The home channels to announce in: each one the config names, else the channel the
    launch was asked in (not a DM)."""
    places = home_channels(entry) if entry is not None else []
    here = typed_in(ctx)
    return places or ([here] if here else [])


async def announcement(ctx: CommandContext) -> Message:
    """The launch post: what the community is for and how to take part."""
    charter = await charters.charter_of(session=ctx.session, community_id=ctx.community_id)
    lines = [f"🚀 *{ctx.community.name}* is open to everyone!"]
    if charter is not None and charter.purpose:
        lines.append(f"*Why we meet:* {charter.purpose}")
    if charter is not None and charter.audience:
        lines.append(f"*Who it is for:* {charter.audience}")
    lines += [
        "",
        "Each of you gets a short welcome DM from me with how to take part this week. "
        "`/cop about` shows the charter and rhythm, `/cop help` what I can do.",
    ]
    return Message("\n".join(lines))


async def launch_effects(ctx: CommandContext) -> tuple[list[HomePlace], list[Outgoing]]:
    """The announcements and the welcome DMs of a launch (the community is launched already)."""
    places = home_places(ctx, ctx.services.community_config(ctx.community.name))
    post = await announcement(ctx)
    subject = str(ctx.community_id)
    posts = [
        Outgoing(
            Recipient(platform, workspace, channel=channel),
            post,
            keys.launch_key(ctx.community_id, platform, workspace, channel),
            kind=keys.LAUNCH_ANNOUNCE,
            subject=subject,
        )
        for platform, workspace, channel in places
    ]
    welcomes = await welcome_pending(ctx.session, ctx.services, ctx.community, ctx.now, "launch")
    return places, posts + welcomes
