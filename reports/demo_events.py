"""A demo community's events: a biweekly "Show and tell" whose time takes turns between Berlin's
and New York's working hours (one occurrence cancelled), a one-off webinar mid-way and a clinic
coming up with hardly anyone going yet; the answers of members around at the time (the engaged
going most), who came (a few without saying so) and the ledger rows copbot writes beside them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import outbox_keys as keys
from bot.config_events import EventsConfig
from bot.event_rotation import occurrence
from bot.usecases import event_make
from bot.usecases.event_posts import announcement
from bot.usecases.event_series import series_note
from reports.demo_acts import LedgerRow, Placed, minutes
from reports.demo_people import WORKSPACES
from storage.events import Counts
from storage.models import Event, EventSeries

SERIES = "Show and tell"
ROTATE = ("Europe/Berlin", "America/New_York")
WEBINAR = "Research digest"
CLINIC = "Data quality clinic"
PLATFORM = "slack"  # where most of the demo's members are
CHANNELS = {SERIES: "C05SHOWTELL", WEBINAR: "C05GENERAL1", CLINIC: "C05HELPDESK"}
HOURS = EventsConfig().hours  # copbot's default working hours, which a rotating series keeps
REMINDERS = EventsConfig().reminders  # and its default reminders, in seconds before the start
CANCELLED_POSITION = 3  # this occurrence of each series was called off the day before
# By habit: the chance of answering an event announced while they are around, and the share of
# those answers that are "going" (the rest split between maybe and can't go).
ANSWERS = {
    "core": (0.85, 0.8), "active": (0.55, 0.6), "peripheral": (0.25, 0.4), "lurker": (0.08, 0.3),
}  # fmt: skip
CAME = {"going": 0.85, "maybe": 0.3}  # the chance that someone who answered so turns up
WALK_IN = {"core": 0.06, "active": 0.03, "peripheral": 0.01, "lurker": 0.005}
CHANGED_MIND = 0.1  # a maybe who later says going: two answers, one current
ANSWER_HOURS = 20.0  # the median wait from an announcement to an answer


@dataclass
class EventRows:
    """The rows of every table one group's events fill, ready for a bulk insert."""

    series: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    rsvps: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # by event, member
    attendances: list[dict[str, Any]] = field(default_factory=list)
    announcements: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)  # reminders and the series' next
    ledger: list[LedgerRow] = field(default_factory=list)


def awake(member: Placed, at: datetime, community_zone: str) -> float:
    """How likely someone is to come at this time of their day: fully in the day, less early or
    late, hardly at night (in their own timezone, else the community's)."""
    hour = at.astimezone(ZoneInfo(member.person.timezone or community_zone)).hour
    if 8 <= hour < 20:
        return 1.0
    return 0.5 if hour in (7, 20, 21) else 0.1


