"""``/cop plan apply|show|remove``: a sample year of rhythm set up in one step, out of
ordinary items (a check-in, prompts, a webinar series, the weekly report, quarterly evaluation
surveys) that stay editable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.plan_year import MONTHS, PlanYear, plan_year
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases.plan_checkin import CheckinPart, ReportPart
from bot.usecases.plan_parts import PlanPart, Where
from bot.usecases.plan_prompt_queue import PromptRhythmPart, PromptsPart
from bot.usecases.plan_survey import SurveyPart
from bot.usecases.plan_webinar import WebinarPart
from bot.words import plural
from storage import plans
from storage.models import PlanApplication, PlanItem

FACILITATORS = frozenset({Role.FACILITATOR})
TEMPLATES = ("one-year",)
# The parts of the one-year plan, in the order they are made and shown.
PARTS: tuple[PlanPart, ...] = (
    CheckinPart(),
    PromptsPart(),
    PromptRhythmPart(),
    WebinarPart(),
    ReportPart(),
    SurveyPart(),
)
_BY_KIND = {part.kind: part for part in PARTS}


def _year(ctx: CommandContext, plan: PlanApplication) -> PlanYear:
    first = date.fromisoformat(f"{plan.start_month}-01")
    return PlanYear(first, ctx.community.timezone, plan.begins_at.astimezone(UTC))


async def _applied(ctx: CommandContext) -> PlanApplication | None:
    return await plans.plan_of(session=ctx.session, community_id=ctx.community_id)


async def apply_plan(ctx: CommandContext, args: Args) -> list[Effect]:
    """Make the plan's items in one go (all or, on any refusal, none)."""
    applied = await _applied(ctx)
    if applied is not None:
        raise UsageError(
            f"{ctx.community.name} follows a one-year plan already, from "
            f"{_year(ctx, applied).name(0)}. `/cop plan show` shows it; `/cop plan remove` "
            "takes it out before you apply another. Nothing was changed."
        )
    year = plan_year(str(args["start"]), ctx.community.timezone, ctx.now)
    refusals = [why for part in PARTS if (why := await part.refuse(ctx, year))]
    if refusals:
        raise UsageError(" ".join(refusals) + " Nothing was changed.")
    channel = str(args["channel"] or ctx.place.channel)
    where = Where(ctx.actor.platform, ctx.actor.workspace, channel)
    plan = PlanApplication(
        community_id=ctx.community_id,
        template=str(args["template"]),
        start_month=year.month_label,
        begins_at=year.begins,
        platform=where.platform,
        workspace=where.workspace,
        channel=where.channel,
        applied_by=ctx.member_id,
        applied_at=ctx.now,
    )
    if not await plans.add_plan(session=ctx.session, plan=plan):
        raise UsageError(
            "Someone applied a plan to this community a moment ago: `/cop plan show` shows it. "
            "Nothing was changed."
        )
    assert plan.id is not None
    lines = [f"✅ The one-year plan of {ctx.community.name} begins {_day(year)}:"]
    effects: list[Effect] = []
    items: list[tuple[str, int, str]] = []
    for part in PARTS:
        made = await part.make(ctx, year, where)
        items += [(part.kind, item_id, mark) for item_id, mark in made.items]
        effects += made.effects
        lines.append(f"• {made.line}")
    await plans.add_items(session=ctx.session, plan_id=plan.id, items=items)
    footer = (
        "Each is an ordinary item: edit or remove it with its own command. `/cop plan show` "
        "shows the year month by month; `/cop plan remove` takes out what you have not changed."
    )
    return [Reply(Message(fit_lines(lines, footer))), *effects]


def _day(year: PlanYear) -> str:
    day = year.first_day
    return f"{day:%A} {day.day} {day:%B %Y}"


