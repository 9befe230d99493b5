"""A survey answered on the console: choices picked by number or by text, a second page, an
answer out of range asked again."""

from __future__ import annotations

import re

from tests.factories import Harness
from tests.test_console_session import console, typed

QUESTIONS = "|".join(
    [
        "How useful? (scale 1-5)",
        "Pick one (choice: red,green,blue)",
        *(f"Q{n}? (text)" for n in range(3, 6)),
        "Last one? (scale 0-10)",
    ]
)


async def test_a_member_answers_a_paged_survey_on_the_console(harness: Harness) -> None:
    session = console(harness)
    await harness.post("bob")
    await typed(session, harness, f'/cop survey add title:"Feedback" questions:"{QUESTIONS}"')
    await typed(session, harness, ":as bob")
    await harness.deliver()
    dm = harness.out.getvalue().split("📋 *Feedback*")[-1]
    button = re.findall(r"\[(\d+)\] Answer", dm)[0]
    opened = await typed(session, harness, f":click {button}")
    assert "[form] Feedback 1/2: 5 fields." in opened
    assert "You can change your answers until the survey closes. Page 1 of 2." in opened
    assert "1/5 How useful?" in opened and "pick one: 1  2  3  4  5" in opened
    picked = await typed(session, harness, "4", "green", "a", "b", "c")
    assert "pick one: 1) red  2) green  3) blue" in opened + picked
    assert "[form] Feedback 2/2: 1 field." in picked
    refused = await typed(session, harness, "11")
    assert "⚠️ Last one?: Pick a number from 0 to 10." in refused
    done = await typed(session, harness, "10")
    assert "🙏 Thanks, bob! Your answers to *Feedback* are in." in done
    results = await typed(session, harness, ":as alice", "/cop survey results 1")
    assert "1. How useful? (scale 1-5): 1 answer, mean 4, median 4; 4: 1" in results
    assert "2. Pick one: red: 0 · green: 1 · blue: 0" in results
    assert "6. Last one? (scale 0-10): 1 answer, mean 10, median 10; 10: 1" in results
