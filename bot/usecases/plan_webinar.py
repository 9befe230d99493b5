"""The plan's monthly webinar: an event series from the start month on the same weekday of
each month (a series like `/cop event add repeat:...` makes), announced with RSVP buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.context import CommandContext
from bot.errors import UsageError
from bot.event_rotation import MONTHLY_WEEKDAY, nominal_start, weekday_of_month
from bot.plan_year import PlanYear
from bot.ui import Effect, Reply
from bot.usecases.event_changes import cancel_event
from bot.usecases.event_make import (
    EVENT_SERIES_JOB,
    announce,
    new_event,
    schedule_next,
    schedule_reminders,
)
from bot.usecases.event_posts import series_note
from bot.usecases.plan_parts import Made, Where, fingerprint
from storage import events, jobs, plans
from storage.models import Event, EventSeries

WEBINAR_TITLE = "Community webinar"
WEBINAR_DESCRIPTION = (
    "A monthly hour to learn together: a member or a guest shows their work for 20 minutes, "
    "then we discuss. Suggest a topic or a speaker in the thread."
)
WEBINAR_DAY = 3  # Thursday
WEBINAR_TIME = time(16, 0)
WEBINAR_MINUTES = 60


def first_webinar(year: PlanYear, now: datetime) -> datetime:
    """The first Thursday at 16:00 of the year still ahead (UTC)."""
    place = ZoneInfo(year.timezone)
    day = year.first_day
    while True:
        start = datetime.combine(day, WEBINAR_TIME, place)
        if day.weekday() == WEBINAR_DAY and start > now:
            return start.astimezone(UTC)
        day += timedelta(days=1)


def _webinar_print(series: EventSeries, first: Event | None, later: Sequence[Event] = ()) -> str:
    values: dict[str, object] = {
        "series": [series.repeat, series.first_start, series.timezone, series.rotate],
        "status": series.status,
    }
    # The series makes the later webinars itself; one moved or cancelled by hand since (its
    # sequence counts such changes) is a change to the series too.
    changed = [event.id for event in later if event.sequence]
    if changed:
        values["changed"] = changed
    if first is not None:
        values["first"] = [
            first.title,
            first.description,
            first.link,
            first.start_at,
            first.duration_minutes,
            first.channel,
            first.voice_channel,
            first.status,
        ]
    return fingerprint(values)


class WebinarPart:
    """A webinar on the same weekday of every month: the first Thursday at 16:00 (or, when the
    plan begins later in its month, that month's next Thursday)."""

    numbered = True
    kind = "webinar"
    noun = ("webinar series", "webinar series")

    async def refuse(self, ctx: CommandContext, year: PlanYear) -> str | None:
        """A community may hold any number of series."""
        return None

    async def make(self, ctx: CommandContext, year: PlanYear, where: Where) -> Made:
        """The series and its first occurrence, announced now, with its reminders."""
        start = first_webinar(year, ctx.now)
        zone = ctx.community.timezone
        series = await events.add_series(
            session=ctx.session,
            series=EventSeries(
                community_id=ctx.community_id,
                repeat=MONTHLY_WEEKDAY,
                first_start=start,
                timezone=zone,
                created_by=ctx.member_id,
                created_at=ctx.now,
            ),
        )
        assert series.id is not None
        event = await new_event(
            ctx.session,
            Event(
                community_id=ctx.community_id,
                series_id=series.id,
                title=WEBINAR_TITLE,
                description=WEBINAR_DESCRIPTION,
                start_at=start,
                duration_minutes=WEBINAR_MINUTES,
                timezone=zone,
                platform=where.platform,
                workspace=where.workspace,
                channel=where.channel,
                created_by=ctx.member_id,
                created_at=ctx.now,
                updated_at=ctx.now,
            ),
        )
        await schedule_reminders(ctx.session, ctx.services.config, event, ctx.now)
        await schedule_next(ctx.session, event, ctx.now)
        local = start.astimezone(ZoneInfo(zone))
        line = (
            f"🎙️ Event #{event.id} *{WEBINAR_TITLE}*, every month on the "
            f"{weekday_of_month(start, zone)} at {local:%H:%M} {zone} from {local.day} "
            f"{local:%B} (series #{series.id}), announced in #{where.channel}."
        )
        return Made(
            [(series.id, _webinar_print(series, event))],
            [*announce(event, series_note(series))],
            line,
        )

    async def months(
        self, ctx: CommandContext, year: PlanYear, item_ids: Sequence[int]
    ) -> dict[int, str]:
        """Each webinar of the year: those made so far as they are, then the series' next."""
        shown: dict[int, list[str]] = {}

        def put(title: str, at: datetime) -> None:
            index = year.month_of(at)
            if index is not None and at > ctx.now:
                # In the community's timezone, as plan show's footer says (a webinar moved
                # with tz:... keeps that zone as its own).
                local = at.astimezone(ZoneInfo(ctx.community.timezone))
                shown.setdefault(index, []).append(f"{title} {local:%a} {local.day} {local:%H:%M}")

        for series_id in item_ids:
            series = await events.series_by_id(session=ctx.session, series_id=series_id)
            if series is None:
                continue
            made = await plans.series_events(session=ctx.session, series_id=series_id)
            for event in made:
                if event.status == "scheduled":
                    put(event.title, event.start_at)
            if series.status != "active" or not made:
                continue
            latest = made[-1]
            position = latest.position + 1
            while True:
                at = nominal_start(series.first_start, series.timezone, series.repeat, position)
                if at >= year.ends:
                    break
                put(latest.title, at)
                position += 1
        return {index: ", ".join(items) for index, items in shown.items()}

    async def current(self, ctx: CommandContext, item_id: int) -> str | None:
        """The series and its first occurrence as they are now."""
        series = await events.series_by_id(session=ctx.session, series_id=item_id)
        if series is None or series.community_id != ctx.community_id:
            return None
        made = await plans.series_events(session=ctx.session, series_id=item_id)
        return _webinar_print(series, made[0] if made else None, made[1:])

    async def remove(self, ctx: CommandContext, item_id: int) -> list[Effect]:
        """Cancel what is still ahead and end the series, as `/cop event cancel <id>
        series:yes` does (those going are told); webinars held stay in the report."""
        made = await plans.series_events(session=ctx.session, series_id=item_id)
        out: list[Effect] = []
        ahead = [e for e in made if e.status == "scheduled" and e.start_at > ctx.now]
        for event in ahead:
            try:
                effects = await cancel_event(ctx, {"id": event.id, "series": True})
            except UsageError:
                continue  # cancelled meanwhile: nothing more to do for it
            out.extend(e for e in effects if not isinstance(e, Reply))
        series = await events.series_by_id(session=ctx.session, series_id=item_id)
        if series is not None and series.status == "active":
            series.status = "ended"  # no occurrence ahead: nothing more is made either
            ctx.session.add(series)
            await jobs.cancel_once(session=ctx.session, kind=EVENT_SERIES_JOB, subject=str(item_id))
        return out
