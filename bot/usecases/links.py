"""One person on Slack and Discord: ``/cop link`` makes a code, ``code:`` links, ``prefer:``
chooses where copbot DMs, ``remove`` undoes it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from bot.commands.spec import Args, Command, Option
from bot.context import CommandContext
from bot.errors import UsageError
from bot.ui import Effect, Message, Reply
from storage import links, member_merge
from storage.models import Identity, LinkCode, Member

# No 0/O, 1/I/L: a code read off one screen and typed on another.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
VALID_FOR = timedelta(minutes=15)
WRONG_PER_HOUR = 5
LINKABLE = ("slack", "discord")
PLATFORM_NAMES = {"slack": "Slack", "discord": "Discord", "console": "the console"}


def new_code() -> str:
    """A fresh code, shown as ``XXXX-XXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_hash(code: str) -> str:
    """The sha256 kept instead of a code, of the code as typed less case, dashes and spaces."""
    cleaned = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(cleaned.encode()).hexdigest()


def _name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform, platform)


def _say(text: str) -> list[Effect]:
    return [Reply(Message(text))]


def _refuse_unlinkable(ctx: CommandContext) -> None:
    """Linking needs a community on both Slack and Discord, used from one of them."""
    entry = ctx.services.community_config(ctx.community.name)
    both = entry is not None and entry.slack_team_id and entry.discord_guild_id
    if not both or ctx.actor.platform not in LINKABLE:
        raise UsageError(
            f"{ctx.community.name} lives on one platform only, so there is nothing to link: "
            "linking joins your Slack and Discord accounts when a community's config names "
            "both a `slack_team_id` and a `discord_guild_id`.",
            topic="link",
        )


async def link(ctx: CommandContext, args: Args) -> list[Effect]:
    """Make a link code, enter one, choose the preferred platform, or undo a link."""
    given = [k for k in ("action", "code", "prefer") if args.get(k)]
    if len(given) > 1:
        raise UsageError("One thing at a time: a `code:`, a `prefer:` or `remove`.")
    _refuse_unlinkable(ctx)
    if args.get("code"):
        return await _enter_code(ctx, str(args["code"]))
    if args.get("prefer"):
        return await _prefer(ctx, str(args["prefer"]))
    if args.get("action") == "remove":
        return await _remove(ctx)
    return await _make_code(ctx)


async def _make_code(ctx: CommandContext) -> list[Effect]:
    code = new_code()
    await links.add_code(
        session=ctx.session,
        member_id=ctx.member_id,
        code_hash=code_hash(code),
        platform=ctx.actor.platform,
        now=ctx.now,
        expires_at=ctx.now + VALID_FOR,
    )
    other = _name("discord" if ctx.actor.platform == "slack" else "slack")
    text = (
        f"🔗 Your link code is `{code}`: valid for 15 minutes, once. "
        f"On the other platform ({other}) type `/cop link code:{code}` and your two accounts "
        "become one member: one set of counts, one check-in DM. A new `/cop link` replaces "
        "this code."
    )
    return _say(text)


async def _enter_code(ctx: CommandContext, code: str) -> list[Effect]:
    actor = ctx.actor
    account = {"platform": actor.platform, "workspace": actor.workspace, "user_id": actor.user}
    since = ctx.now - timedelta(hours=1)
    wrong = await links.wrong_attempts(session=ctx.session, since=since, **account)
    if wrong >= WRONG_PER_HOUR:
        raise UsageError(
            f"This account entered {WRONG_PER_HOUR} wrong codes in the last hour, so I check no "
            "more from it for now. Try again in an hour, with a "
            "fresh `/cop link` from the other platform. Nothing was changed."
        )
    found = await links.code_with_hash(session=ctx.session, code_hash=code_hash(code))
    problem = _problem(ctx, found)
    if problem is not None:
        # A Reply, not an error: the wrong attempt must be kept to be counted.
        await links.record_attempt(session=ctx.session, at=ctx.now, ok=False, **account)
        return _say(f"⚠️ {problem} Nothing was changed.")
    assert found is not None
    if found.platform == actor.platform:
        return _say(
            f"⚠️ That code was made on {_name(actor.platform)}: enter it on the other platform, "
            "from the account you want to link. Nothing was changed."
        )
    if found.member_id == ctx.member_id:
        return _say("🔗 These accounts are already one member. Nothing was changed.")
    kept = await ctx.session.get(Member, found.member_id)
    assert kept is not None and kept.id is not None
    refusal = await _cannot_merge(ctx, kept)
    if refusal is not None:
        return _say(f"⚠️ {refusal} Nothing was changed.")
    assert found.id is not None
    if not await links.claim_code(session=ctx.session, code_id=found.id, now=ctx.now):
        return _say("⚠️ That code was used a moment ago: each works once. Nothing was changed.")
    await links.record_attempt(session=ctx.session, at=ctx.now, ok=True, **account)
    _fold_settings(kept, ctx.member)
    ctx.session.add(kept)
    gone = ctx.member_id
    ctx.session.expunge(ctx.member)
    await member_merge.merge_into(session=ctx.session, kept=kept.id, gone=gone)
    preferred = await _reached_on(ctx, kept.id)
    text = (
        f"🔗 Linked: your {_name(found.platform)} and {_name(actor.platform)} accounts are now "
        f"one member, {kept.display_name}. Your counts from both add up in `/cop me` and the "
        f"reports, and copbot DMs you once, on {_name(preferred)} "
        "(change it with `/cop link prefer:slack|discord`; undo with `/cop link remove`)."
    )
    return _say(text)


