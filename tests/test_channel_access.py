"""A command naming a channel copbot cannot post in is refused at once, privately, with nothing
changed: on Slack (``conversations.info`` of the stand-in) and on Discord (its gateway cache)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlmodel import select

from adapters.discord.channels import DiscordChannels
from adapters.discord.runtime import DiscordRuntime
from adapters.slack.channels import SlackChannels
from adapters.slack.runtime import web_client
from bot.bootstrap import platform_runtimes
from bot.channels import PlatformChannels
from bot.commands.catalog import build_catalog
from bot.config import DiscordConfig, SlackConfig
from storage.engine import Store
from storage.models import CheckIn, Event, PromptSchedule
from tests.discord_kit import BOB, DISCORD_CONFIG, FACILITATOR, slash
from tests.factories import Harness, config
from tests.fakes.discord import CHANNEL_ID, GUILD_ID, QUIET_CHANNEL_ID, FakeDiscord, snowflake
from tests.fakes.slack import FakeSlack
from tests.slack_kit import SECRET, SLACK_CONFIG, SlackClient, eventually, http_runtime
from tests.test_discord import DiscordStack, said
from tests.test_slack import SlackStack, reply_text

SCHEDULE = 'prompt schedule schedule:"mon 10:00" channel:'
NOT_IN_DESIGN = (
    "⚠️ I can't post in #CNOPE: invite me there first (`/invite @copbot`) and run the command "
    "again. Nothing changed."
)
FACILITATORS_ONLY = "🔒 `/cop prompt schedule` is for facilitators."


@pytest.fixture
async def slack(store: Store) -> AsyncIterator[SlackStack]:
    """The Slack stand-in and copbot's Slack adapter, with copbot asking Slack about channels."""
    fake = FakeSlack(users={"UBOB": {"profile": {"display_name": "Bob"}}})
    await fake.start()
    channels = PlatformChannels()
    harness = await Harness.start(store, config(SLACK_CONFIG), channels=channels)
    runtime, base = http_runtime(harness, fake)
    channels.add("slack", SlackChannels(runtime.client))
    harness.delivery.add_sender(runtime.sender)
    await runtime.start()
    yield SlackStack(
        fake, harness, runtime, SlackClient(base + "/slack/events", fake, SECRET), base
    )
    await runtime.stop()
    await harness.close()
    await fake.stop()


async def slack_says(stack: SlackStack, text: str, user: str = "UFAC") -> str:
    return await reply_text(stack, await stack.slack.command(text, user=user))


async def rows(store: Store, model: Any) -> list[Any]:
    async with store.read() as session:
        return list((await session.exec(select(model))).all())


async def test_a_slack_channel_copbot_is_not_in_is_refused_and_nothing_stored(
    slack: SlackStack,
) -> None:
    assert await slack_says(slack, SCHEDULE + "<#CNOPE|design>") == NOT_IN_DESIGN
    assert await rows(slack.harness.store, PromptSchedule) == []
    assert slack.fake.calls_to("conversations.info")[0]["channel"] == "CNOPE"
    # Invited: Slack now says copbot is in it, and the same command goes through (a no is not
    # remembered, so the facilitator need not wait).
    slack.fake.channels["CNOPE"]["is_member"] = True
    assert "every Monday at 10:00" in await slack_says(slack, SCHEDULE + "<#CNOPE|design>")
    [rhythm] = await rows(slack.harness.store, PromptSchedule)
    assert rhythm.channel == "CNOPE"


async def test_a_slack_channel_copbot_is_in_is_accepted_and_asked_about_once(
    slack: SlackStack,
) -> None:
    assert "every Monday at 10:00" in await slack_says(slack, SCHEDULE + "<#C1|general>")
    assert "every Monday at 10:00" in await slack_says(slack, SCHEDULE + "<#C1|general>")
    assert len(slack.fake.calls_to("conversations.info")) == 1  # the yes is kept a minute
    [rhythm] = await rows(slack.harness.store, PromptSchedule)
    assert rhythm.channel == "C1"


