"""The home page (Slack's App Home): your own week, and for facilitators the community's."""

from __future__ import annotations

from datetime import timedelta

from bot.context import CommandContext
from bot.ui import Effect, HomeView, Message
from bot.usecases.me import describe_counts
from bot.words import plural
from storage import checkins, ledger


async def show_home(ctx: CommandContext) -> list[Effect]:
    """Build the home page for the person who opened it."""
    since = ctx.now - timedelta(days=7)
    fields: list[tuple[str, str]] = []
    if ctx.member.tracking_opted_out:
        fields.append(("Your last 7 days", "not tracked (you opted out; `/cop privacy optin`)"))
    else:
        mine = await ledger.counts_by_kind(
            session=ctx.session, member_id=ctx.member_id, since=since
        )
        fields.append(("Your last 7 days", describe_counts(mine)))
    if ctx.is_facilitator:
        active, kinds = await ledger.community_week(
            session=ctx.session, community_id=ctx.community_id, since=since
        )
        fields.append(
            (
                "Community, last 7 days",
                f"{plural(active, 'active member')}; {describe_counts(kinds)}",
            )
        )
        live = await checkins.live_checkins(session=ctx.session, community_id=ctx.community_id)
        counts = await checkins.answer_counts(
            session=ctx.session, checkin_ids=[c.id for c, _ in live if c.id is not None]
        )
        lines = []
        for checkin, _ in live:
            _, sent, answered = counts.get(checkin.id or 0, (0, 0, 0))
            lines.append(
                f"#{checkin.id} {checkin.name} [{checkin.status}]: {answered}/{sent} answered"
            )
        fields.append(("Check-ins", "\n".join(lines) if lines else "none yet (`/cop checkin add`)"))
    text = (
        f"*{ctx.community.name}*: hi {ctx.member.display_name}! `/cop help` lists what you can do."
    )
    return [HomeView(Message(text, fields=tuple(fields)))]
