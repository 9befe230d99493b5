"""Every outbox key copbot builds, and the kinds and subjects its rows are filed under.

A key makes a message unique (enqueued twice, sent once); the kind and subject let pending
messages be withdrawn by indexed columns instead of patterns over keys.
"""

from __future__ import annotations

from datetime import datetime

from bot.jobs import firing_key

CHECKIN_ASK = "checkin-ask"
CHECKIN_REMINDER = "checkin-reminder"
CHECKIN_SHARE = "checkin-share"
CHECKIN_ANSWER = "checkin-answer"
CHECKIN_ANSWER_EDIT = "checkin-answer-edit"


def occurrence_key(checkin_id: int, scheduled_for: datetime, zone: str | None = None) -> str:
    """The idempotency key of a check-in's firing at a given minute (and, for local time, zone):
    its job's firing key, so that a manual run and a scheduled one of one minute agree."""
    return firing_key("checkin", str(checkin_id), scheduled_for, zone)


def ask_key(occurrence_key: str, platform: str, workspace: str, user: str) -> str:
    """The outbox key of the DM that asks one member to answer an occurrence."""
    return f"{occurrence_key}:{platform}:{workspace}:{user}"


def reminder_key(occurrence_key: str, platform: str, workspace: str, user: str) -> str:
    """The outbox key of the one reminder a member may get for an occurrence."""
    return f"{occurrence_key}:remind:{platform}:{workspace}:{user}"


def share_key(occurrence_key: str) -> str:
    """The outbox key of the channel message whose thread collects an occurrence's answers."""
    return f"{occurrence_key}:thread"


def answer_key(occurrence_key: str, member_id: int) -> str:
    """The outbox key of one member's answers, posted in the occurrence's thread."""
    return f"{share_key(occurrence_key)}:{member_id}"


def answer_part_key(occurrence_key: str, member_id: int, part: int) -> str:
    """The outbox key of one part of a member's shared answers (the first is the whole, most
    often)."""
    first = answer_key(occurrence_key, member_id)
    return first if part == 1 else f"{first}:part{part}"


def answer_edit_key(shared_key: str, at: datetime) -> str:
    """The outbox key of one edit of shared answers: a revision per edit (the instant it was
    made, in microseconds), so that a second edit is a row of its own."""
    return f"{shared_key}:edit:{round(at.timestamp() * 1_000_000)}"


def checkin_subject(checkin_id: int | None) -> str:
    """The subject that files a check-in's messages: its id."""
    return str(checkin_id)


REPORT_WEEKLY = "report-weekly"
REPORT_ASKED = "report-asked"


def report_key(community_id: int, week: str, platform: str, workspace: str, user: str) -> str:
    """The outbox key of one reader's weekly report: once per community, week and reader, so
    that a restart or a second process never sends it twice."""
    return f"report:{community_id}:{week}:{platform}:{workspace}:{user}"


def asked_report_key(weekly_key: str, asked: datetime) -> str:
    """The outbox key of a report someone asked for with ``/cop report``: one per minute asked
    (a retried command sends it once; asking again later sends it again)."""
    return f"{weekly_key}:asked:{asked:%Y-%m-%dT%H:%M}"


PROMPT_POST = "prompt-post"
PROMPT_EMPTY = "prompt-empty"


def prompt_key(prompt_id: int) -> str:
    """The outbox key of a prompt's post: a prompt is posted once."""
    return f"prompt:{prompt_id}"


def prompt_empty_key(
    community_id: int, due: datetime, platform: str, workspace: str, user: str
) -> str:
    """The outbox key of the DM that tells a facilitator the prompt queue ran dry."""
    return f"prompt-empty:{community_id}:{due:%Y-%m-%dT%H:%M}:{platform}:{workspace}:{user}"


