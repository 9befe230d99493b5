"""A survey's page sent on Discord while copbot is slow (the answer deferred): the private
*Next* button still comes, as a follow-up, so the member can go on to the next page."""

from __future__ import annotations

import pytest

from adapters.discord import runtime
from storage.engine import Store
from tests.discord_kit import BOB, FACILITATOR, slash
from tests.slack_kit import eventually
from tests.test_discord import running
from tests.test_survey_discord import QUESTIONS, in_dm, submit


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
