"""One week's report for one community, from the metric queries (``storage/metrics_*.py``)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from statistics import fmean
from typing import TypedDict

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import (
    metrics_activity,
    metrics_attention,
    metrics_checkins,
    metrics_cohorts,
    metrics_events,
    metrics_knowledge,
    metrics_members,
    metrics_nudges,
    metrics_onboarding,
    metrics_pairing,
    metrics_prompts,
    metrics_regions,
    metrics_replies,
    metrics_surveys,
    metrics_turnover,
    metrics_weeks,
)
from storage.charter import charter_of
from storage.metrics_sql import Weeks
from storage.models import Community
from storage.report_rows import Charter, Definition, ReportData, WeekFigures
from storage.report_week import ReportWeek

TREND_WEEKS = 12
AVERAGED = 4
# The capabilities still to come: their sheets exist and say so until they have rows.
NOTES = {
    "Prompts": "No prompts yet.",
    "Events": "No events yet.",
    "Surveys": "No surveys yet.",
    "Stories": "No stories yet.",
    "Resources": "No resources yet.",
}
DEFINITIONS: tuple[Definition, ...] = (
    *metrics_weeks.DEFINITIONS,
    *metrics_turnover.DEFINITIONS,
    *metrics_members.DEFINITIONS,
    *metrics_checkins.DEFINITIONS,
    *metrics_replies.DEFINITIONS,
    *metrics_prompts.DEFINITIONS,
    *metrics_events.DEFINITIONS,
    *metrics_nudges.DEFINITIONS,
    *metrics_onboarding.DEFINITIONS,
    *metrics_pairing.DEFINITIONS,
    *metrics_surveys.DEFINITIONS,
    *metrics_regions.DEFINITIONS,
    *metrics_cohorts.DEFINITIONS,
    *metrics_activity.DEFINITIONS,
    *metrics_attention.DEFINITIONS,
)


class _On(TypedDict):
    """What every metric query is asked about: a session, a community and a run of weeks."""

    session: AsyncSession
    community_id: int
    weeks: Weeks


async def report_data(
    *, session: AsyncSession, community_id: int, week: ReportWeek, now: datetime
) -> ReportData:
    """Everything one week's report shows: the week's figures, 12 weeks of trends, members,
    check-ins, cohorts, the activity heat map and what needs attention."""
    community = await session.get(Community, community_id)
    if community is None:
        raise LookupError(f"no community {community_id}")
    weeks = Weeks(week, community.timezone, TREND_WEEKS)
    on: _On = {"session": session, "community_id": community_id, "weeks": weeks}
    trends = await _trends(session, community_id, weeks)
    checkins = await metrics_checkins.checkin_rows(**on)
    member_checkins = await metrics_checkins.member_checkins(**on)
    member_prompts = await metrics_prompts.member_prompt_replies(**on)
    prompts = await metrics_prompts.prompt_rows(**on)
    member_events = await metrics_events.member_events_attended(**on)
    events = await metrics_events.event_rows(**on)
    surveys = await metrics_surveys.survey_rows(**on)
    written = await charter_of(session=session, community_id=community_id)
    resources = await metrics_knowledge.resource_rows(**on)
    stories = await metrics_knowledge.story_rows(**on)
    return ReportData(
        community=community.name,
        timezone=community.timezone,
        week=week,
        generated_at=now,
        charter=_charter(written),
        this_week=trends[-1],
        last_week=trends[-2],
        four_week_average=_average(trends[-AVERAGED:]),
        trends=trends,
        levels=await metrics_members.levels(**on),
        members=await metrics_members.member_rows(
            **on,
            checkins=member_checkins,
            prompt_replies=member_prompts,
            events_attended=member_events,
        ),
        anonymous=await metrics_members.anonymous_totals(**on),
        checkins=checkins,
        cohorts=await metrics_cohorts.cohort_rows(**on),
        activity=await metrics_activity.activity_cells(**on),
        attention=await metrics_attention.attention(**on, now=now, checkins=checkins),
        definitions=list(DEFINITIONS),
        prompts=prompts,
        events=events,
        event_regions=await metrics_regions.region_rows(**on),
        surveys=surveys,
        resources=resources,
        stories=stories,
        notes=_notes(
            has_rows={
                "Prompts": bool(prompts),
                "Events": bool(events),
                "Surveys": bool(surveys),
                "Resources": bool(resources),
                "Stories": bool(stories),
            }
        ),
    )


async def week_figures(
    *, session: AsyncSession, community_id: int, week: ReportWeek
) -> tuple[WeekFigures, WeekFigures]:
    """A week's key figures and the week before's, as the report has them (``/cop stats``),
    without the rest of the report."""
    community = await session.get(Community, community_id)
    if community is None:
        raise LookupError(f"no community {community_id}")
    before, this = await _trends(session, community_id, Weeks(week, community.timezone, 2))
    return this, before


async def _trends(session: AsyncSession, community_id: int, weeks: Weeks) -> list[WeekFigures]:
    """The figures of each week of the run, oldest first: one query per kind of figure."""
    on: _On = {"session": session, "community_id": community_id, "weeks": weeks}
    acts = await metrics_weeks.acts_by_week(**on)
    people = await metrics_weeks.people_by_week(**on)
    known = await metrics_weeks.members_by_week(**on)
    turnover = await metrics_turnover.turnover_by_week(**on)
    checkins = await metrics_checkins.checkins_by_week(**on)
    medians = await metrics_replies.median_first_reply(**on)
    prompted = await metrics_prompts.prompt_replies_by_week(**on)
    held = await metrics_events.events_by_week(**on)
    nudged = await metrics_nudges.nudges_by_week(**on)
    welcomed = await metrics_onboarding.welcomes_by_week(**on)
    paired = await metrics_pairing.pairs_by_week(**on)
    surveyed = await metrics_surveys.surveys_by_week(**on)
    trends = []
    for index in reversed(range(weeks.count)):
        active = people.get(index, {}).get("active", 0)
        peripheral = people.get(index, {}).get("peripheral", 0)
        figures = {"messages": 0, "replies": 0, "reactions": 0}
        figures |= acts.get(index, {})
        figures |= {"checkins_sent": 0, "checkins_answered": 0} | checkins.get(index, {})
        figures |= prompted.get(index, {})
        figures |= held.get(index, {})
        figures |= nudged.get(index, {})
        figures |= welcomed.get(index, {})
        figures |= paired.get(index, {})
        figures |= surveyed.get(index, {})
        trends.append(
            WeekFigures(
                week=weeks.week.shifted(-index),
                members=known[index]["members"],
                active=active,
                peripheral=peripheral,
                # Tracked members known by then who did nothing (opted-out ones are anonymous).
                inactive=max(known[index]["tracked"] - active - peripheral, 0),
                median_first_reply_minutes=medians.get(index),
                **turnover[index],
                **figures,
            )
        )
    return trends


def _notes(*, has_rows: dict[str, bool]) -> dict[str, str]:
    """The notes of the sheets that have no rows yet."""
    return {sheet: note for sheet, note in NOTES.items() if not has_rows.get(sheet)}


def _average(weeks: list[WeekFigures]) -> WeekFigures:
    """Each count averaged over the weeks (rounded), the median's mean over the weeks that
    have one; named after the last week."""
    counts = {
        f.name: round(fmean(getattr(w, f.name) for w in weeks))
        for f in fields(WeekFigures)
        if f.type in ("int", int)
    }
    medians = [w.median_first_reply_minutes for w in weeks]
    answered = [m for m in medians if m is not None]
    return WeekFigures(
        week=weeks[-1].week,
        median_first_reply_minutes=fmean(answered) if answered else None,
        **counts,
    )


def _charter(written: object | None) -> Charter:
    """The charter's fields as the report shows them (empty when none is written)."""
    if written is None:
        return Charter()
    return Charter(**{f.name: getattr(written, f.name) or "" for f in fields(Charter)})
