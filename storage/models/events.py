"""Events (meetings, webinars): each occurrence, its series, who answers and who came."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.models.base import ts


class EventSeries(SQLModel, table=True):
    """A repeating event: its occurrences are made one at a time, each when the one before
    starts, so that moving the rhythm or cancelling it touches one future row."""

    __tablename__ = "event_series"
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    repeat: str = Field(max_length=16)  # weekly | biweekly | monthly
    # The first start as given, and its zone: every occurrence's nominal time counts from it
    # (its wall time kept across DST), before any rotation moves it.
    first_start: datetime = ts(nullable=False)
    timezone: str = Field(max_length=64)
    # Zones whose working hours the occurrences take in turn ("Europe/Berlin,America/New_York");
    # empty: every occurrence keeps the first one's local time in ``timezone``.
    rotate: str = Field(default="", max_length=500)
    status: str = Field(default="active", max_length=16)  # active | ended
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = ts(nullable=False)


class Event(SQLModel, table=True):
    """One event (or one occurrence of a series): announced in a channel, with RSVPs."""

    __table_args__ = (
        Index("ix_event_community_start", "community_id", "start_at"),
        # Who joins a voice channel is matched against the events held there, as they happen.
        Index("ix_event_voice_start", "voice_channel", "start_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id")
    series_id: int | None = Field(default=None, foreign_key="event_series.id", index=True)
    # Its place in the series (0 for the first, and for an event on its own).
    position: int = 0
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=1000)
    link: str = Field(default="", max_length=500)
    start_at: datetime = ts(nullable=False)
    duration_minutes: int = 60
    # The zone the start was given in (echoed back, and the .ics file's TZID).
    timezone: str = Field(max_length=64)
    # For an occurrence of a rotating series: the region whose working hours it falls in.
    region: str = Field(default="", max_length=64)
    # Where it is announced.
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    channel: str = Field(max_length=64)
    status: str = Field(default="scheduled", max_length=16)  # scheduled | cancelled
    # The iCalendar SEQUENCE: bumped on every change people's calendars must follow.
    sequence: int = 0
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = ts(nullable=False)
    updated_at: datetime = ts(nullable=False)
    # The outbox row of its announcement (edited in place as answers come) and, on Discord,
    # of its native scheduled event (whose sent id is the platform's scheduled event id).
    announce_key: str | None = Field(default=None, max_length=200)
    native_key: str | None = Field(default=None, max_length=200)
    # On Discord: the voice or stage channel it is held in, whose members are counted as come.
    voice_channel: str | None = Field(default=None, max_length=64)


class EventRsvp(SQLModel, table=True):
    """A member's current answer to an event; every answer given is also a ledger row."""

    __tablename__ = "event_rsvp"
    event_id: int = Field(foreign_key="event.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    answer: str = Field(max_length=8)  # going | maybe | no
    # button, or interested (Discord's native event): a button answer outranks an interest.
    source: str = Field(default="button", max_length=12)
    answered_at: datetime = ts(nullable=False)


class EventAttendance(SQLModel, table=True):
    """A member who came to an event, as a facilitator recorded it (or Discord's voice channel)."""

    __tablename__ = "event_attendance"
    event_id: int = Field(foreign_key="event.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    how: str = Field(default="facilitator", max_length=12)  # facilitator | voice
    recorded_by: int | None = Field(default=None, foreign_key="member.id")
    recorded_at: datetime = ts(nullable=False)
