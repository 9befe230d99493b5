"""The demo's surveys: last quarter's anonymous evaluation and a recent feedback survey, in the
report's Surveys sheet and its survey responses, answers stored as copbot stores them."""

from __future__ import annotations

from reports.demo_history import write_history
from storage.engine import Store
from storage.report_data import report_data
from tests.sql_rows import rows
from tests.test_demo_history import NOW
from tests.workbook_reading import read
from tests.workbook_reading import rows as sheet_rows


async def test_the_demo_has_an_evaluation_and_a_feedback_survey(store: Store) -> None:
    history = await write_history(store, now=NOW)
    async with store.read() as session:
        data = await report_data(
            session=session,
            community_id=history.community_id,
            week=history.last_full_week,
            now=NOW,
        )
    evaluation, feedback = sorted(data.surveys, key=lambda s: s.opens_at)
    assert evaluation.title == "Quarterly evaluation" and evaluation.anonymous
    assert evaluation.status == "closed" and feedback.status == "open"
    for survey in (evaluation, feedback):
        assert 0 < survey.responses < survey.sent and survey.scale_means.startswith("Q1 ")
    assert sum(week.survey_responses for week in data.trends) >= evaluation.responses
    named = await rows(
        store,
        "SELECT COUNT(*) FROM survey_response r JOIN survey s ON s.id = r.survey_id "
        "WHERE s.anonymous AND r.member_id IS NOT NULL",
    )
    assert named == [(0,)]
    surveys = {str(c) for r in sheet_rows(read(data), "Surveys") for c in r if c is not None}
    assert (
        "Quarterly evaluation" in surveys and not {m.display_name for m in data.members} & surveys
    )
