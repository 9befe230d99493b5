"""The key figures of a week, in the order the Summary and Trends sheets show them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reports.cells import CHANGE, INTEGER, MINUTES, PERCENT, POINTS
from storage.report_rows import WeekFigures


@dataclass(frozen=True)
class Figure:
    """One key figure: its label, how to read it from a week, its number format and its change's."""

    label: str
    read: Callable[[WeekFigures], float | None]
    fmt: str = INTEGER
    change_fmt: str = CHANGE


KEY_FIGURES: tuple[Figure, ...] = (
    Figure("Members", lambda w: w.members),
    Figure("Active members", lambda w: w.active),
    Figure("Peripheral members", lambda w: w.peripheral),
    Figure("Inactive members", lambda w: w.inactive),
    Figure("New members", lambda w: w.new),
    Figure("Returning members", lambda w: w.returning),
    Figure("Churned members", lambda w: w.churned),
    Figure("Messages", lambda w: w.messages),
    Figure("Thread replies", lambda w: w.replies),
    Figure("Contributions", lambda w: w.contributions),
    Figure("Reactions", lambda w: w.reactions),
    Figure("Check-ins sent", lambda w: w.checkins_sent),
    Figure("Check-ins answered", lambda w: w.checkins_answered),
    Figure("Check-in response rate", lambda w: w.response_rate, PERCENT, POINTS),
    Figure(
        "Median first reply (minutes)",
        lambda w: w.median_first_reply_minutes,
        MINUTES,
        "+0.0;-0.0;0.0",
    ),
    Figure("Prompt replies", lambda w: w.prompt_replies),
    Figure("Prompt repliers", lambda w: w.prompt_repliers),
    Figure("Events held", lambda w: w.events_held),
    Figure("Event attendance", lambda w: w.event_attendance),
    Figure("Nudges sent", lambda w: w.nudges_sent),
    Figure("Members welcomed", lambda w: w.members_welcomed),
    Figure("Pairing groups made", lambda w: w.pair_groups),
    Figure("Members paired", lambda w: w.members_paired),
    Figure("Survey responses", lambda w: w.survey_responses),
)


def change(now: float | None, before: float | None) -> float | None:
    """This week's figure less last week's; None when either is missing."""
    if now is None or before is None:
        return None
    return now - before
