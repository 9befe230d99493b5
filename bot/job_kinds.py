"""Gathers every capability's job kinds into the one registry the scheduler serves."""

from __future__ import annotations

from bot.jobs import JobRegistry
from bot.usecases import (
    checkin_jobs,
    event_jobs,
    launch_roster,
    nudge_jobs,
    outbox_jobs,
    pair_jobs,
    prompt_jobs,
    report_jobs,
    survey_jobs,
)


def build_registry() -> JobRegistry:
    """The registry of every job kind copbot knows."""
    return JobRegistry(
        [
            *checkin_jobs.JOBS,
            *prompt_jobs.JOBS,
            *event_jobs.JOBS,
            *nudge_jobs.JOBS,
            *launch_roster.JOBS,
            *pair_jobs.JOBS,
            *report_jobs.JOBS,
            *survey_jobs.JOBS,
            *outbox_jobs.JOBS,
        ]
    )
