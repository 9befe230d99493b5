"""A survey on the Slack stand-in: the DM with its Answer button, a modal with radio buttons, a
select and a text input, the next page in place of the first, and the answers counted."""

from __future__ import annotations

import json
from typing import Any

from tests.slack_kit import TEAM, button_payload, eventually
from tests.test_prompt_platforms import slack_says
from tests.test_slack import SlackStack
from tests.test_slack import stack as stack

QUESTIONS = "|".join(
    [
        "How useful? (scale 1-5)",
        "How likely to recommend? (scale 0-10)",
        "Pick one (choice: red,green,blue)",
        "Why? (text)",
        "Q5? (text)",
        "Q6? (text)",
    ]
)


def submitted(view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A view_submission of ``view`` with these values, shaped as each input sends them."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input" or block["block_id"] not in values:
            continue
        element, value = block["element"], values[block["block_id"]]
        if element["type"] == "plain_text_input":
            state[block["block_id"]] = {
                element["action_id"]: {"type": "plain_text_input", "value": value}
            }
        else:
            option = next(o for o in element["options"] if o["value"] == value)
            state[block["block_id"]] = {
                element["action_id"]: {"type": element["type"], "selected_option": option}
            }
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "UBOB", "team_id": TEAM},
        "view": {
            "type": "modal",
            "id": "V9",
            "hash": view["callback_id"],
            "callback_id": view["callback_id"],
            "title": view["title"],
            "state": {"values": state},
        },
    }


async def test_a_member_answers_a_survey_in_slack_modals(stack: SlackStack) -> None:
    fake = stack.fake
    await slack_says(stack, "survey list", "UBOB")  # Bob is known to copbot
    added = await slack_says(stack, f'survey add title:"Retro" questions:"{QUESTIONS}"')
    assert added.startswith("📋 Survey 1, *Retro*: 6 questions, sent to 2 members."), added
    await stack.harness.delivery.deliver_due()
    dms = [p for p in fake.calls_to("chat.postMessage") if "*Retro*: 6 questions" in p["text"]]
    assert len(dms) == 2
    dm = dms[0]
    buttons = [e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[0]["action_id"] == "answer:survey:1"
    await stack.slack.interaction(button_payload("answer:survey:1"))
    [opened] = await eventually(lambda: fake.calls_to("views.open"))
    view = opened["view"]
    assert view["title"]["text"] == "Retro 1/2" and view["submit"]["text"] == "Next"
    assert view["blocks"][0]["type"] == "context"
    kinds = [b["element"]["type"] for b in view["blocks"] if b["type"] == "input"]
    assert kinds == [
        "radio_buttons",
        "static_select",
        "radio_buttons",
        "plain_text_input",
        "plain_text_input",
    ]
    first = {"q1": "4", "q2": "9", "q3": "2", "q4": "Clear goals", "q5": "none"}
    status, body = await stack.slack.interaction(submitted(view, first))
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "update"
    second = answer["view"]
    assert (
        second["callback_id"].startswith("page:survey:1.2.") and second["submit"]["text"] == "Send"
    )
    assert [b["block_id"] for b in second["blocks"] if b["type"] == "input"] == ["q6"]
    status, body = await stack.slack.interaction(submitted(second, {"q6": "more"}))
    thanks = json.loads(body)
    assert thanks["response_action"] == "update"
    assert "Your answers to *Retro* are in." in json.dumps(thanks["view"]["blocks"])
    results = await slack_says(stack, "survey results 1")
    assert "1 response of 2 sent (50%)" in results
    assert "2. How likely to recommend? (scale 0-10): 1 answer, mean 9, median 9; 9: 1" in results
    assert "3. Pick one: red: 0 · green: 1 · blue: 0" in results
    # Opened again, the form is filled with the answers given.
    await stack.slack.interaction(button_payload("answer:survey:1"))
    again = (await eventually(lambda: fake.calls_to("views.open")[1:]))[0]["view"]
    radios = again["blocks"][1]["element"]
    assert radios["initial_option"]["value"] == "4"