class GroupEvents:
    """Makes one group's events and everything that hangs off them."""

    def __init__(
        self,
        rng: random.Random,
        *,
        community_id: int,
        timezone: str,
        members: list[Placed],
        facilitator: Placed,
        now: datetime,
    ) -> None:
        self._rng = rng
        self._community_id = community_id
        self._timezone = timezone
        self._members = members
        self._facilitator = facilitator
        self._now = now
        self.rows = EventRows()

    def series(self, series_id: int, next_id: int, created: datetime, first: datetime) -> int:
        """A biweekly rotating series: each occurrence made when the one before started, as
        copbot makes them, the first at the series' creation; the next free event id."""
        row: dict[str, Any] = {
            "id": series_id, "community_id": self._community_id, "repeat": "biweekly",
            "first_start": first, "timezone": self._timezone, "rotate": ",".join(ROTATE),
            "status": "active", "created_by": self._facilitator.member_id, "created_at": created,
        }  # fmt: skip
        self.rows.series.append(row)
        note = series_note(EventSeries(**row))
        made, position = created, 0
        while made <= self._now:
            start, region = occurrence(
                first, self._timezone, "biweekly", position, ROTATE, HOURS, 60
            )
            cancelled = position == CANCELLED_POSITION and start <= self._now
            event = self._event(next_id, SERIES, start, made, series_id, position, region)
            self.held(event, made, note, cancelled=cancelled)
            next_id, position, made = next_id + 1, position + 1, start
        # The job that makes the next occurrence when the latest one (still ahead) starts.
        kind, key = event_make.EVENT_SERIES_JOB, event_make.series_job_key(series_id, position)
        self._job(key, kind, series_id, made, self.rows.events[-1]["created_at"])
        return next_id

    def one_off(self, event_id: int, title: str, start: datetime, announced: datetime) -> None:
        """An event on its own, announced some days before."""
        minutes_long = 90 if title == WEBINAR else 45
        event = self._event(event_id, title, start, announced, None, 0, "", minutes_long)
        if title == WEBINAR:
            event["link"] = "https://meet.example.org/research-digest"
            event["description"] = "Three papers on data quality, 15 minutes each, then questions."
        self.held(event, announced, "", appeal=1.3)

    def upcoming(self, event_id: int, start: datetime, announced: datetime) -> None:
        """An event still ahead that only one or two have said they will come to."""
        event = self._event(event_id, CLINIC, start, announced, None, 0, "", 45)
        self._announce(event, announced, "")
        keen = [m for m in self._members if m.person.habit.name in ("core", "active")]
        around = [m for m in keen if m.around(announced)] or keen
        for member in self._rng.sample(around, min(len(around), self._rng.randint(1, 2))):
            at = announced + (self._now - announced) * self._rng.random()
            self._answer(event, member, "going", at)

    def _event(
        self,
        event_id: int,
        title: str,
        start: datetime,
        created: datetime,
        series_id: int | None,
        position: int,
        region: str,
        duration: int = 60,
    ) -> dict[str, Any]:
        return {"id": event_id, "community_id": self._community_id, "series_id": series_id,
                "position": position, "title": title, "description": "", "link": "",
                "start_at": start, "duration_minutes": duration,
                "timezone": region or self._timezone, "region": region, "platform": PLATFORM,
                "workspace": WORKSPACES[PLATFORM], "channel": CHANNELS[title],
                "status": "scheduled", "sequence": 0,
                "created_by": self._facilitator.member_id, "created_at": created,
                "updated_at": created, "announce_key": keys.event_key(event_id),
                "native_key": None}  # fmt: skip

    def _job(self, key: str, kind: str, subject: int, due: datetime, made: datetime) -> None:
        self.rows.jobs.append(
            {"key": key, "kind": kind, "subject": str(subject), "due_at": due,
             "status": "pending", "created_at": made, "fired_at": None}
        )  # fmt: skip

    def _announce(self, event: dict[str, Any], at: datetime, note: str) -> None:
        """The event's row and its announcement, sent to its channel as it was made, and the
        reminders still ahead of it."""
        self.rows.events.append(event)
        for seconds in REMINDERS:
            if event["start_at"] - timedelta(seconds=seconds) > self._now:
                key = event_make.reminder_job_key(Event(**event), seconds // 60)
                due = event["start_at"] - timedelta(seconds=seconds)
                self._job(key, event_make.EVENT_REMINDER_JOB, event["id"], due, at)
        payload = announcement(Event(**event), Counts(), note).to_json()
        self.rows.announcements.append(
            {"key": event["announce_key"], "kind": keys.EVENT_ANNOUNCE,
             "subject": str(event["id"]), "platform": PLATFORM, "workspace": event["workspace"],
             "recipient_user": None, "recipient_channel": event["channel"], "thread_key": None,
             "edits_key": None, "payload": payload, "status": "sent", "attempts": 1,
             "not_before": at, "last_error": None,
             "platform_message_id": f"{int(at.timestamp()) + 1}.000{event['id'] % 1000:03d}",
             "claimed_at": at, "created_at": at, "sent_at": at + timedelta(seconds=1),
             "file_digest": None}
        )  # fmt: skip

    def held(
        self,
        event: dict[str, Any],
        announced: datetime,
        note: str,
        *,
        cancelled: bool = False,
        appeal: float = 1.0,
    ) -> None:
        """An announced event's answers until it starts (or is cancelled the day before) and,
        once it has happened, who came."""
        self._announce(event, announced, note)
        start = event["start_at"]
        closes = min(start, self._now)
        if cancelled:
            closes = start - timedelta(days=1)
            event.update(status="cancelled", sequence=1, updated_at=closes)
        answered: dict[int, str] = {}
        for member in self._members:
            chance, going = ANSWERS[member.person.habit.name]
            at = announced + minutes(ANSWER_HOURS * 60, self._rng, spread=1.0)
            fits = awake(member, start, self._timezone)
            if self._rng.random() >= min(chance * appeal * fits, 0.95):
                continue
            if at >= closes or not member.around(at):
                continue
            pick = self._rng.random()
            answer = "going" if pick < going else "maybe" if pick < (1 + going) / 2 else "no"
            self._answer(event, member, answer, at)
            if answer == "maybe" and self._rng.random() < CHANGED_MIND:
                later = at + (closes - at) * self._rng.random()
                answer = "going"
                self._answer(event, member, answer, later)
            answered[member.member_id] = answer
        if not cancelled and start <= self._now:
            self._came(event, answered)

    def _answer(self, event: dict[str, Any], member: Placed, answer: str, at: datetime) -> None:
        """One answer given: the member's current one (a later answer replaces it) and its
        ledger row, as copbot writes them."""
        self.rows.rsvps[(event["id"], member.member_id)] = {
            "event_id": event["id"], "member_id": member.member_id, "answer": answer,
            "source": "button", "answered_at": at,
        }  # fmt: skip
        micro = round(at.timestamp() * 1_000_000)
        ledger_id = f"rsvp:{event['id']}:{member.member_id}:{micro}:{answer}"
        self.rows.ledger.append(self._ledger(event, member, "rsvp", ledger_id, at))

    def _came(self, event: dict[str, Any], answered: dict[int, str]) -> None:
        """Who came, recorded by the facilitator after the event: most of those going, some of
        the maybes, a few who never answered."""
        start = event["start_at"]
        recorded = start + timedelta(minutes=event["duration_minutes"]) + minutes(20.0, self._rng)
        for member in self._members:
            answer = answered.get(member.member_id)
            chance = CAME.get(answer, 0.0) if answer else WALK_IN[member.person.habit.name]
            chance *= awake(member, start, self._timezone)
            if self._rng.random() >= chance or not member.around(start) or recorded > self._now:
                continue
            self.rows.attendances.append(
                {"event_id": event["id"], "member_id": member.member_id, "how": "facilitator",
                 "recorded_by": self._facilitator.member_id, "recorded_at": recorded}
            )  # fmt: skip
            attended = f"attended:{event['id']}:{member.member_id}"
            self.rows.ledger.append(self._ledger(event, member, "attended", attended, start))

    def _ledger(
        self, event: dict[str, Any], member: Placed, kind: str, event_id: str, at: datetime
    ) -> LedgerRow:
        return (self._community_id, member.ledger_id, kind, PLATFORM, event["workspace"],
                event["channel"], event_id, at, None, None)  # fmt: skip


def plan_events(
    rng: random.Random,
    *,
    groups: int,
    community_id: int,
    timezone: str,
    mondays: list[date],
    members: list[Placed],
    facilitator: Placed,
    now: datetime,
    first_ids: dict[str, int],
) -> Iterator[EventRows]:
    """Each group's events (its share of the members answer and come): a biweekly series from
    the second week, a webinar mid-way and, in the first group, a clinic coming up; the rows of
    one group at a time."""
    series_id, event_id = first_ids["event_series"], first_ids["event"]
    zone = ZoneInfo(timezone)

    def local(day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)

    # Set up with the check-ins, once the pilot had gathered; the clinic the week of now.
    created = local(mondays[0] + timedelta(days=2), time(10))
    week_end = local(mondays[-1] + timedelta(days=7), time(0))
    for group in range(groups):
        maker = GroupEvents(
            rng,
            community_id=community_id,
            timezone=timezone,
            members=members[group::groups],
            facilitator=facilitator,
            now=now,
        )
        first = local(mondays[1] + timedelta(days=1 + group % 3), time(11))
        event_id = maker.series(series_id, event_id, created, first)
        webinar = local(mondays[len(mondays) // 2] + timedelta(days=2), time(14))
        announced = max(created, webinar - timedelta(days=10))
        if announced <= now:
            maker.one_off(event_id, WEBINAR, webinar, announced)
            event_id += 1
        if group == 0:
            # Two days on at 16:00, within the week of now (the report's "coming week").
            soon = local(now.astimezone(zone).date() + timedelta(days=2), time(16))
            start = max(min(soon, week_end - timedelta(hours=6)), now + timedelta(hours=1))
            maker.upcoming(event_id, start, max(created, now - timedelta(days=3)))
            event_id += 1
        series_id += 1
        yield maker.rows
