"""Every ``/cop`` command, declared once: parser, help and permission checks all read this."""

from __future__ import annotations

from bot.commands.parser import CommandCatalog
from bot.commands.spec import Command, Option, Role
from bot.ui import MAX_FORM_FIELDS
from bot.usecases import (
    charter,
    checkins,
    events,
    help,
    links,
    me,
    nudges,
    pairing,
    phase,
    pilot,
    plans,
    prompts,
    reports,
    resources,
    roles,
    stories,
    surveys,
    welcome,
)
from bot.usecases.checkin_run import AUDIENCES, VIA

FACILITATORS = frozenset({Role.FACILITATOR})
# Check-in questions may be up to 150 characters each, at most 5 of them, separated by " | ".
QUESTION_LENGTH = 150
QUESTIONS_LENGTH = MAX_FORM_FIELDS * (QUESTION_LENGTH + 3)
_ID = Option("id", "integer", "the check-in's number, from `/cop checkin list`", True, True)
_WHO_AND_ROLE = (
    Option("user", "user", "who", True, True),
    Option("role", "choice", "which role", True, True, ("facilitator", "lead")),
)
_CONFIRM = Option("confirm", "yesno", "yes: go ahead, once told what will happen")
_ZONE = Option(
    "zone", "timezone", "an Area/City name like Europe/Berlin", True, True, shown="Area/City"
)


def build_catalog() -> CommandCatalog:
    """The command catalog."""
    return CommandCatalog(
        [
            Command(
                "help",
                None,
                "what I can do, for your role",
                help.show_help,
                (
                    Option(
                        "topic",
                        help="a command group, e.g. checkin",
                        positional=True,
                        max_length=40,
                    ),
                ),
                writes=False,
            ),
            Command(
                "about",
                None,
                "the community's charter and rhythm",
                charter.show_about,
                writes=False,
            ),
            Command("me", None, "your participation and your settings", me.show_me, writes=False),
            Command(
                "tz",
                None,
                "set your timezone (for check-ins set to each member's local time)",
                me.set_timezone,
                (_ZONE,),
                changes_schedules=True,
            ),
            Command(
                "away",
                None,
                "pause check-ins for me until a date, or `off` to resume",
                me.set_away,
                (
                    Option("state", "choice", "off: I am back", positional=True, choices=("off",)),
                    Option("until", "date", "the last day I am away (YYYY-MM-DD)"),
                ),
            ),
            Command(
                "privacy",
                "status",
                "is my participation tracked?",
                me.privacy_status,
                writes=False,
            ),
            Command(
                "privacy",
                "optout",
                "stop tracking me (anonymous totals only)",
                me.privacy_optout,
                (_CONFIRM,),
            ),
            Command("privacy", "optin", "resume tracking me", me.privacy_optin),
            Command(
                "charter",
                None,
                "edit the charter: audience, domain, purpose, goals, outcomes",
                charter.open_charter,
                allowed=FACILITATORS,
                writes=False,
            ),
            Command(
                "checkin",
                "add",
                "create a recurring check-in",
                checkins.add_checkin,
                (
                    Option(
                        "name",
                        help="a short name, shown as the form's title",
                        required=True,
                        max_length=24,
                    ),
                    Option(
                        "schedule",
                        help='e.g. "daily 09:00", "mon,thu 17:00", "cron 0 9 * * 1"',
                        required=True,
                        max_length=120,
                        shown="<schedule>",
                    ),
                    Option(
                        "questions",
                        help="1 to 5 questions separated by |",
                        required=True,
                        max_length=QUESTIONS_LENGTH,
                        shown="Q1|Q2|Q3",
                    ),
                    Option(
                        "audience",
                        "choice",
                        "who is asked (members follows the pilot phase)",
                        choices=AUDIENCES,
                        default="members",
                    ),
                    Option(
                        "local_time",
                        "yesno",
                        "ask at this hour in each member's timezone",
                        default=False,
                    ),
                    Option("share", "channel", "post the answers in a thread in this channel"),
                    Option(
                        "via",
                        "choice",
                        "dm: a DM to each member; channel: one post in share",
                        choices=VIA,
                        default="dm",
                    ),
                ),
                allowed=FACILITATORS,
                changes_schedules=True,
            ),
            Command(
                "upcoming",
                None,
                "what copbot will send in the next 7 days",
                checkins.show_upcoming,
                allowed=FACILITATORS,
                writes=False,
            ),
            Command(
                "checkin",
                "list",
                "the check-ins and how they go",
                checkins.list_checkins,
                allowed=FACILITATORS,
                writes=False,
            ),
            Command(
                "checkin",
                "pause",
                "pause a check-in",
                checkins.pause_checkin,
                (_ID,),
                allowed=FACILITATORS,
                changes_schedules=True,
            ),
            Command(
                "checkin",
                "resume",
                "resume a paused check-in",
                checkins.resume_checkin,
                (_ID,),
                allowed=FACILITATORS,
                changes_schedules=True,
            ),
            Command(
                "checkin",
                "delete",
                "delete a check-in (answers stay)",
                checkins.delete_checkin,
                (_ID, _CONFIRM),
                allowed=FACILITATORS,
                changes_schedules=True,
            ),
            Command(
                "checkin",
                "run",
                "run a check-in now",
                checkins.run_now,
                (_ID, _CONFIRM),
                allowed=FACILITATORS,
                # It schedules the reminder of the run.
                changes_schedules=True,
            ),
            Command(
                "role",
                "add",
                "make someone a facilitator or a lead",
                roles.add_role,
                _WHO_AND_ROLE,
                allowed=FACILITATORS,
            ),
            Command(
                "role",
                "remove",
                "take a role away",
                roles.remove_role,
                _WHO_AND_ROLE,
                allowed=FACILITATORS,
            ),
            Command(
                "role",
                "list",
                "who facilitates and who leads",
                roles.list_roles,
                allowed=FACILITATORS,
                writes=False,
            ),
            # Capabilities declare their commands beside their use cases.
            *prompts.COMMANDS,
            *events.COMMANDS,
            *nudges.COMMANDS,
            *reports.COMMANDS,
            *links.COMMANDS,
            *pairing.COMMANDS,
            *surveys.COMMANDS,
            *resources.COMMANDS,
            *stories.COMMANDS,
            *welcome.COMMANDS,
            *phase.COMMANDS,
            *pilot.COMMANDS,
            *plans.COMMANDS,
        ]
    )
