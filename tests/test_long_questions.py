"""Check-in questions up to 150 characters: shortened where a platform's label is short (Discord,
45), and then shown whole beside the field; Slack and the console show them whole."""

from __future__ import annotations

from adapters.discord.render import modal as discord_modal
from adapters.discord.render import modal_values
from adapters.slack.render import modal as slack_modal
from bot.ui import MAX_FIELD_LABEL, Form, ShowForm, short_label
from tests.factories import Harness

LONG = (
    "What did you learn this week that you would like to share with the group, and what "
    "would you like to try next time, and with whom would you try it?"
)


async def long_form(harness: Harness) -> Form:
    await harness.post("bob")
    added = await harness.say(
        f'checkin add name:learn schedule:"daily 09:00" questions:"{LONG}|Blocked?"'
    )
    assert added.startswith("✅ Check-in created"), added
    await harness.say("checkin run 1")
    opened = await harness.click("answer:occurrence:1", "bob")
    assert isinstance(opened[0], ShowForm)
    return opened[0].form


def test_a_label_is_cut_at_a_word_boundary() -> None:
    assert len(LONG) == 147
    label = short_label(LONG)
    assert label == "What did you learn this week that you would…"
    assert len(label) <= MAX_FIELD_LABEL and LONG.startswith(label[:-1])
    assert short_label("Blocked?") == "Blocked?"
    one_word = "x" * 60
    assert short_label(one_word) == "x" * 44 + "…"  # no boundary to cut at: cut through


async def test_a_long_question_is_shortened_in_the_label_and_kept_whole(harness: Harness) -> None:
    form = await long_form(harness)
    first, second = form.fields
    assert first.label == "What did you learn this week that you would…"
    assert first.description == LONG and first.text == LONG
    assert (second.label, second.description) == ("Blocked?", "")


async def test_slack_shows_the_whole_question_as_the_label(harness: Harness) -> None:
    view = slack_modal(await long_form(harness))
    assert [b["label"]["text"] for b in view["blocks"]] == [LONG, "Blocked?"]


async def test_discord_shows_the_whole_question_with_the_field(harness: Harness) -> None:
    shown = discord_modal(await long_form(harness)).to_dict()
    labelled, plain = shown["components"]
    assert labelled["type"] == 18  # a Label component: short label, description below
    assert labelled["label"] == "What did you learn this week that you would…"
    description, placeholder = labelled["description"], labelled["component"]["placeholder"]
    assert len(description) <= 100 and len(placeholder) <= 100
    # Description and placeholder together are the whole question, nothing left out.
    assert description[:-1] + placeholder[1:] == LONG or (
        description[:-1] + " " + placeholder[1:] == LONG
    )
    assert labelled["component"].get("label") is None  # the Label carries it
    assert plain["components"][0]["label"] == "Blocked?"
    submitted = {
        "components": [
            {"type": 18, "component": {"type": 4, "custom_id": "q1", "value": "plenty"}},
            {"type": 1, "components": [{"type": 4, "custom_id": "q2", "value": "no"}]},
        ]
    }
    assert modal_values(submitted) == {"q1": "plenty", "q2": "no"}


async def test_a_question_over_150_characters_is_refused(harness: Harness) -> None:
    refused = await harness.say(
        f'checkin add name:s schedule:"daily 09:00" questions:"{"Why " * 38}?"'
    )
    assert "Question 1 is 153 characters; keep each question to 150." in refused