EVENT_ANNOUNCE = "event-announce"
EVENT_EDIT = "event-edit"
EVENT_NATIVE = "event-native"
EVENT_REMINDER = "event-reminder"
EVENT_NOTICE = "event-notice"  # a change told to those going: moved, cancelled
EVENT_CALENDAR = "event-calendar"  # the .ics file sent to whoever asked for it


def event_key(event_id: int) -> str:
    """The outbox key of an event's announcement: an event is announced once."""
    return f"event:{event_id}"


def event_native_key(event_id: int) -> str:
    """The outbox key of an event's native scheduled event (Discord): created once."""
    return f"event:{event_id}:native"


def event_edit_key(original_key: str, at: datetime, state: str) -> str:
    """The outbox key of one edit of an announcement or native event: one per instant and
    state shown (two clicks in one instant that leave different counts are two edits)."""
    return f"{original_key}:edit:{round(at.timestamp() * 1_000_000)}:{state}"


def event_reminder_key(
    event_id: int, sequence: int, before_seconds: int, platform: str, workspace: str, user: str
) -> str:
    """The outbox key of one reminder to one member: once per event version and offset, so that
    a restart repeats none and a moved event reminds again for its new time."""
    return f"event:{event_id}:v{sequence}:remind{before_seconds}s:{platform}:{workspace}:{user}"


def event_notice_key(event_id: int, sequence: int, platform: str, workspace: str, user: str) -> str:
    """The outbox key of the DM telling one member that an event moved or was cancelled."""
    return f"event:{event_id}:v{sequence}:notice:{platform}:{workspace}:{user}"


def event_calendar_key(event_id: int, sequence: int, member_id: int, at: datetime) -> str:
    """The outbox key of a calendar file sent to a member who pressed *Add to calendar*: one per
    minute asked (a double click sends one)."""
    return f"event:{event_id}:v{sequence}:ics:{member_id}:{at:%Y-%m-%dT%H:%M}"


NUDGE = "nudge"
# A member is nudged at most once per window of four weeks (28 days counted from the epoch).
NUDGE_WINDOW_DAYS = 28


def nudge_key(community_id: int, member_id: int, at: datetime) -> str:
    """The outbox key of one member's nudge: once per four-week window, so that a retried or
    doubled send, by hand or on the rhythm, sends it once."""
    window = int(at.timestamp() // (NUDGE_WINDOW_DAYS * 86400))
    return f"nudge:{community_id}:{member_id}:w{window}"


WELCOME = "welcome"
LAUNCH_ANNOUNCE = "launch-announce"


def welcome_key(community_id: int, member_id: int) -> str:
    """A member's welcome DM: one per member ever, whatever caused it."""
    return f"{welcome_key_prefix(community_id)}{member_id}"


def welcome_key_prefix(community_id: int) -> str:
    """What every welcome key of a community starts with (the member's id follows), for the
    one statement that records many welcomes at once."""
    return f"welcome:{community_id}:"


def launch_key(community_id: int, platform: str, workspace: str, channel: str) -> str:
    """The launch announcement in one home channel (a community launches once)."""
    return f"launch:{community_id}:{platform}:{workspace}:{channel}"


PAIR_INTRO = "pair-intro"


def pair_intro_key(round_key: str, group: int) -> str:
    """The introduction of one group of a pairing round."""
    return f"pair:{round_key}:{group}"


SURVEY_ASK = "survey-ask"
SURVEY_REMINDER = "survey-reminder"
SURVEY_RESULTS = "survey-results"


def survey_key(survey_id: int, what: str, platform: str, workspace: str, user: str) -> str:
    """The outbox key of one survey DM to one person (``ask``, ``remind`` or ``results``): each
    is sent once."""
    return f"survey:{survey_id}:{what}:{platform}:{workspace}:{user}"


NOMINATION = "nomination"


def nomination_key(kind: str, platform: str, workspace: str, message_ref: str) -> str:
    """The one question a message's author gets about it, for one kind (resource, story)."""
    return f"nominate:{kind}:{platform}:{workspace}:{message_ref}"
