"""A reader on Slack and on Discord receives the weekly report on schedule from the local
stand-ins, once, also across a restart: the workbook and its chart in one message."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.scheduling import Scheduling
from storage.engine import Store
from tests.discord_kit import FACILITATOR, slash
from tests.slack_kit import eventually
from tests.test_discord import running, said
from tests.test_report_delivery import MONDAY
from tests.test_slack import SlackStack, reply_text
from tests.test_slack import stack as stack


async def restarted_catch_up(scheduling: Scheduling) -> list[str]:
    """A new engine on the same store, as after a restart, catching up five minutes later."""
    again = Scheduling(scheduling.store, scheduling.services, scheduling.registry)
    return await again.catch_up(MONDAY + timedelta(minutes=5))


async def test_a_slack_reader_gets_the_workbook_and_chart_in_one_upload(
    stack: SlackStack,
) -> None:
    said_to = await reply_text(stack, await stack.slack.command("report subscribe"))
    assert said_to.startswith("✅ You will receive the weekly report of demo")
    harness = stack.harness
    harness.clock.set(MONDAY + timedelta(minutes=1))
    await harness.run_jobs()
    await harness.delivery.deliver_due()
    names = sorted(u["filename"] for u in stack.fake.uploads.values())
    assert names == ["cop-demo-2026-W49.png", "cop-demo-2026-W49.xlsx"]
    assert all(u["content"] for u in stack.fake.uploads.values())
    [completed] = stack.fake.calls_to("files.completeUploadExternal")
    assert completed["channel_id"] == "DUFAC"
    assert completed["initial_comment"].startswith("📊 demo: the weekly report for 2026-W49")
    assert len(json.loads(completed["files"])) == 2
    assert await harness.run_jobs() == []
    assert await restarted_catch_up(harness.scheduling) == []
    await harness.delivery.deliver_due()
    assert len(stack.fake.calls_to("files.completeUploadExternal")) == 1


async def test_a_discord_reader_gets_the_workbook_and_chart_in_one_message(store: Store) -> None:
    async with running(store) as stack:
        before = len(stack.fake.responses())
        await stack.fake.dispatch(
            "INTERACTION_CREATE",
            stack.fake.interaction(2, slash("report", action="subscribe"), FACILITATOR),
        )
        await eventually(lambda: len(stack.fake.responses()) > before)
        assert said(stack.fake.responses()[before]).startswith("✅ You will receive")
        harness = stack.harness
        harness.clock.set(MONDAY + timedelta(minutes=1))
        await harness.run_jobs()
        await harness.delivery.deliver_due()
        posts = [b for m, p, b in stack.fake.calls if m == "POST" and p.startswith("/channels/5")]
        [report] = [b for b in posts if "files[1]" in b]
        [embed] = report["payload_json"]["embeds"]
        assert embed["description"].startswith("📊 demo: the weekly report for 2026-W49")
        assert embed["image"]["url"] == "attachment://cop-demo-2026-W49.png"
        assert report["files[0]"] > 1000 and report["files[1]"] > 1000  # bytes: both files
        assert await restarted_catch_up(harness.scheduling) == []
        await harness.delivery.deliver_due()
        again = [b for m, p, b in stack.fake.calls if m == "POST" and "files[1]" in (b or {})]
        assert len(again) == 1
