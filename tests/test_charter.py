"""The charter form and ``/cop about``."""

from __future__ import annotations

from bot.ui import FormErrors, ShowForm
from tests.factories import Harness, text_of


async def test_about_before_a_charter_is_written(harness: Harness) -> None:
    assert await harness.say("about", user="bob") == (
        "*demo*, a community of practice. Its charter has not been written yet."
    )
    assert "Write it with `/cop charter`." in await harness.say("about")


async def test_a_facilitator_writes_the_charter_and_members_read_it(harness: Harness) -> None:
    opened = await harness.cmd("charter")
    assert isinstance(opened[0], ShowForm)
    form = opened[0].form
    assert form.title == "Community charter"
    assert [f.name for f in form.fields] == ["audience", "domain", "purpose", "goals", "outcomes"]
    saved = await harness.submit(
        form.form_id, {"audience": "Data engineers", "purpose": "Learn together"}, "alice"
    )
    assert text_of(saved) == "✅ Charter saved. Members see it with `/cop about`."
    await harness.say('checkin add name:standup schedule:"weekdays 09:30" questions:Q')
    about = await harness.say("about", user="bob")
    assert "Audience: Data engineers" in about and "Purpose: Learn together" in about
    assert "Rhythm: standup check-in, every weekday at 09:30 Europe/Berlin" in about
    refilled = (await harness.cmd("charter"))[0].form  # type: ignore[union-attr]
    assert refilled.fields[0].initial == "Data engineers"


async def test_an_overlong_field_is_refused(harness: Harness) -> None:
    form = (await harness.cmd("charter"))[0].form  # type: ignore[union-attr]
    typed = {"audience": "Data engineers", "goals": "x" * 1001}
    refused = await harness.submit(form.form_id, typed, "alice")
    assert isinstance(refused[0], FormErrors) and refused[0].errors[0][0] == "goals"
    assert refused[0].form.fields[0].initial == "Data engineers"  # what they typed is kept
    assert "has not been written yet" in await harness.say("about", user="bob")
