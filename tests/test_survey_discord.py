"""A survey on the Discord stand-in: the DM's Answer button opens a modal with select menus
for the scale and the choice, a *Next* button opens the second page, the answers are counted."""

from __future__ import annotations

from typing import Any

from storage.engine import Store
from tests.discord_kit import BOB, FACILITATOR, slash
from tests.slack_kit import eventually
from tests.test_discord import DiscordStack, running, said

QUESTIONS = "|".join(
    [
        "How useful? (scale 1-5)",
        "Pick one (choice: red,green,blue)",
        *(f"Q{n}? (text)" for n in range(3, 7)),
    ]
)
BOB_DM = f"5{BOB['user']['id'][-17:]}"


async def in_dm(stack: DiscordStack, kind: int, data: dict[str, Any]) -> dict[str, Any]:
    before = len(stack.fake.responses())
    await stack.fake.dispatch(
        "INTERACTION_CREATE", stack.fake.dm_interaction(kind, data, BOB, BOB_DM)
    )
    await eventually(lambda: len(stack.fake.responses()) > before)
    return stack.fake.responses()[before]


def submit(modal: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The modal sent back as Discord does: a Label holding a select (its values) or an input."""
    rows = []
    for item in modal["components"]:
        if item["type"] != 18:
            continue
        inner = item["component"]
        name = inner["custom_id"]
        if inner["type"] == 3:
            rows.append(
                {"type": 18, "component": {"type": 3, "custom_id": name, "values": [values[name]]}}
            )
        else:
            rows.append(
                {"type": 18, "component": {"type": 4, "custom_id": name, "value": values[name]}}
            )
    for item in modal["components"]:
        if item["type"] == 1:
            name = item["components"][0]["custom_id"]
            rows.append(
                {"type": 1, "components": [{"type": 4, "custom_id": name, "value": values[name]}]}
            )
    return {"custom_id": modal["custom_id"], "components": rows}


async def test_a_member_answers_a_survey_in_discord_modals(store: Store) -> None:
    async with running(store) as stack:
        await stack.interact(2, slash("survey", "list"), BOB)  # Bob is known to copbot
        added = said(
            await stack.interact(
                2, slash("survey", "add", title="Retro", questions=QUESTIONS), FACILITATOR
            )
        )
        assert added.startswith("📋 Survey 1, *Retro*: 6 questions, sent to 2 members."), added
        await stack.harness.delivery.deliver_due()
        posted = [
            b for m, p, b in stack.fake.calls if m == "POST" and p == f"/channels/{BOB_DM}/messages"
        ]
        asked = [b for b in posted if "*Retro*" in str(b)]
        assert asked[0]["components"][0]["components"][0]["custom_id"] == "answer:survey:1"
        shown = await in_dm(stack, 3, {"custom_id": "answer:survey:1", "component_type": 2})
        assert shown["type"] == 9
        modal = shown["data"]
        assert modal["title"] == "Retro 1/2" and len(modal["components"]) == 5
        select = modal["components"][0]["component"]
        assert select["type"] == 3 and [o["value"] for o in select["options"]] == [
            "1",
            "2",
            "3",
            "4",
            "5",
        ]
        picks = modal["components"][1]["component"]["options"]
        assert [(o["value"], o["label"]) for o in picks] == [
            ("1", "red"),
            ("2", "green"),
            ("3", "blue"),
        ]
        values = {"q1": "5", "q2": "3", "q3": "a", "q4": "b", "q5": "c"}
        following = await in_dm(stack, 5, submit(modal, values))
        assert following["type"] == 4 and following["data"]["flags"] == 64
        assert "Press Next" in said(following)
        button = following["data"]["components"][0]["components"][0]
        assert button["label"] == "Next" and button["custom_id"].startswith("page:survey:1.2.")
        second = await in_dm(stack, 3, {"custom_id": button["custom_id"], "component_type": 2})
        assert second["type"] == 9
        page = second["data"]
        assert page["title"] == "Retro 2/2" and page["components"][0]["type"] == 10  # the note
        thanks = await in_dm(stack, 5, submit(page, {"q6": "done"}))
        assert "Your answers to *Retro* are in." in said(thanks)
        results = said(await stack.interact(2, slash("survey", "results", id=1), FACILITATOR))
        assert "1. How useful? (scale 1-5): 1 answer, mean 5, median 5; 5: 1" in results
        assert "2. Pick one: red: 0 · green: 0 · blue: 1" in results
        # Opened again, the form shows what was picked.
        again = (await in_dm(stack, 3, {"custom_id": "answer:survey:1", "component_type": 2}))[
            "data"
        ]
        defaults = [
            o["value"] for o in again["components"][0]["component"]["options"] if o.get("default")
        ]
        assert defaults == ["5"]
