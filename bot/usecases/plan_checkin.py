"""The plan's weekly rhythm: a check-in every Monday, and the weekly report to whoever
applies the plan (as `/cop checkin add` and `/cop report subscribe` make them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.commands.spec import Role
from bot.context import CommandContext
from bot.plan_year import MONTHS, PlanYear
from bot.ui import Effect
from bot.usecases.checkins import delete_checkin
from bot.usecases.plan_parts import Made, Where, fingerprint
from bot.usecases.rhythm import checked_schedule
from storage import checkins, report_readers
from storage.models import CheckIn, ReportSubscription, Schedule

CHECKIN_NAME = "Weekly"  # said as "the *Weekly* check-in"
CHECKIN_TIME = "mon 09:30"
CHECKIN_QUESTIONS = [
    "What did you work on or try in your practice this week?",
    "What went well, and what got in the way?",
    "What would help you next week (a person, a resource, an idea)?",
]

# times_between is strictly after: count a firing at the very edge of a month too.
_TICK = datetime.resolution


def by_month(ctx: CommandContext, year: PlanYear, expression: str) -> dict[int, int]:
    """How many times a schedule will fire in each month of the year, from now (months it
    fires in no more are left out)."""
    calendar, zone = ctx.services.calendar, ctx.community.timezone
    counts: dict[int, int] = {}
    for index in range(MONTHS):
        start, end = max(year.edge(index), ctx.now), year.edge(index + 1)
        if start >= end:
            continue
        times = calendar.times_between(expression, zone, start - _TICK, end, 40)
        if times:
            counts[index] = len(times)
    return counts


def _checkin_print(checkin: CheckIn, schedule: Schedule) -> str:
    return fingerprint(
        {
            "name": checkin.name,
            "questions": checkin.questions,
            "audience": checkin.audience,
            "via": checkin.via,
            "share": [checkin.share_platform, checkin.share_workspace, checkin.share_channel],
            "status": checkin.status,
            "expression": schedule.expression,
            "local_time": schedule.local_time,
            "active": schedule.active,
        }
    )


class CheckinPart:
    """A check-in every Monday morning from the first day of the plan, by DM to the members."""

    numbered = True
    kind = "checkin"
    noun = ("check-in", "check-ins")

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """A live check-in already called the same."""
        live = await checkins.live_checkins(session=ctx.session, community_id=ctx.community_id)
        for checkin, _ in live:
            if checkin.name.lower() == CHECKIN_NAME.lower():
                return (
                    f"There is already a check-in called {checkin.name} (#{checkin.id}). "
                    f"Rename or delete it (`/cop checkin delete {checkin.id}`), then apply the "
                    "plan again."
                )
        return None

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """The check-in and its schedule, firing from the plan's first day."""
        expression = checked_schedule(ctx, f"{CHECKIN_TIME} from {year.first_day.isoformat()}")
        checkin = await checkins.add_checkin(
            session=ctx.session,
            community_id=ctx.community_id,
            name=CHECKIN_NAME,
            expression=expression,
            local_time=False,
            questions=list(CHECKIN_QUESTIONS),
            audience="members",
            via="dm",
            share=None,
            created_by=ctx.member_id,
            now=ctx.now,
        )
        assert checkin.id is not None
        found = await self._found(ctx, checkin.id)
        assert found is not None
        when = ctx.services.calendar.describe(expression, ctx.community.timezone)
        line = f"📝 Check-in #{checkin.id} *{CHECKIN_NAME}*: {when}, by DM to the members."
        return Made([(checkin.id, _checkin_print(*found))], line=line)

    async def _found(self, ctx: CommandContext, item_id: int) -> tuple[CheckIn, Schedule] | None:
        return await checkins.checkin_in(
            session=ctx.session, community_id=ctx.community_id, checkin_id=item_id
        )

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """The check-ins each month, from each live one's own schedule."""
        shown: dict[int, list[str]] = {}
        for item_id in item_ids:
            found = await self._found(ctx, item_id)
            if found is None or found[0].status != "active":
                continue
            checkin, schedule = found
            for index, count in by_month(ctx, year, schedule.expression).items():
                shown.setdefault(index, []).append(f"{checkin.name} check-in ×{count}")
        return {index: ", ".join(names) for index, names in shown.items()}

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The check-in as it is now."""
        found = await self._found(ctx, item_id)
        return _checkin_print(*found) if found is not None else None

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Delete it as `/cop checkin delete <id> confirm:yes` does."""
        await delete_checkin(ctx, {"id": item_id, "confirm": True})
        return []


class ReportPart:
    """The weekly report to the facilitator who applies the plan, as `/cop report subscribe`
    records it (nothing is made when they receive it already)."""

    numbered = False  # its item is the member, whose id means nothing to anyone
    kind = "report"
    noun = ("weekly report subscription", "weekly report subscriptions")

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """Nothing clashes with a subscription."""
        return None

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """Subscribe the facilitator, unless they receive the report already."""
        before = await report_readers.choice_of(
            session=ctx.session, community_id=ctx.community_id, member_id=ctx.member_id
        )
        when = ctx.services.calendar.describe(
            ctx.services.config.reports.weekly, ctx.community.timezone
        )
        if before is True or (before is None and Role.LEAD in ctx.roles):
            return Made(line=f"📊 You already receive the weekly report, {when}.")
        await report_readers.choose(
            session=ctx.session,
            community_id=ctx.community_id,
            member_id=ctx.member_id,
            wants=True,
            now=ctx.now,
        )
        line = (
            f"📊 You are subscribed to the weekly report, {when}, from now on "
            "(`/cop report unsubscribe` stops it)."
        )
        return Made([(ctx.member_id, fingerprint({"wants": True}))], line=line)

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """The weekly reports each month, while the subscription holds."""
        held = [i for i in item_ids if await self._wants(ctx, i)]
        if not held:
            return {}
        weekly = ctx.services.config.reports.weekly
        counts = by_month(ctx, year, weekly)
        return {index: f"weekly report ×{count}" for index, count in counts.items()}

    async def _wants(self, ctx: CommandContext, member_id: int) -> bool | None:
        return await report_readers.choice_of(
            session=ctx.session, community_id=ctx.community_id, member_id=member_id
        )

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The member's choice as it is now."""
        wants = await self._wants(ctx, item_id)
        return None if wants is None else fingerprint({"wants": wants})

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Forget the subscription the plan recorded (back to not having chosen)."""
        found = await ctx.session.get(ReportSubscription, (ctx.community_id, item_id))
        if found is not None:
            await ctx.session.delete(found)
        return []
