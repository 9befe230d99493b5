"""``/cop event add|list``: meetings and webinars announced with RSVP buttons, reminded to
those going, on their own or as a series whose time can rotate across regions."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.event_rotation import REPEATS, occurrence, parse_rotate
from bot.event_times import EventTimeError, check_duration, check_link, describe, parse_start
from bot.ui import Effect, Message, Reply, fit_lines
from bot.usecases import event_changes
from bot.usecases.event_make import announce, new_event, schedule_next, schedule_reminders
from bot.usecases.event_posts import length, reminders_ahead, series_note, when
from bot.usecases.event_voice import EARLY, voice_channel
from bot.words import plural
from storage import events
from storage.models import Event, EventSeries

FACILITATORS = frozenset({Role.FACILITATOR})
TITLE_LENGTH = 200
DESCRIPTION_LENGTH = 1000
LINK_LENGTH = 500
LISTED_SINCE_HOURS = 24  # `event list` still shows what ended today, for `event attended`


def _checked(
    args: Args, zone: str, ctx: CommandContext
) -> tuple[datetime, int, str, tuple[str, ...]]:
    """The start, duration, link and rotation asked for, or the message that says what is wrong."""
    try:
        first = parse_start(args["start"], zone, ctx.now)
        duration = check_duration(args["duration"])
        link = check_link(args["link"]) if args["link"] else ""
        rotate = parse_rotate(args["rotate"]) if args["rotate"] else ()
    except EventTimeError as error:
        raise UsageError(str(error)) from None
    if rotate and not args["repeat"]:
        raise UsageError(
            "`rotate` takes turns between the occurrences of a series: add `repeat:weekly` "
            "(or biweekly, monthly). Nothing was created."
        )
    return first, duration, link, rotate


async def add_event(ctx: CommandContext, args: Args) -> list[Effect]:
    """Announce an event (or the first of a series) with RSVP buttons and schedule its
    reminders; the start is read in ``tz``, else the facilitator's zone, else the community's."""
    zone = args["tz"] or ctx.member.timezone or ctx.community.timezone
    first, duration, link, rotate = _checked(args, zone, ctx)
    title = " ".join(str(args["title"]).split())
    description = " ".join(str(args["description"] or "").split())
    channel = args["channel"] or ctx.place.channel
    voice = voice_channel(ctx, args["voice"])
    if not title or not channel:
        raise UsageError("An event needs a title and a channel to be announced in (`channel:#c`).")
    start, region, series = first, "", None
    if args["repeat"]:
        series = await events.add_series(
            session=ctx.session,
            series=EventSeries(
                community_id=ctx.community_id,
                repeat=args["repeat"],
                first_start=first,
                timezone=zone,
                rotate=",".join(rotate),
                created_by=ctx.member_id,
                created_at=ctx.now,
            ),
        )
        hours = ctx.services.config.events.hours
        start, region = occurrence(first, zone, args["repeat"], 0, rotate, hours, duration)
        if start <= ctx.now:
            raise UsageError(
                f"In {region}'s working hours the first occurrence would start "
                f"{describe(start, region)}, which has passed. Give a later start."
            )
    event = await new_event(
        ctx.session,
        Event(
            community_id=ctx.community_id,
            series_id=series.id if series else None,
            title=title,
            description=description,
            link=link,
            start_at=start,
            duration_minutes=duration,
            timezone=region or zone,
            region=region,
            platform=ctx.actor.platform,
            workspace=ctx.actor.workspace,
            channel=channel,
            voice_channel=voice,
            created_by=ctx.member_id,
            created_at=ctx.now,
            updated_at=ctx.now,
        ),
    )
    config = ctx.services.config
    await schedule_reminders(ctx.session, config, event, ctx.now)
    await schedule_next(ctx.session, event, ctx.now)
    note = series_note(series) if series else ""
    before = reminders_ahead(event, config.events.reminders, ctx.now)
    lines = [
        f"✅ Event #{event.id} *{title}* starts {describe(start, event.timezone)}, "
        f"for {length(duration)}.",
        f"It is announced in #{channel}; those going are {before}.",
    ]
    if voice:
        lines.append(
            f"🔊 It is held in #{voice}: whoever is in there while it runs is counted as having "
            f"come (from {length(EARLY // timedelta(minutes=1))} before the start)."
        )
    if note:
        lines.append(f"🔁 {note}")
    return [Reply(Message("\n".join(lines))), *announce(event, note)]


async def list_events(ctx: CommandContext, args: Args) -> list[Effect]:
    """Upcoming events (and today's), with their answers, series and state."""
    since = ctx.now - timedelta(hours=LISTED_SINCE_HOURS)
    rows = await events.events_from(session=ctx.session, community_id=ctx.community_id, since=since)
    lines = [f"Events of {ctx.community.name}:"]
    for event, counts in rows:
        state = " — cancelled" if event.status == "cancelled" else ""
        series = f" · series #{event.series_id}" if event.series_id else ""
        region = f" · {event.region} working hours" if event.region else ""
        lines.append(
            f"• #{event.id} *{event.title}*: {when(event)}{region}{series}{state} — "
            f"{counts.going} going, {counts.maybe} maybe, {counts.no} can't go"
            + (f", {plural(counts.attended, 'came', 'came')}" if counts.attended else "")
        )
    if not rows:
        lines.append('• none coming up: `/cop event add title:"..." start:"YYYY-MM-DD HH:MM"`')
    return [Reply(Message(fit_lines(lines)))]


_WHEN = '"YYYY-MM-DD HH:MM"'
_ID = Option("id", "integer", "the event's number, from `/cop event list`", True, True)
START = Option(
    "start",
    help="its date and time, in tz",
    required=True,
    max_length=40,
    shown='"YYYY-MM-DD HH:MM"',
)
TZ = Option("tz", "timezone", "the zone the start is in (default: yours, else the community's)")

COMMANDS = (
    Command(
        "event",
        "add",
        "announce an event with RSVP buttons, reminders and a calendar file",
        add_event,
        (
            Option("title", help="what it is", required=True, max_length=TITLE_LENGTH),
            START,
            Option("duration", "integer", "minutes (at most 1440)", default=60),
            Option("link", help="where to join (http or https)", max_length=LINK_LENGTH),
            Option("description", help="a few lines about it", max_length=DESCRIPTION_LENGTH),
            Option(
                "channel", "channel", "where it is announced (default: here)", defaults_here=True
            ),
            Option(
                "voice",
                "channel",
                "Discord: the voice or stage channel it is in",
                shown="#voice-channel",
                voice=True,
            ),
            TZ,
            Option("repeat", "choice", "make it a series", choices=REPEATS),
            Option(
                "rotate",
                help='zones whose working hours it takes in turn, "Europe/Berlin,Asia/Tokyo"',
                max_length=500,
            ),
        ),
        allowed=FACILITATORS,
        changes_schedules=True,
    ),
    Command(
        "event",
        "list",
        "upcoming events and their answers",
        list_events,
        writes=False,
    ),
    *event_changes.commands(_ID, START, TZ, FACILITATORS),
)