async def test_an_unknown_slack_channel_is_refused(slack: SlackStack) -> None:
    said = await slack_says(slack, SCHEDULE + "<#C404|gone>")
    assert said.startswith("⚠️ I can't post in #C404: invite me there first")
    assert await rows(slack.harness.store, PromptSchedule) == []


async def test_every_command_naming_a_channel_is_checked(slack: SlackStack) -> None:
    checkin = 'checkin add name:s schedule:"daily 09:00" questions:Q share:<#CNOPE|design>'
    assert await slack_says(slack, checkin) == NOT_IN_DESIGN
    event = 'event add title:"Review" start:"2026-12-08 18:00" channel:<#CNOPE|design>'
    assert await slack_says(slack, event) == NOT_IN_DESIGN
    assert await rows(slack.harness.store, CheckIn) == []
    assert await rows(slack.harness.store, Event) == []
    # Typed in #design with no channel: option, the event would be announced there: checked too.
    here = 'event add title:"Review" start:"2026-12-08 18:00"'
    said = await reply_text(slack, await slack.slack.command(here, user="UFAC", channel="CNOPE"))
    assert said == NOT_IN_DESIGN
    assert await rows(slack.harness.store, Event) == []


async def test_when_slack_cannot_tell_the_command_goes_ahead(slack: SlackStack) -> None:
    slack.fake.script("conversations.info", 500, {"ok": False, "error": "internal_error"})
    assert "every Monday at 10:00" in await slack_says(slack, SCHEDULE + "<#CNOPE|design>")
    # A 429: taken as "cannot tell", and Slack is not asked again until Retry-After passed.
    slack.fake.script(
        "conversations.info", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "30"}
    )
    assert "every Monday at 10:00" in await slack_says(slack, SCHEDULE + "<#CNOPE|design>")
    assert "every Monday at 10:00" in await slack_says(slack, SCHEDULE + "<#CNOPE|design>")
    assert len(slack.fake.calls_to("conversations.info")) == 2
    [rhythm] = await rows(slack.harness.store, PromptSchedule)
    assert rhythm.channel == "CNOPE"


async def test_a_slack_member_who_may_not_schedule_learns_nothing_of_the_channel(
    slack: SlackStack,
) -> None:
    said = await slack_says(slack, SCHEDULE + "<#CNOPE|design>", user="UBOB")
    assert FACILITATORS_ONLY in said and "post in" not in said
    assert slack.fake.calls_to("conversations.info") == []


async def test_slack_channel_answers_expire_and_slack_is_quiet_after_a_429() -> None:
    fake = FakeSlack()
    await fake.start()
    now = [1000.0]
    client = web_client(SlackConfig(api_base_url=fake.api_url), "xoxb-test")
    channels = SlackChannels(client, ttl=60, clock=lambda: now[0])
    try:
        assert await channels.can_post("slack", "T1", "C1") is True
        now[0] += 59
        assert await channels.can_post("slack", "T1", "C1") is True
        now[0] += 2
        assert await channels.can_post("slack", "T1", "C1") is True
        assert len(fake.calls_to("conversations.info")) == 2
        fake.script(
            "conversations.info",
            429,
            {"ok": False, "error": "ratelimited"},
            **{"Retry-After": "10"},
        )
        assert await channels.can_post("slack", "T1", "CNOPE") is None
        now[0] += 9
        assert await channels.can_post("slack", "T1", "CNOPE") is None
        now[0] += 2
        assert await channels.can_post("slack", "T1", "CNOPE") is False
        assert len(fake.calls_to("conversations.info")) == 4
        fake.channels["CARCH"] = {"is_member": True, "is_archived": True}
        assert await channels.can_post("slack", "T1", "CARCH") is False
        assert await channels.can_post("discord", "T1", "C1") is None  # not Slack's to say
    finally:
        await fake.stop()