async def show_plan(ctx: CommandContext, args: Args) -> list[Effect]:
    """The year month by month, from the plan's items as they are now."""
    applied = await _applied(ctx)
    if applied is None or applied.id is None:
        return [Reply(Message(_NO_PLAN))]
    year = _year(ctx, applied)
    items = await plans.items_of(session=ctx.session, plan_id=applied.id)
    months: dict[int, list[str]] = {}
    for part in PARTS:
        ids = [i.item_id for i in items if i.kind == part.kind]
        for index, text in (await part.months(ctx, year, ids)).items():
            months.setdefault(index, []).append(text)
    lines = [f"🗓️ The one-year plan of {ctx.community.name}, from {_day(year)}:"]
    for index in range(MONTHS):
        over = year.edge(index + 1) <= ctx.now
        happens = "over" if over else " · ".join(months.get(index, [])) or "nothing planned"
        lines.append(f"*{year.name(index)}*: {happens}")
    footer = "Times are in " + ctx.community.timezone + ". `/cop upcoming` lists the next 7 days."
    return [Reply(Message(fit_lines(lines, footer)))]


async def remove_plan(ctx: CommandContext, args: Args) -> list[Effect]:
    """Take out what the plan made and nobody changed since (once confirmed); keep the rest."""
    applied = await _applied(ctx)
    if applied is None:
        return [Reply(Message("No plan is applied, so there is nothing to remove."))]
    assert applied.id is not None
    items = await plans.items_of(session=ctx.session, plan_id=applied.id)
    unchanged, changed = await _sorted(ctx, items)
    taken, kept = _summary(unchanged), _summary(changed)
    if not args.get("confirm"):
        text = f"🗑️ Removing the plan takes out {taken or 'nothing more'}"
        text += f", and keeps what was changed since: {kept}." if kept else "."
        return [Reply(Message(f"{text} To go ahead: `/cop plan remove confirm:yes`"))]
    # Claimed first: someone removing it at the same moment waits here, then is told.
    if not await plans.drop_plan(session=ctx.session, plan=applied):
        raise UsageError("Someone removed the plan a moment ago: nothing is left to remove.")
    effects: list[Effect] = []
    for part, item in unchanged:
        effects += await part.remove(ctx, item.item_id)
    text = f"✅ The plan is removed: took out {taken or 'nothing (all was gone or changed)'}."
    if kept:
        text += f" Kept, because they were changed since: {kept}; they are ordinary items now."
    text += " `/cop plan apply one-year start:YYYY-MM` sets up a new year."
    return [Reply(Message(text)), *effects]


async def _sorted(
    ctx: CommandContext, items: Sequence[PlanItem]
) -> tuple[list[tuple[PlanPart, PlanItem]], list[tuple[PlanPart, PlanItem]]]:
    """The items as they were made, and those changed since (gone ones are neither)."""
    unchanged, changed = [], []
    for item in items:
        part = _BY_KIND.get(item.kind)
        if part is None:
            continue  # a part this copbot does not have: leave its item alone
        now = await part.current(ctx, item.item_id)
        if now == item.fingerprint:
            unchanged.append((part, item))
        elif now is not None:
            changed.append((part, item))
    return unchanged, changed


def _summary(found: list[tuple[PlanPart, PlanItem]]) -> str:
    """``1 check-in (#3), 2 prompts (#4, #5)``."""
    parts: list[str] = []
    for part in PARTS:
        ids = [item.item_id for p, item in found if p is part]
        if not ids:
            continue
        named = plural(len(ids), *part.noun)
        if part.numbered and len(ids) <= 8:
            named += " (" + ", ".join(f"#{i}" for i in ids) + ")"
        parts.append(named)
    return ", ".join(parts)


_NO_PLAN = (
    "No plan is applied yet. `/cop plan apply one-year start:YYYY-MM` sets up a year of rhythm: "
    "a weekly check-in, a prompt every two weeks, a monthly webinar, the weekly report and a "
    "quarterly evaluation survey."
)

COMMANDS = (
    Command(
        "plan",
        "apply",
        "set up a sample year of rhythm in one step",
        apply_plan,
        (
            Option(
                "template",
                "choice",
                "which plan",
                required=True,
                positional=True,
                choices=TEMPLATES,
            ),
            Option(
                "start", help="the month it begins", required=True, max_length=20, shown="YYYY-MM"
            ),
            Option(
                "channel",
                "channel",
                "where prompts and webinars go (default: here)",
                defaults_here=True,
            ),
        ),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "plan",
        "show",
        "the plan's year, month by month",
        show_plan,
        allowed=FACILITATORS,
        writes=False,
    ),
    Command(
        "plan",
        "remove",
        "take out what the plan made and nobody changed",
        remove_plan,
        (Option("confirm", "yesno", "yes: go ahead, once told what goes and what stays"),),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
)
