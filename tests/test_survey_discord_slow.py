"""Survey forms on Discord where the modal falls short: a page sent while copbot is slow (the
answer deferred) still gets its private *Next* button, as a follow-up; a modal full of
questions has no room for the note that anonymous answers cannot be changed, so the DM says it."""

from __future__ import annotations

import pytest

from adapters.discord import runtime
from storage.engine import Store
from tests.discord_kit import BOB, FACILITATOR, slash
from tests.slack_kit import eventually
from tests.test_discord import running
from tests.test_survey_discord import BOB_DM, QUESTIONS, in_dm, submit


async def test_a_slow_page_still_gets_its_next_button(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(store) as stack:
        await stack.interact(2, slash("survey", "list"), BOB)  # Bob is known to copbot
        await stack.interact(
            2, slash("survey", "add", title="Retro", questions=QUESTIONS), FACILITATOR
        )
        shown = await in_dm(stack, 3, {"custom_id": "answer:survey:1", "component_type": 2})
        monkeypatch.setattr(runtime, "ANSWER_WITHIN", 0)  # every answer now comes late
        values = {"q1": "5", "q2": "3", "q3": "a", "q4": "b", "q5": "c"}
        deferred = await in_dm(stack, 5, submit(shown["data"], values))
        assert deferred["type"] == 5

        def followups() -> list[dict]:
            return [b for m, p, b in stack.fake.calls if m == "POST" and "/webhooks/" in p]

        [followup] = await eventually(followups)
        payload = followup.get("payload_json", followup)
        assert "Press Next" in payload["content"], payload
        button = payload["components"][0]["components"][0]
        assert button["label"] == "Next" and button["custom_id"].startswith("page:survey:1.2.")


async def test_a_full_anonymous_page_on_discord_is_told_it_cannot_be_changed(
    store: Store,
) -> None:
    """Five questions fill a Discord modal, leaving no room for the form's note: the DM that
    asks says that anonymous answers cannot be changed once sent."""
    async with running(store) as stack:
        await stack.interact(2, slash("survey", "list"), BOB)
        await stack.interact(
            2,
            slash("survey", "add", title="Pulse", questions=QUESTIONS, anonymous=True),
            FACILITATOR,
        )
        await stack.harness.delivery.deliver_due()
        asked = [
            b
            for m, p, b in stack.fake.calls
            if m == "POST" and p == f"/channels/{BOB_DM}/messages" and "*Pulse*" in str(b)
        ]
        shown = await in_dm(stack, 3, {"custom_id": "answer:survey:1", "component_type": 2})
        modal = shown["data"]
        assert len(modal["components"]) == 5 and "cannot be changed" not in str(modal)
        assert "cannot be changed once sent" in asked[0]["content"], asked[0]["content"]
