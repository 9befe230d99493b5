"""``/cop event cancel|move|attended``: an event changed after it was announced, its
announcement, native event, reminders and people's calendars following along."""

from __future__ import annotations

from bot import outbox_keys as keys
from bot.commands.spec import Args, Command, Option, Role
from bot.context import CommandContext
from bot.errors import UsageError
from bot.event_times import EventTimeError, describe, parse_start
from bot.ui import Effect, Message, Outgoing, Recipient, Reply
from bot.usecases.event_ledger import attended_row
from bot.usecases.event_make import (
    EVENT_REMINDER_JOB,
    EVENT_SERIES_JOB,
    EVENT_VOICE_JOB,
    refresh,
    schedule_reminders,
)
from bot.usecases.event_posts import calendar_file, when
from bot.words import plural
from storage import directory, events, jobs, ledger, outbox
from storage.models import Event

ATTENDEE_SLOTS = 8  # people named at once by `event attended` (Discord: one option each)


async def _event(ctx: CommandContext, event_id: int) -> Event:
    event = await events.event_in(
        session=ctx.session, community_id=ctx.community_id, event_id=event_id
    )
    if event is None:
        raise UsageError(f"There is no event #{event_id}; `/cop event list` shows them.")
    return event


async def _tell(ctx: CommandContext, event: Event, text: str) -> list[Outgoing]:
    """A DM with the updated calendar file to everyone going or maybe going."""
    assert event.id is not None
    accounts = await events.accounts_answering(
        session=ctx.session, event=event, answers=("going", "maybe")
    )
    ics = calendar_file(event, ctx.community.name, ctx.now)
    return [
        Outgoing(
            Recipient(platform, workspace, user=user),
            Message(text, attachment=ics),
            keys.event_notice_key(event.id, event.sequence, platform, workspace, user),
            kind=keys.EVENT_NOTICE,
            subject=str(event.id),
        )
        for _, platform, workspace, user in accounts
    ]


async def _end_series(ctx: CommandContext, event: Event) -> str:
    """End the series an event belongs to: no more occurrences are made."""
    if event.series_id is None:
        return f" Event #{event.id} is not part of a series, so `series:yes` changed nothing more."
    series = await events.series_by_id(session=ctx.session, series_id=event.series_id)
    if series is None or series.status != "active":
        return ""
    series.status = "ended"
    ctx.session.add(series)
    await jobs.cancel_once(session=ctx.session, kind=EVENT_SERIES_JOB, subject=str(series.id))
    return f" Series #{series.id} ends with it: no more occurrences."


async def _withdraw_reminders(ctx: CommandContext, event: Event) -> None:
    """Withdraw the reminders not sent yet: the jobs that would make them, and any a job has
    made already that wait in the outbox (a platform slowing copbot down, say)."""
    subject = str(event.id)
    await jobs.cancel_once(session=ctx.session, kind=EVENT_REMINDER_JOB, subject=subject)
    await outbox.cancel_pending(session=ctx.session, kind=keys.EVENT_REMINDER, subject=subject)


def _people(count: int) -> str:
    return "nobody was going, so nobody was" if not count else plural(count, "person", "people")


async def cancel_event(ctx: CommandContext, args: Args) -> list[Effect]:
    """Cancel an event: its announcement says so, its reminders are withdrawn, those going
    are told (with a calendar cancel), and with ``series:yes`` no more occurrences come."""
    event = await _event(ctx, args["id"])
    if event.status == "cancelled":
        if args["series"] and event.series_id is not None:
            ended = await _end_series(ctx, event)
            return [Reply(Message(f"Event #{event.id} was cancelled already.{ended}"))]
        raise UsageError(f"Event #{event.id} is cancelled already. Nothing changed.")
    if event.start_at <= ctx.now:
        raise UsageError(f"Event #{event.id} has started already; it cannot be cancelled now.")
    event.status, event.sequence, event.updated_at = "cancelled", event.sequence + 1, ctx.now
    ctx.session.add(event)
    await _withdraw_reminders(ctx, event)
    # Nor is anyone counted from its voice channel when it would have started.
    await jobs.cancel_once(session=ctx.session, kind=EVENT_VOICE_JOB, subject=str(event.id))
    ended = await _end_series(ctx, event) if args["series"] else ""
    told = await _tell(
        ctx, event, f"❌ *{event.title}*, which was to start {when(event)}, is cancelled."
    )
    out = [*await refresh(ctx.session, event, ctx.now, native=True), *told]
    reply = f"✅ Event #{event.id} *{event.title}* is cancelled; {_people(len(told))} told.{ended}"
    return [Reply(Message(reply)), *out]


