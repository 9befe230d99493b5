"""The one-year plan on Slack and on Discord, through the local stand-ins: applied by a
facilitator, its first webinar announced in the channel, shown month by month, and removed
except for what was changed since."""

from __future__ import annotations

import json

from storage.engine import Store
from tests.discord_kit import FACILITATOR, slash
from tests.fakes.discord import CHANNEL_ID
from tests.test_discord import DiscordStack, running, said
from tests.test_slack import SlackStack, reply_text
from tests.test_slack import stack as stack

JANUARY = (
    "*January 2027*: Weekly check-in ×4 · prompts: 💬 Discussion (Tue 5), "
    "🪞 Reflect on practice (Tue 19) · Community webinar Thu 7 16:00 · weekly report ×4 · "
    "Quarterly evaluation survey (open 1–14 Jan)"
)


async def slack_says(stack: SlackStack, text: str, user: str = "UFAC") -> str:
    return await reply_text(stack, await stack.slack.command(text, user=user))


async def test_a_plan_on_slack(stack: SlackStack) -> None:
    past = await slack_says(stack, "plan apply one-year start:2026-01")
    assert "January 2026 is in the past" in past
    applied = await slack_says(stack, "plan apply one-year start:2027-01 channel:<#C1|general>")
    assert applied.startswith("✅ The one-year plan of demo begins Friday 1 January 2027:")
    assert "goes out in #C1 every other Tuesday at 10:00" in applied
    await stack.harness.delivery.deliver_due()
    posts = [c for c in stack.fake.calls_to("chat.postMessage") if c.get("channel") == "C1"]
    assert any("Community webinar" in json.dumps(p, ensure_ascii=False) for p in posts)
    again = await slack_says(stack, "plan apply one-year start:2027-02")
    assert "follows a one-year plan already" in again and "Nothing was changed." in again
    shown = await slack_says(stack, "plan show")
    assert JANUARY in shown.splitlines()
    denied = await slack_says(stack, "plan remove confirm:yes", user="UBOB")
    assert denied.startswith("🔒")
    await slack_says(stack, "checkin pause 1")
    removed = await slack_says(stack, "plan remove confirm:yes")
    assert removed.startswith("✅ The plan is removed: took out 26 prompts, 1 prompt rhythm, ")
    assert "Kept, because they were changed since: 1 check-in (#1)" in removed


async def discord_says(stack: DiscordStack, data: dict[str, object]) -> str:
    return said(await stack.interact(2, data, FACILITATOR))


async def test_a_plan_on_discord(store: Store) -> None:
    async with running(store) as stack:
        past = await discord_says(
            stack, slash("plan", "apply", template="one-year", start="2026-06")
        )
        assert "June 2026 is in the past" in past
        applied = await discord_says(
            stack,
            slash("plan", "apply", template="one-year", start="2027-01", channel=CHANNEL_ID),
        )
        assert applied.startswith("✅ The one-year plan of demo begins Friday 1 January 2027:")
        shown = await discord_says(stack, slash("plan", "show"))
        assert JANUARY in shown.splitlines()
        removed = await discord_says(stack, slash("plan", "remove", confirm=True))
        assert removed.startswith("✅ The plan is removed: took out 1 check-in (#1), 26 prompts")
