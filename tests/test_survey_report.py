"""Surveys in the weekly report: the Summary's survey responses and a Surveys row per survey,
with its response rate and scale means; an anonymous survey names no one in the workbook."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Community
from storage.report_data import report_data
from storage.report_week import ReportWeek
from tests.factories import Harness
from tests.test_nudges import harness as harness
from tests.test_survey_anonymity import SECRET
from tests.test_surveys import answer
from tests.workbook_reading import read, row_of, rows


async def test_the_report_counts_responses_and_names_no_one(harness: Harness) -> None:
    for user in ("bob", "carol", "dave"):
        await harness.post(user)
    await harness.say(
        'survey add title:"Pulse" anonymous:yes closes:2026-12-20 '
        'questions:"How useful? (scale 1-5)|Why? (text)"'
    )
    await harness.say('survey add title:"Named one" questions:"Rate it (scale 0-10)"')
    await answer(harness, 1, "bob", {"q1": "4", "q2": SECRET})
    await answer(harness, 1, "carol", {"q1": "5", "q2": "fine"})
    await answer(harness, 2, "dave", {"q1": "7"})
    await answer(harness, 2, "dave", {"q1": "8"})  # changed: counted once
    async with harness.store.read() as session:
        community = (await session.exec(select(Community))).one()
        assert community.id is not None
        week = ReportWeek.containing(harness.clock.now(), community.timezone)
        data = await report_data(
            session=session, community_id=community.id, week=week, now=harness.clock.now()
        )
    assert data.this_week.survey_responses == 3
    assert "survey responses" in {d.metric for d in data.definitions}
    assert "Surveys" not in data.notes
    wb = read(data)
    pulse = row_of(wb, "Surveys", "Pulse")
    assert pulse[1:5] == ("Yes", 4, 2, 0.5) and pulse[7:] == ("Open", "Q1 4.5")
    named = row_of(wb, "Surveys", "Named one")
    assert named[1:5] == ("No", 4, 1, 0.25) and named[8] == "Q1 8.0"
    shown = [str(c) for ws in wb.sheetnames for r in rows(wb, ws) for c in r if c is not None]
    assert not any(SECRET in c for c in shown)  # answers' text stays out of the workbook
    surveys = [c for r in rows(wb, "Surveys") for c in r if c is not None]
    assert not {"bob", "carol"} & {str(c) for c in surveys}
