"""``/cop story``: success stories and reflections on practice, told with their author's
consent, withdrawn by them at any time."""

from __future__ import annotations

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.knowledge_input import BadInput, checked_story
from bot.timefmt import local_day
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.participation import record_act
from bot.words import excerpt, plural
from storage import stories
from storage.models import Story

FACILITATORS = frozenset({Role.FACILITATOR})
LISTED = 30  # stories ``story list`` shows
KIND_LABELS = {"story": "🌟 story", "reflection": "🪞 reflection"}


async def record_story(
    ctx: CommandContext, text: str, kind: str = "story", channel: str | None = None
) -> Story:
    """Record a story its author confirmed, and its act in the ledger."""
    story = await stories.add_story(
        session=ctx.session,
        community_id=ctx.community_id,
        member_id=ctx.member_id,
        text=text,
        kind=kind,
        now=ctx.now,
    )
    await record_act(ctx, "story", f"story:{story.id}", channel)
    return story


def recorded(story: Story) -> str:
    """What the author is told once their story is in."""
    what = "reflection" if story.kind == "reflection" else "story"
    return (
        f"🌟 Thank you! Your {what} #{story.id} is in, for the facilitators and the weekly "
        f"report. `/cop story withdraw {story.id}` takes it out again, any time."
    )


async def add_story(ctx: CommandContext, args: Args) -> list[Effect]:
    """Record a success story or a reflection on practice, in one's own words."""
    try:
        text = checked_story(str(args["text"]))
    except BadInput as bad:
        raise UsageError(bad.message + " Nothing was stored.") from None
    story = await record_story(ctx, text)
    return [Reply(Message(recorded(story)))]


async def list_stories(ctx: CommandContext, args: Args) -> list[Effect]:
    """The stories told (never a withdrawn one), newest first."""
    told = await stories.told_stories(
        session=ctx.session, community_id=ctx.community_id, limit=LISTED + 1
    )
    if not told:
        text = 'No stories yet. Members tell one with `/cop story add text:"..."`'
        return [Reply(Message(text + f" or a :{ctx.services.config.stories.reaction}: reaction."))]
    lines = [f"Stories of {ctx.community.name}, newest first:"]
    for shown in told[:LISTED]:
        story = shown.story
        when = local_day(story.confirmed_at, ctx.community.timezone)
        label = KIND_LABELS.get(story.kind, story.kind)
        who = shown.told_by or "anonymous"
        lines.append(f"• #{story.id} {label} by {who}, {when}: {excerpt(story.text, 200)}")
    more = len(told) - LISTED
    footer = (
        f"The weekly report has every one ({plural(more, 'more')} than shown)." if more > 0 else ""
    )
    return [Reply(Message(fit_lines(lines, footer)))]


async def withdraw_story(ctx: CommandContext, args: Args) -> list[Effect]:
    """Take one's own story out (of the list and of every later report)."""
    story = await stories.story_in(
        session=ctx.session, community_id=ctx.community_id, story_id=args["id"]
    )
    if story is None or story.member_id != ctx.member_id:
        raise UsageError(
            f"You have no story #{args['id']} to withdraw (only its author can). Nothing changed."
        )
    await stories.withdraw(session=ctx.session, story=story, now=ctx.now)
    return [Reply(Message(f"✅ Story #{story.id} is withdrawn: no later report shows it."))]


COMMANDS = (
    Command(
        "story",
        "add",
        "record a success story or a reflection on practice",
        add_story,
        (Option("text", help="what happened, in your words", required=True, max_length=3500),),
    ),
    Command(
        "story",
        "list",
        "the stories members told",
        list_stories,
        allowed=FACILITATORS,
        writes=False,
    ),
    Command(
        "story",
        "withdraw",
        "take your story out of the report",
        withdraw_story,
        (Option("id", "integer", "your story's number", True, True),),
    ),
)
