"""What the welcome DM holds: the community's own welcome, the charter in brief, how to take
part this week (the next event, the latest prompt, the next check-in) and two buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config_welcome import WELCOME_LENGTH, fill_welcome
from bot.context import Services
from bot.ids import interaction_id
from bot.schedule import ScheduleCalendar
from bot.timefmt import local_time
from bot.ui import Button, Message
from bot.ui_calendar import time_token
from bot.usecases.checkin_run import in_audience, member_zone
from bot.usecases.event_posts import when
from bot.usecases.pairing import join_button
from bot.words import excerpt
from storage import charter, checkins, events, nudges
from storage.models import Charter, CheckIn, Community, Event, Member, Prompt, Schedule

# The charter in brief: its first lines, each cut to a short paragraph.
BRIEF = (("purpose", "Purpose"), ("domain", "Domain"), ("audience", "Audience"))
BRIEF_LENGTH = 300


@dataclass
class Coming:
    """What a community has coming, read once for every welcome of a round."""

    charter: Charter | None
    event: Event | None
    prompt: Prompt | None
    checkins: list[tuple[CheckIn, Schedule]]
    # Each schedule's next firing in a zone, worked out once for everyone who lives there.
    _next: dict[tuple[str, str], datetime | None] = field(default_factory=dict)

    def next_checkin(
        self, member: Member, community: Community, calendar: ScheduleCalendar, now: datetime
    ) -> tuple[CheckIn, datetime, str] | None:
        """The first check-in that will ask this member, when, and in which zone it is said."""
        found: tuple[CheckIn, datetime, str] | None = None
        for checkin, schedule in self.checkins:
            if not in_audience(member, checkin.audience, community):
                continue
            zone = member_zone(member, community) if schedule.local_time else community.timezone
            key = (schedule.expression, zone)
            if key not in self._next:
                times = calendar.next_times(schedule.expression, zone, now, 1)
                self._next[key] = times[0] if times else None
            at = self._next[key]
            if at is not None and (found is None or at < found[1]):
                found = (checkin, at, zone)
        return found


async def coming(session: AsyncSession, community: Community, now: datetime) -> Coming:
    """The charter, the next event, the latest prompt and the live check-ins of a community."""
    assert community.id is not None
    written = await charter.charter_of(session=session, community_id=community.id)
    upcoming = await events.events_from(session=session, community_id=community.id, since=now)
    event = next((e for e, _ in upcoming if e.status != "cancelled"), None)
    prompt = await nudges.latest_prompt(session=session, community_id=community.id)
    live = await checkins.active_checkins(session=session, community_id=community.id)
    return Coming(written, event, prompt, [(c, s) for c, s, _ in live])


def tz_button(member_id: int) -> Button:
    """The button that opens the form for a member's own timezone."""
    return Button("🕘 Set my timezone", interaction_id("tz", "member", member_id))


def _this_week(
    member: Member, community: Community, found: Coming, calendar: ScheduleCalendar, now: datetime
) -> list[str]:
    lines = []
    if found.event is not None:
        event = found.event
        lines.append(f"• 📅 The next event: {event.title}, {when(event)} in #{event.channel}")
    if found.prompt is not None:
        lines.append(
            f"• 💬 The latest prompt: “{excerpt(found.prompt.text, 120)}” (reply in its thread)"
        )
    checkin = found.next_checkin(member, community, calendar, now)
    if checkin is not None:
        name, at, zone = checkin[0].name, checkin[1], checkin[2]
        lines.append(f"• ✅ The next check-in: {name}, {time_token(at, local_time(at, zone))}")
    return lines


def welcome_message(
    services: Services, member: Member, community: Community, found: Coming, now: datetime
) -> Message:
    """The welcome DM of one member, exactly as they get it."""
    assert community.id is not None and member.id is not None
    written = found.charter
    values = {"member": member.display_name, "community": community.name}
    values |= {name: getattr(written, name) or "" for name, _ in BRIEF} if written else {}
    entry = services.community_config(community.name)
    # The charter's answers fill the placeholders, up to 1,000 characters each: cut the filled
    # opening to what the template itself may hold, so that the DM fits one message.
    opening = fill_welcome(entry.welcome if entry else None, values).strip()
    if len(opening) > WELCOME_LENGTH:
        opening = opening[: WELCOME_LENGTH - 1].rstrip() + "…"
    lines = [opening]
    week = _this_week(member, community, found, services.calendar, now)
    if week:
        lines += ["", "*How to take part this week*", *week]
    else:
        lines += ["", "Say hello in the community's channel: that is the easiest way in."]
    lines += [
        "",
        "Set your timezone so that check-ins reach you at a good hour, and join pairing to be "
        "introduced to another member or two. `/cop about` shows the charter any time.",
    ]
    brief = tuple(
        (label, excerpt(getattr(written, name), BRIEF_LENGTH))
        for name, label in BRIEF
        if written is not None and getattr(written, name)
    )
    buttons = (tz_button(member.id), join_button(community.id))
    return Message("\n".join(lines), fields=brief, buttons=buttons)
