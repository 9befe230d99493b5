"""A member's own view and settings: ``/cop me``, ``/cop tz``, ``/cop privacy``."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.commands.spec import Args
from bot.context import CommandContext
from bot.errors import UsageError
from bot.outbox_keys import CHECKIN_REMINDER
from bot.ui import Effect, Message, Reply
from storage import directory, ledger, outbox

KIND_LABELS = (
    ("message", "messages"),
    ("reply", "thread replies"),
    ("reaction", "reactions"),
    ("checkin_answer", "check-ins answered"),
)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(kind, 0)} {label}" for kind, label in KIND_LABELS)


async def show_me(ctx: CommandContext, args: Args) -> list[Effect]:
    """Show a member's participation and settings."""
    member = ctx.member
    roles = ", ".join(sorted(r.value for r in ctx.roles))
    timezone = (
        member.timezone or f"{ctx.community.timezone} (the community's; set yours with /cop tz)"
    )
    fields: list[tuple[str, str]] = [("Roles", roles), ("Timezone", timezone)]
    if member.tracking_opted_out:
        fields.append(
            ("Tracking", "off: you count only in anonymous totals (`/cop privacy optin`)")
        )
    else:
        week = await ledger.counts_by_kind(
            session=ctx.session, member_id=ctx.member_id, since=ctx.now - timedelta(days=7)
        )
        ever = await ledger.counts_by_kind(session=ctx.session, member_id=ctx.member_id)
        fields += [("Last 7 days", _counts(week)), ("Since you joined", _counts(ever))]
        fields.append(("Tracking", "on (`/cop privacy optout` to stop)"))
    fields.append(("Member since", member.first_seen.strftime("%Y-%m-%d")))
    text = f"Here is you in {ctx.community.name}, {member.display_name}."
    return [Reply(Message(text, fields=tuple(fields)))]


async def set_timezone(ctx: CommandContext, args: Args) -> list[Effect]:
    """Set a member's own timezone."""
    zone: str = args["zone"]
    ctx.member.timezone = zone
    ctx.session.add(ctx.member)
    local = ctx.now.astimezone(ZoneInfo(zone)).strftime("%H:%M")
    text = (
        f"🕘 Your timezone is now {zone} (it is {local} there). "
        "Check-ins set to local time reach you at their hour in this zone."
    )
    return [Reply(Message(text))]


async def privacy_status(ctx: CommandContext, args: Args) -> list[Effect]:
    """Say whether a member's participation is tracked."""
    if ctx.member.tracking_opted_out:
        text = (
            "🔒 Tracking is off for you: your activity counts only in anonymous totals. "
            "Resume with `/cop privacy optin`."
        )
    else:
        text = (
            "📊 Tracking is on: copbot counts that you posted, replied or reacted (never what you "
            "wrote) for the community's reports. Stop with `/cop privacy optout`."
        )
    return [Reply(Message(text))]


def _acts(count: int) -> str:
    return f"{count} counted act{'s' if count != 1 else ''}"


async def privacy_optout(ctx: CommandContext, args: Args) -> list[Effect]:
    """Stop tracking a member and detach what was already counted from their name, once they
    confirmed, having been told that the past is anonymised too (for good)."""
    if ctx.member.tracking_opted_out:
        return [Reply(Message("🔒 Tracking was already off for you. Nothing changed."))]
    if not args.get("confirm"):
        kinds = await ledger.counts_by_kind(session=ctx.session, member_id=ctx.member_id)
        counted = sum(kinds.values())
        text = (
            "🔒 Opting out stops copbot tracking you from now on, and it also makes your "
            f"{_acts(counted)} so far anonymous, for good: they stay in the community's totals "
            "but are no longer linked to you, even if you opt in again later. Answers you "
            "submitted on purpose are kept. To go ahead: `/cop privacy optout confirm:yes`"
        )
        return [Reply(Message(text))]
    ctx.member.tracking_opted_out = True
    ctx.session.add(ctx.member)
    detached = await ledger.anonymise(session=ctx.session, member_id=ctx.member_id)
    text = (
        f"🔒 Done: copbot stops tracking you. Your {_acts(detached)} so far are now "
        "anonymous. Answers you submit on purpose are kept. Resume with `/cop privacy optin`."
    )
    return [Reply(Message(text))]


async def privacy_optin(ctx: CommandContext, args: Args) -> list[Effect]:
    """Resume tracking a member, from now on (what was anonymised stays anonymous)."""
    if not ctx.member.tracking_opted_out:
        return [Reply(Message("📊 Tracking was already on for you. Nothing changed."))]
    ctx.member.tracking_opted_out = False
    ctx.session.add(ctx.member)
    text = (
        "📊 Welcome back: copbot counts your participation again, starting from now; what "
        "was counted before you opted out stays anonymous. Stop any time: "
        "`/cop privacy optout`."
    )
    return [Reply(Message(text))]


async def set_away(ctx: CommandContext, args: Args) -> list[Effect]:
    """Pause check-ins for a member until a day, resume them, or say how things stand."""
    member = ctx.member
    today = ctx.now.astimezone(ZoneInfo(ctx.community.timezone)).date()
    if args["state"] == "off":
        was_away = member.away_until is not None and member.away_until >= today
        member.away_until = None
        ctx.session.add(member)
        if not was_away:
            return [Reply(Message("You were not away. Check-ins reach you as usual."))]
        return [Reply(Message("👋 Welcome back! Check-ins reach you again from now on."))]
    until = args["until"]
    if until is None:
        if member.away_until is not None and member.away_until >= today:
            text = (
                f"🏖️ You are away until {member.away_until:%a %d %b %Y}. "
                "Back earlier? `/cop away off`."
            )
        else:
            text = "You are not away. Pause check-ins with `/cop away until:YYYY-MM-DD`."
        return [Reply(Message(text))]
    if until < today:
        raise UsageError(f"{until:%Y-%m-%d} has passed; give today or a later day.")
    if until > today + timedelta(days=366):
        raise UsageError("Away for more than a year? Pick a day within the next 12 months.")
    member.away_until = until
    ctx.session.add(member)
    # A reminder already waiting for them is withdrawn too.
    for identity in (
        await directory.identities_of(session=ctx.session, member_ids=[ctx.member_id])
    ).get(ctx.member_id, []):
        await outbox.cancel_pending(
            session=ctx.session,
            kind=CHECKIN_REMINDER,
            platform=identity.platform,
            workspace=identity.workspace,
            recipient_user=identity.user_id,
        )
    text = (
        f"🏖️ Check-ins are paused for you until {until:%a %d %b %Y} (included); you will not "
        "count as not answering. Back earlier? `/cop away off`."
    )
    return [Reply(Message(text))]