@asynccontextmanager
async def discord(store: Store) -> AsyncIterator[DiscordStack]:
    """The Discord stand-in and copbot's Discord runtime, answering about channels from its
    gateway cache."""
    fake = FakeDiscord()
    await fake.start()
    channels = PlatformChannels()
    harness = await Harness.start(store, config(DISCORD_CONFIG), channels=channels)
    options = DiscordConfig(
        enabled=True,
        api_base_url=fake.api_url,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.05,
    )
    runtime = DiscordRuntime(
        options, "test-token", harness.core, store, harness.clock, build_catalog()
    )
    channels.add("discord", DiscordChannels(runtime.client))
    harness.delivery.add_sender(runtime.sender)
    try:
        await runtime.start()
        yield DiscordStack(fake, harness, runtime)
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


async def discord_says(stack: DiscordStack, channel: str, who: dict[str, Any]) -> str:
    data = slash("prompt", "schedule", schedule="mon 10:00", channel=channel)
    return said(await stack.interact(2, data, who))


async def test_a_discord_channel_copbot_may_not_post_in_is_refused(store: Store) -> None:
    async with discord(store) as stack:
        refused = await discord_says(stack, QUIET_CHANNEL_ID, FACILITATOR)
        assert refused == (
            f"⚠️ I can't post in #{QUIET_CHANNEL_ID}: give copbot the Send Messages "
            f"permission in #{QUIET_CHANNEL_ID} and run the command again. Nothing changed."
        )
        assert await rows(store, PromptSchedule) == []
        unknown = await discord_says(stack, snowflake(), FACILITATOR)
        assert unknown.startswith("⚠️ I can't post in #")
        assert await rows(store, PromptSchedule) == []
        assert "every Monday at 10:00" in await discord_says(stack, CHANNEL_ID, FACILITATOR)
        [rhythm] = await rows(store, PromptSchedule)
        assert rhythm.channel == CHANNEL_ID


async def test_a_discord_member_who_may_not_schedule_gets_the_permission_answer(
    store: Store,
) -> None:
    async with discord(store) as stack:
        answer = await discord_says(stack, QUIET_CHANNEL_ID, BOB)
        assert FACILITATORS_ONLY in answer and "post in" not in answer


async def test_discord_answers_from_its_cache(store: Store) -> None:
    async with discord(store) as stack:
        channels = DiscordChannels(stack.runtime.client)
        assert await channels.can_post("discord", GUILD_ID, CHANNEL_ID) is True
        assert await channels.can_post("discord", GUILD_ID, QUIET_CHANNEL_ID) is False
        assert await channels.can_post("discord", "800000000000000099", CHANNEL_ID) is None
        assert await channels.can_post("slack", GUILD_ID, CHANNEL_ID) is None
        thread = snowflake()
        await stack.fake.dispatch(
            "THREAD_CREATE",
            {
                "id": thread,
                "type": 11,
                "guild_id": GUILD_ID,
                "parent_id": CHANNEL_ID,
                "name": "a thread",
                "owner_id": BOB["user"]["id"],
                "newly_created": True,
                "message_count": 0,
                "member_count": 1,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2026-12-07T09:05:00+00:00",
                    "locked": False,
                },
            },
        )
        client = stack.runtime.client
        await eventually(lambda: client.get_channel(int(thread)) is not None)
        assert await channels.can_post("discord", GUILD_ID, thread) is True


async def test_the_composition_root_lets_each_platform_answer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeSlack()
    await fake.start()
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    slack_on = {"enabled": True, "mode": "http", "api_base_url": fake.api_url}
    cfg = config({**SLACK_CONFIG, "slack": slack_on})
    harness = await Harness.start(store, cfg)
    channels = PlatformChannels()
    runtimes = platform_runtimes(
        cfg, harness.core, store, harness.clock, harness.services, channels
    )
    try:
        assert await channels.can_post("slack", "T1", "CNOPE") is False
        assert await channels.can_post("slack", "T1", "C1") is True
        assert await channels.can_post("console", "local", "general") is None  # never refused
    finally:
        for runtime in runtimes:
            await runtime.stop()
        await harness.close()
        await fake.stop()
