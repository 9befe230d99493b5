"""An anonymous survey keeps only that a member answered: every table is read after an answer
and none links the member to what they said."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.ui import ShowForm
from storage.models import Member, SurveyResponse, metadata
from tests.factories import Harness, text_of
from tests.test_nudges import harness as harness

SECRET = "the-secret-answer-text"


async def every_row(harness: Harness) -> dict[str, list[dict[str, Any]]]:
    async with harness.store.read() as session:
        conn = await session.connection()
        return {
            table.name: [dict(r._mapping) for r in (await conn.execute(select(table))).all()]
            for table in metadata.sorted_tables
        }


async def test_no_table_links_a_member_to_their_anonymous_answer(harness: Harness) -> None:
    for user in ("bob", "carol"):
        await harness.post(user)
    questions = "|".join([*(f"Q{n}? (scale 1-5)" for n in range(1, 6)), "Why? (text)"])
    await harness.say(f'survey add title:"Pulse" anonymous:yes questions:"{questions}"')
    shown = next(
        r for r in await harness.click("answer:survey:1", "bob") if isinstance(r, ShowForm)
    )
    assert "cannot be changed" in shown.form.note and shown.form.fields[0].initial == ""
    page = await harness.submit(shown.form.form_id, {f"q{n}": "4" for n in range(1, 6)}, "bob")
    last = next(r for r in page if isinstance(r, ShowForm)).form
    done = text_of(await harness.submit(last.form_id, {"q6": SECRET}, "bob"))
    assert "Anonymous answers cannot be changed." in done
    rows = await every_row(harness)
    async with harness.store.read() as session:
        bob = (await session.exec(select(Member).where(Member.display_name == "bob"))).scalar_one()
        response = (await session.exec(select(SurveyResponse))).scalar_one()
    # The response names no one and keeps only a day; its key is random, not a number.
    assert response.member_id is None and type(response.answered_on) is date
    assert not response.id.isdigit() and len(response.id) == 32
    assert rows["survey_draft"] == []  # the first page's answers went with the last page
    for name, table in rows.items():
        for row in table:
            values = [str(v) for v in row.values() if v is not None]
            holds_answer = any(response.id in v or SECRET in v for v in values)
            if holds_answer:
                assert name in ("survey_response", "survey_answer"), (name, row)
                assert all(row[c] is None for c in row if "member" in c), (name, row)
            names_bob = any(row[c] == bob.id for c in row if "member" in c or c == "created_by")
            assert not (names_bob and holds_answer), (name, row)
    assert {tuple(r) for r in rows["survey_answer"]} == {
        ("response_id", "question", "survey_id", "number", "choice", "text")
    }
    assert sorted(rows["survey_recipient"], key=lambda r: r["member_id"]) == [
        {"survey_id": 1, "member_id": m, "answered": m == bob.id}
        for m in sorted(r["member_id"] for r in rows["survey_recipient"])
    ]
    ledger = [r for r in rows["ledger"] if r["kind"] == "survey"]
    assert len(ledger) == 1 and response.id not in ledger[0]["event_id"]
    # Counted, but without the member: its exact time would name them otherwise.
    assert ledger[0]["member_id"] is None
    # A second answer is refused, saying why, and changes nothing.
    again = text_of(await harness.click("answer:survey:1", "bob"))
    assert "It is anonymous, so nothing links your answers to you" in again
    assert "cannot be changed" in again
    after = await every_row(harness)
    assert all(
        sorted(map(repr, after[name])) == sorted(map(repr, table)) for name, table in rows.items()
    )
    # The results name no one.
    results = await harness.say("survey results 1")
    assert SECRET in results and "bob" not in results