async def move_event(ctx: CommandContext, args: Args) -> list[Effect]:
    """Move an event to a new start: announcement, native event and reminders follow, and
    those going get the updated calendar file."""
    event = await _event(ctx, args["id"])
    if event.status == "cancelled":
        raise UsageError(f"Event #{event.id} is cancelled; add a new one instead.")
    if event.start_at <= ctx.now:
        raise UsageError(f"Event #{event.id} has started already; add a new one instead.")
    # Read like `event add` reads a start: in tz, else the facilitator's zone, else the
    # community's (not the event's own, which for a rotating series is some region's).
    zone = args["tz"] or ctx.member.timezone or ctx.community.timezone
    try:
        start = parse_start(args["start"], zone, ctx.now)
    except EventTimeError as error:
        raise UsageError(str(error)) from None
    if start == event.start_at:
        raise UsageError(f"Event #{event.id} starts then already. Nothing changed.")
    before = when(event)
    # A moved occurrence no longer claims to suit some region's working hours.
    event.start_at, event.timezone, event.region = start, zone, ""
    event.sequence, event.updated_at = event.sequence + 1, ctx.now
    ctx.session.add(event)
    await _withdraw_reminders(ctx, event)
    await schedule_reminders(ctx.session, ctx.services.config, event, ctx.now)
    told = await _tell(
        ctx,
        event,
        f"🕒 *{event.title}* moved from {before} to {when(event)}. The file updates your calendar.",
    )
    out = [*await refresh(ctx.session, event, ctx.now, native=True), *told]
    reply = (
        f"✅ Event #{event.id} *{event.title}* now starts {describe(start, zone)}; "
        f"reminders follow, {_people(len(told))} told."
    )
    return [Reply(Message(reply)), *out]


async def record_attended(ctx: CommandContext, args: Args) -> list[Effect]:
    """Record who came to an event (each named once, however often)."""
    event = await _event(ctx, args["id"])
    if event.start_at > ctx.now or event.status == "cancelled":
        raise UsageError(f"Event #{event.id} has not taken place, so nobody attended yet.")
    users = [args[name] for name in _slots() if args.get(name)]
    found = []
    for user in users:
        identity = await directory.member_by_identity(
            session=ctx.session,
            platform=ctx.actor.platform,
            workspace=ctx.actor.workspace,
            user_id=user,
        )
        if identity is None:
            name = ctx.people.get(user) or user
            raise UsageError(
                f"I have not met {name} yet, so I cannot count them. Nothing was recorded."
            )
        found.append(identity)
    assert event.id is not None
    added = await events.record_attendance(
        session=ctx.session,
        event_id=event.id,
        member_ids=[m.id for m in found if m.id is not None],
        how="facilitator",
        recorded_by=ctx.member_id,
        at=ctx.now,
    )
    await ledger.append(session=ctx.session, rows=[attended_row(event, m) for m in found])
    names = ", ".join(m.display_name for m in found)
    return [
        Reply(
            Message(
                f"✅ {names}: attendance at #{event.id} *{event.title}* recorded ({added} new)."
            )
        )
    ]


def _slots() -> list[str]:
    return ["who", *(f"who{n}" for n in range(2, ATTENDEE_SLOTS + 1))]


def commands(
    ident: Option, start: Option, tz: Option, allowed: frozenset[Role]
) -> tuple[Command, ...]:
    """The commands that change an announced event."""
    people = tuple(
        # One help for all the slots: the reference and /cop help say it once.
        Option(name, "user", "someone who came" if name == "who" else "", name == "who", True)
        for name in _slots()
    )
    return (
        Command(
            "event",
            "cancel",
            "cancel an event (those going are told)",
            cancel_event,
            (ident, Option("series", "yesno", "end its series too", default=False)),
            allowed=allowed,
            changes_schedules=True,
        ),
        Command(
            "event",
            "move",
            "move an event to a new start",
            move_event,
            (ident, start, tz),
            allowed=allowed,
            changes_schedules=True,
        ),
        Command(
            "event",
            "attended",
            "record who came to an event",
            record_attended,
            (ident, *people),
            allowed=allowed,
        ),
    )
