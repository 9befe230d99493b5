"""``/cop prompt``: a queue of discussion prompts, posted one at a time on a rhythm, each in a
channel thread whose replies are counted (never read)."""

from __future__ import annotations

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.timefmt import local_time
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.prompt_jobs import KIND_LABELS
from bot.usecases.rhythm import checked_schedule
from bot.words import excerpt, plural, sentence
from storage import prompts
from storage.models import PromptSchedule

FACILITATORS = frozenset({Role.FACILITATOR})
KINDS = tuple(KIND_LABELS)
PROMPT_LENGTH = 500
_ID = Option("id", "integer", "the prompt's number, from `/cop prompt list`", True, True)


async def add_prompt(ctx: CommandContext, args: Args) -> list[Effect]:
    """Put a prompt at the end of the queue (and resume a rhythm that ran dry)."""
    text = " ".join(str(args["text"]).split())
    if not text:
        raise UsageError('A prompt needs some text: `/cop prompt add text:"..."`.')
    prompt = await prompts.add_prompt(
        session=ctx.session,
        community_id=ctx.community_id,
        text=text,
        kind=args["kind"],
        member_id=ctx.member_id,
        now=ctx.now,
    )
    rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
    when = "It waits for `/cop prompt schedule` to set when prompts go out."
    if rhythm is not None and rhythm.active:
        rhythm.told_empty = False  # a dry queue told once; the next dry spell is told again
        ctx.session.add(rhythm)
        when = f"It goes out in #{rhythm.channel} at its turn, {_when(ctx, rhythm)}."
    label = KIND_LABELS[prompt.kind]
    return [
        Reply(
            Message(
                f"✅ Prompt #{prompt.id} queued ({label}): {sentence(excerpt(text, 80))} {when}"
            )
        )
    ]


async def list_prompts(ctx: CommandContext, args: Args) -> list[Effect]:
    """The queue: each prompt's kind, when it was posted, its replies and distinct repliers."""
    rows = await prompts.prompts_with_replies(session=ctx.session, community_id=ctx.community_id)
    rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
    heading = f"Prompts of {ctx.community.name}"
    if rhythm is not None and rhythm.active:
        heading += f", posted in #{rhythm.channel} {_when(ctx, rhythm)}"
    lines = [heading + ":"]
    for row in rows:
        prompt = row.prompt
        label = KIND_LABELS.get(prompt.kind, prompt.kind)
        if prompt.posted_at is None:
            state = "queued"
        else:
            posted = local_time(prompt.posted_at, ctx.community.timezone)
            state = (
                f"posted {posted}: {plural(row.replies, 'reply', 'replies')} "
                f"from {plural(row.repliers, 'person', 'people')}"
            )
        lines.append(f"• #{prompt.id} {label}: {excerpt(prompt.text, 60)} ({state})")
    if not rows:
        lines.append('• none yet: `/cop prompt add text:"..."` queues one')
    return [Reply(Message(fit_lines(lines)))]


async def remove_prompt(ctx: CommandContext, args: Args) -> list[Effect]:
    """Take a prompt off the queue (a posted one stays in the report, with its replies)."""
    prompt = await prompts.prompt_in(
        session=ctx.session, community_id=ctx.community_id, prompt_id=args["id"]
    )
    if prompt is None:
        raise UsageError(f"There is no prompt #{args['id']}; `/cop prompt list` shows them.")
    if prompt.status == "posted":
        raise UsageError(
            f"Prompt #{prompt.id} was posted already; its thread and replies stay. Nothing changed."
        )
    prompt.status = "removed"
    ctx.session.add(prompt)
    return [Reply(Message(f"✅ Prompt #{prompt.id} is off the queue."))]


async def schedule_prompts(ctx: CommandContext, args: Args) -> list[Effect]:
    """Post the next prompt of the queue in a channel on a rhythm (replacing any before)."""
    expression = checked_schedule(ctx, args["schedule"])
    rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
    values = {
        "expression": expression,
        "platform": ctx.actor.platform,
        "workspace": ctx.actor.workspace,
        "channel": args["channel"],
        "active": True,
        "told_empty": False,
        "created_at": ctx.now,  # a new rhythm starts now: nothing to catch up from before
    }
    if rhythm is None:
        rhythm = PromptSchedule(community_id=ctx.community_id, **values)
    for name, value in values.items():
        setattr(rhythm, name, value)
    ctx.session.add(rhythm)
    queued = sum(
        1
        for r in await prompts.prompts_with_replies(
            session=ctx.session, community_id=ctx.community_id
        )
        if r.prompt.status == "queued"
    )
    return [
        Reply(
            Message(
                f"✅ Prompts go out in #{rhythm.channel} {_when(ctx, rhythm)}, one at a time: "
                f"{plural(queued, 'prompt')} in the queue."
            )
        )
    ]


async def unschedule_prompts(ctx: CommandContext, args: Args) -> list[Effect]:
    """Stop posting prompts (the queue stays)."""
    rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
    if rhythm is None or not rhythm.active:
        return [Reply(Message("Prompts are not scheduled. Nothing changed."))]
    rhythm.active = False
    ctx.session.add(rhythm)
    return [Reply(Message("✅ No more prompts go out; the queue stays as it is."))]


def _when(ctx: CommandContext, rhythm: PromptSchedule) -> str:
    return ctx.services.calendar.describe(rhythm.expression, ctx.community.timezone)


COMMANDS = (
    Command(
        "prompt",
        "add",
        "queue a discussion prompt",
        add_prompt,
        (
            Option(
                "text",
                help="the prompt, up to 500 characters",
                required=True,
                max_length=PROMPT_LENGTH,
            ),
            Option("kind", "choice", "what it invites", choices=KINDS, default="discuss"),
        ),
        allowed=FACILITATORS,
    ),
    Command(
        "prompt",
        "list",
        "the queue and what each prompt drew",
        list_prompts,
        allowed=FACILITATORS,
        writes=False,
    ),
    Command(
        "prompt",
        "remove",
        "take a queued prompt off the queue",
        remove_prompt,
        (_ID,),
        allowed=FACILITATORS,
    ),
    Command(
        "prompt",
        "schedule",
        "post the next prompt in a channel on a rhythm",
        schedule_prompts,
        (
            Option(
                "schedule",
                help='e.g. "mon 10:00", "cron 0 10 * * 2,4"',
                required=True,
                max_length=120,
            ),
            Option("channel", "channel", "where the prompts go", required=True),
        ),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "prompt",
        "unschedule",
        "stop posting prompts",
        unschedule_prompts,
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
)
