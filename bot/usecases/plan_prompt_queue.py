"""The plan's prompts: a starter queue of 26 (as `/cop prompt add` queues them) and the rhythm
that posts one every other Tuesday (as `/cop prompt schedule` sets it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.context import CommandContext
from bot.plan_prompts import STARTER_PROMPTS
from bot.plan_year import PlanYear
from bot.ui import Effect
from bot.usecases.plan_parts import Made, Where, fingerprint
from bot.usecases.prompt_jobs import KIND_LABELS
from bot.usecases.rhythm import checked_schedule
from storage import plans, prompts
from storage.models import Prompt, PromptSchedule

PROMPT_DAY, PROMPT_TIME = 1, "tue 10:00"  # Tuesday
_MOST_FIRINGS = 120  # a year of a weekly rhythm and then some (a rhythm set by hand, say)


def _prompt_print(prompt: Prompt) -> str:
    return fingerprint({"text": prompt.text, "kind": prompt.kind, "status": prompt.status})


def _rhythm_print(rhythm: PromptSchedule) -> str:
    return fingerprint(
        {
            "expression": rhythm.expression,
            "where": [rhythm.platform, rhythm.workspace, rhythm.channel],
            "active": rhythm.active,
        }
    )


class PromptsPart:
    """The starter queue: 26 prompts taking turns to discuss, reflect, research and share."""

    numbered = True
    kind = "prompt"
    noun = ("prompt", "prompts")

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """Adding to the queue never clashes."""
        return None

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """Queue the starter prompts, after any already waiting."""
        made = Made()
        for kind, text in STARTER_PROMPTS:
            prompt = await prompts.add_prompt(
                session=ctx.session,
                community_id=ctx.community_id,
                text=text,
                kind=kind,
                member_id=ctx.member_id,
                now=ctx.now,
            )
            assert prompt.id is not None
            made.items.append((prompt.id, _prompt_print(prompt)))
        made.line = (
            f"💬 {len(STARTER_PROMPTS)} prompts queued, taking turns to discuss, reflect, unpack "
            "research and share (`/cop prompt list` shows them; add or remove any)."
        )
        return made

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """The prompts are shown by their rhythm, which knows when each goes out."""
        return {}

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The prompt as it is now (posted is a change: its thread stays)."""
        prompt = await prompts.prompt_in(
            session=ctx.session, community_id=ctx.community_id, prompt_id=item_id
        )
        return _prompt_print(prompt) if prompt is not None else None

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Take it off the queue, as `/cop prompt remove` does."""
        prompt = await prompts.prompt_in(
            session=ctx.session, community_id=ctx.community_id, prompt_id=item_id
        )
        if prompt is not None and prompt.status == "queued":
            prompt.status = "removed"
            ctx.session.add(prompt)
        return []


class PromptRhythmPart:
    """The community's prompt rhythm: the next prompt every other Tuesday at 10:00."""

    numbered = False  # one a community: its item is the community
    kind = "prompt-rhythm"
    noun = ("prompt rhythm", "prompt rhythms")

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """A community has one prompt rhythm: one already on is not replaced unasked."""
        rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
        if rhythm is None or not rhythm.active:
            return None
        when = ctx.services.calendar.describe(rhythm.expression, ctx.community.timezone)
        return (
            f"Prompts already go out in #{rhythm.channel} {when}, and the plan brings its own "
            "rhythm. Stop yours with `/cop prompt unschedule` (the queue stays), then apply "
            "the plan again."
        )

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """Post the queue every other week from the plan's first day."""
        # From the plan's first Tuesday, so that its week is one the rhythm keeps.
        first = year.first_day + timedelta(days=(PROMPT_DAY - year.first_day.weekday()) % 7)
        typed = f"biweekly {PROMPT_TIME} from {first.isoformat()}"
        values: dict[str, Any] = {
            "expression": checked_schedule(ctx, typed),
            "platform": where.platform,
            "workspace": where.workspace,
            "channel": where.channel,
            "active": True,
            "told_empty": False,
            "created_at": ctx.now,
        }
        rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
        if rhythm is None:
            rhythm = PromptSchedule(community_id=ctx.community_id, **values)
        for name, value in values.items():
            setattr(rhythm, name, value)
        ctx.session.add(rhythm)
        when = ctx.services.calendar.describe(rhythm.expression, ctx.community.timezone)
        line = f"🗓️ One prompt at a time goes out in #{where.channel} {when}."
        return Made([(ctx.community_id, _rhythm_print(rhythm))], line=line)

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """Which prompt of the queue goes out when: the rhythm's firings from now, each taking
        the next queued prompt."""
        rhythm = await prompts.schedule_of(session=ctx.session, community_id=ctx.community_id)
        if not item_ids or rhythm is None or not rhythm.active:
            return {}
        zone = ctx.community.timezone
        firings = ctx.services.calendar.times_between(
            rhythm.expression, zone, ctx.now, year.ends, _MOST_FIRINGS
        )
        queue = list(await plans.queued_prompts(session=ctx.session, community_id=ctx.community_id))
        shown: dict[int, list[str]] = {}
        for number, at in enumerate(firings):
            index = year.month_of(at)
            if index is None:
                continue
            day = at.astimezone(ZoneInfo(zone))
            label = KIND_LABELS[queue[number].kind] if number < len(queue) else "📭 queue empty"
            shown.setdefault(index, []).append(f"{label} ({day:%a} {day.day})")
        return {index: "prompts: " + ", ".join(items) for index, items in shown.items()}

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The rhythm as it is now."""
        rhythm = await prompts.schedule_of(session=ctx.session, community_id=item_id)
        return _rhythm_print(rhythm) if rhythm is not None else None

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Stop it, as `/cop prompt unschedule` does (the queue's other prompts stay)."""
        rhythm = await prompts.schedule_of(session=ctx.session, community_id=item_id)
        if rhythm is not None and rhythm.active:
            rhythm.active = False
            ctx.session.add(rhythm)
        return []
