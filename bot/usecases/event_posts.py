"""What an event looks like wherever it is shown: its announcement with live counts, its
native calendar entry (Discord), its calendar file, and its reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.event_calendar import CalendarEntry, calendar_uid, ics_file, ics_name
from bot.event_rotation import MONTHLY_WEEKDAY, weekday_of_month
from bot.event_times import describe
from bot.ids import interaction_id
from bot.ui import Attachment, Button, Message, NativeEvent, time_token
from bot.words import plural
from storage.events import Counts
from storage.models import Event, EventSeries

RSVP = "rsvp"
CALENDAR = "calendar"
ENTITY = "event"
ANSWER_LABELS = {"going": "✅ Going", "maybe": "🤔 Maybe", "no": "❌ Can't go"}
ICS_MIME = "text/calendar"
NATIVE_LOCATION = "Online"  # Discord needs a location for an external event
EVERY = {"weekly": "Every week", "biweekly": "Every two weeks", "monthly": "Every month"}


def when(event: Event) -> str:
    """The event's start as each reader sees it in their own timezone (the zone it was given in
    where the platform cannot)."""
    return time_token(event.start_at, describe(event.start_at, event.timezone))


def end_of(event: Event) -> datetime:
    """When the event ends."""
    return event.start_at + timedelta(minutes=event.duration_minutes)


def length(minutes: int) -> str:
    """A duration as people say it: 45 min, 1 h, 1 h 30 min."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def reminders_ahead(event: Event, reminders: tuple[int, ...], now: datetime) -> str:
    """When those going are reminded, of the reminders still ahead: "24 h and 1 h before"."""
    ahead = [s for s in reminders if event.start_at - timedelta(seconds=s) > now]
    if not ahead:
        return "not reminded: it starts too soon"
    return "reminded " + " and ".join(length(s // 60) for s in ahead) + " before"


def rsvp_buttons(event: Event, counts: Counts) -> tuple[Button, ...]:
    """Going / Maybe / Can't go with their counts, and *Add to calendar*."""
    assert event.id is not None
    numbers = {"going": counts.going, "maybe": counts.maybe, "no": counts.no}
    answers = tuple(
        Button(
            f"{label} ({numbers[answer]})",
            interaction_id(RSVP, ENTITY, f"{event.id}:{answer}"),
            "primary" if answer == "going" else "default",
        )
        for answer, label in ANSWER_LABELS.items()
    )
    return (*answers, Button("📆 Add to calendar", interaction_id(CALENDAR, ENTITY, event.id)))


def announcement(event: Event, counts: Counts, note: str = "") -> Message:
    """The channel post of an event: what, when, where, and the answer buttons with counts."""
    if event.status == "cancelled":
        going = (
            f" {plural(counts.going, 'person was', 'people were')} going." if counts.going else ""
        )
        return Message(f"❌ *Cancelled: {event.title}*\nIt was to start {when(event)}.{going}")
    lines = [f"📅 *{event.title}*", f"🕒 {when(event)} · {length(event.duration_minutes)}"]
    if event.region:
        lines.append(f"🌍 This time suits working hours in {event.region}.")
    if note:
        lines.append(f"🔁 {note}")
    if event.link:
        lines.append(f"🔗 {event.link}")
    if event.description:
        lines += ["", event.description]
    lines += [
        "",
        f"Will you come? {counts.going} going · {counts.maybe} maybe · {counts.no} can't go. "
        "Those going are reminded before it starts.",
    ]
    return Message("\n".join(lines), buttons=rsvp_buttons(event, counts))


def native_event(event: Event) -> NativeEvent:
    """The event as Discord's own scheduled event: in its voice channel, else external (its
    link as the location)."""
    description = event.description
    if event.link:
        description = f"{description}\n{event.link}".strip()
    location = event.link if 0 < len(event.link) <= 100 else NATIVE_LOCATION
    return NativeEvent(
        name=event.title[:100],
        start=event.start_at,
        end=end_of(event),
        location=location,
        description=description[:1000],
        cancelled=event.status == "cancelled",
        voice_channel=event.voice_channel,
    )


def calendar_file(event: Event, community: str, stamp: datetime) -> Attachment:
    """The event's iCalendar file: one UID per event, its SEQUENCE bumped on every change, a
    cancel once it is cancelled."""
    assert event.id is not None
    entry = CalendarEntry(
        # By the community's id, not its name: renaming it must not duplicate calendar entries.
        uid=calendar_uid(event.id, f"community-{event.community_id}"),
        title=event.title,
        start=event.start_at,
        duration_minutes=event.duration_minutes,
        timezone=event.timezone,
        sequence=event.sequence,
        description=event.description,
        link=event.link,
        cancelled=event.status == "cancelled",
        organizer_name=community,
    )
    return Attachment(ics_name(event.title), ics_file(entry, stamp), ICS_MIME)


def _rounded(left: timedelta) -> int:
    """Minutes left as people say them: to 5 minutes within two hours, else to the hour."""
    minutes = max(1, round(left.total_seconds() / 60))
    step = 5 if minutes < 120 else 60
    return max(step if minutes >= step else minutes, round(minutes / step) * step)


def reminder(event: Event, left: timedelta) -> Message:
    """The DM that reminds someone going that an event is near."""
    lines = [f"⏰ *{event.title}* starts in {length(_rounded(left))}: {when(event)}."]
    if event.link:
        lines.append(f"🔗 {event.link}")
    lines.append("You said you're going; if that changed, answer on the announcement.")
    return Message("\n".join(lines))


def series_note(series: EventSeries) -> str:
    """How a series repeats, as its announcements and replies say it."""
    every = EVERY.get(series.repeat, series.repeat)
    if series.repeat == MONTHLY_WEEKDAY:
        every = f"Every month on the {weekday_of_month(series.first_start, series.timezone)}"
    zones = [z for z in series.rotate.split(",") if z]
    if not zones:
        return f"{every} (series #{series.id})."
    return (
        f"{every}, at a time that takes turns across working hours in "
        f"{', '.join(zones)} (series #{series.id})."
    )