def _problem(ctx: CommandContext, found: LinkCode | None) -> str | None:
    """Why a code cannot be used (a wrong attempt), or None."""
    if found is None:
        return "I know no such code: check it, or make a new one with `/cop link`."
    if found.used_at is not None:
        return "That code was used already: each works once. Make a new one with `/cop link`."
    if found.expires_at <= ctx.now:
        return "That code has expired (they last 15 minutes). Make a new one with `/cop link`."
    return None


async def _cannot_merge(ctx: CommandContext, kept: Member) -> str | None:
    """Why the actor's account cannot join the member who made the code, or None."""
    if kept.community_id != ctx.community_id:
        return "That code was made in another community: both accounts must be in one."
    mine = await links.identities(session=ctx.session, member_id=ctx.member_id)
    if len(mine) > 1:
        return (
            f"This {_name(ctx.actor.platform)} account is already linked with another account. "
            "Undo that first with `/cop link remove`, then enter the code again."
        )
    theirs = await links.identities(session=ctx.session, member_id=kept.id or 0)
    if any(i.platform == ctx.actor.platform for i in theirs):
        return (
            f"The account that made the code is already linked with a {_name(ctx.actor.platform)} "
            "account. Undo that first with `/cop link remove` there."
        )
    if kept.tracking_opted_out != ctx.member.tracking_opted_out:
        return (
            "Tracking is off on one of your accounts and on on the other. Make them agree "
            "first (`/cop privacy optout` or `/cop privacy optin`), then enter the code again."
        )
    return None


def _fold_settings(kept: Member, gone: Member) -> None:
    """The kept member takes what only the other had: a timezone, an away day, the earlier
    first sighting, and the pilot cohort if either was in it."""
    kept.timezone = kept.timezone or gone.timezone
    kept.away_until = kept.away_until or gone.away_until
    kept.first_seen = min(kept.first_seen, gone.first_seen)
    if gone.cohort == "pilot":
        kept.cohort = "pilot"


async def _reached_on(ctx: CommandContext, member_id: int) -> str:
    """The platform copbot DMs a member on: their choice, else their first account's."""
    preferred = await links.preferred_platform(session=ctx.session, member_id=member_id)
    if preferred is not None:
        return preferred
    return (await links.identities(session=ctx.session, member_id=member_id))[0].platform


async def _prefer(ctx: CommandContext, platform: str) -> list[Effect]:
    mine = await links.identities(session=ctx.session, member_id=ctx.member_id)
    if not any(i.platform == platform for i in mine):
        return _say(
            f"⚠️ You have no {_name(platform)} account linked, so copbot cannot DM you there. "
            "Link one first: `/cop link` here, then the code there. Nothing was changed."
        )
    await links.set_preference(session=ctx.session, member_id=ctx.member_id, platform=platform)
    return _say(f"📬 copbot now DMs you on {_name(platform)} (check-ins, reports, reminders).")


async def _remove(ctx: CommandContext) -> list[Effect]:
    mine = await links.identities(session=ctx.session, member_id=ctx.member_id)
    if len(mine) < 2:
        return _say("This account is not linked with another. Nothing was changed.")
    identity = _own(mine, ctx)
    preferred = await links.preferred_platform(session=ctx.session, member_id=ctx.member_id)
    if preferred == identity.platform:
        await links.set_preference(session=ctx.session, member_id=ctx.member_id, platform=None)
    await member_merge.split_off(
        session=ctx.session, identity=identity, old=ctx.member, now=ctx.now
    )
    text = (
        f"✂️ Unlinked: this {_name(ctx.actor.platform)} account is a member of its own again, "
        "counted from now on. What was counted so far (messages, answers, events, roles) "
        "stays with your other account."
    )
    return _say(text)


def _own(identities: list[Identity], ctx: CommandContext) -> Identity:
    actor = ctx.actor
    return next(
        i
        for i in identities
        if (i.platform, i.workspace, i.user_id) == (actor.platform, actor.workspace, actor.user)
    )


COMMANDS = (
    Command(
        "link",
        None,
        "one member on Slack and Discord: a code, `code:` to link, `prefer:`, `remove`",
        link,
        (
            Option(
                "action",
                "choice",
                "remove: this account becomes a member of its own again",
                positional=True,
                choices=("remove",),
            ),
            Option(
                "code",
                help="the code `/cop link` gave you on the other platform",
                max_length=20,
                shown="XXXX-XXXX",
            ),
            Option("prefer", "choice", "where copbot DMs you", choices=LINKABLE),
        ),
    ),
)
