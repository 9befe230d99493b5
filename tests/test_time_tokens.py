"""copbot's time tokens: each platform shows the moment in its own syntax (each reader's own
zone), plain text shows the fallback, and nobody can forge one through what they type."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.console.render import Screen
from adapters.discord import render as discord_render
from adapters.slack import render as slack_render
from bot.commands.catalog import build_catalog
from bot.commands.parser import bind
from bot.errors import UsageError
from bot.outbox_send import NATIVE_EVENTS_ONLY_ON_DISCORD
from bot.safe_text import discord_text, plain_times, printable, slack_mrkdwn
from bot.ui import Button, Message, NativeEvent, Outgoing, Recipient, time_token
from storage.engine import Store
from tests.factories import Harness
from tests.fakes.discord import CHANNEL_ID, GUILD_ID
from tests.slack_kit import TEAM
from tests.test_discord import running
from tests.test_outbox import put, rows
from tests.test_slack import SlackStack
from tests.test_slack import stack as stack

AT = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
EPOCH = 1796745600
FALLBACK = "Tue 8 Dec 17:00 CET"
SLACK_DATE = f"<!date^{EPOCH}^{{date_short_pretty}} at {{time}}|{FALLBACK}>"
DISCORD_TIME = f"<t:{EPOCH}:F> (<t:{EPOCH}:R>)"
TEXT = f"📅 Data clinic starts {time_token(AT, FALLBACK)}. Bring <data> & questions!"


def test_each_platform_draws_the_token_in_its_own_syntax() -> None:
    assert int(AT.timestamp()) == EPOCH
    assert slack_mrkdwn(TEXT) == (
        f"📅 Data clinic starts {SLACK_DATE}. Bring &lt;data&gt; &amp; questions!"
    )
    assert discord_text(TEXT) == f"📅 Data clinic starts {DISCORD_TIME}. Bring <data> & questions!"
    assert plain_times(TEXT) == f"📅 Data clinic starts {FALLBACK}. Bring <data> & questions!"
    out = io.StringIO()
    Screen(out).show("[copbot → #general]", Message(TEXT))
    assert out.getvalue() == f"[copbot → #general]\n  {plain_times(TEXT)}\n"


def test_a_fallback_is_escaped_and_can_close_nothing() -> None:
    token = time_token(AT, "5 < 6 & 7 > 8 | <!here>")
    assert slack_mrkdwn(token) == (
        f"<!date^{EPOCH}^{{date_short_pretty}} at {{time}}|5 &lt; 6 &amp; 7 &gt; 8 / &lt;!here&gt;>"
    )
    assert plain_times(token) == "5 < 6 & 7 > 8 / <!here>"


def test_text_that_only_looks_like_a_token_is_shown_as_typed() -> None:
    assert slack_mrkdwn("<!date^1^{time}|soon>") == "&lt;!date^1^{time}|soon&gt;"
    # On Discord, <t:…> is Discord's own syntax anyone may type: shown as before, no ping.
    assert discord_text("<t:1:F> @everyone") == "<t:1:F> @\u200beveryone"
    # Half a token, or one with no epoch, is no token: its delimiters go like any control.
    for broken in ("\x1etime:1|x", "\x1etime:soon|x\x1e", "time:1|x\x1e"):
        assert "<!date" not in slack_mrkdwn(broken) and "<t:" not in discord_text(broken)
        assert "\x1e" not in slack_mrkdwn(broken) + discord_text(broken)
        assert plain_times(broken) == broken  # not a token: left for printable() to clean


def test_nobody_can_forge_a_token_through_a_command_or_a_form() -> None:
    forged = time_token(AT, "never")
    catalog = build_catalog()
    # Typed as text (Slack, the console): the delimiters are no part of any value.
    typed = catalog.parse(f'checkin add name:"{forged}" schedule:"daily 09:00" questions:Q')
    assert typed.args["name"] == f"time:{EPOCH}|never"
    # As Discord's typed options: stripped at the ends like spaces, refused inside a value.
    add = catalog.get("checkin add")
    assert add is not None
    options = {"name": forged, "schedule": "daily 09:00", "questions": "Q"}
    assert bind(add, [], options).args["name"] == f"time:{EPOCH}|never"
    with pytest.raises(UsageError, match="control character"):
        bind(add, [], {**options, "name": f"standup {forged} daily"})
    # A form's values are made printable before the core sees them (bot/core.py).
    answer = printable(f"My answer {forged}")
    assert slack_mrkdwn(answer) == f"My answer time:{EPOCH}|never"
    assert discord_text(answer) == f"My answer time:{EPOCH}|never"


def test_labels_and_notifications_show_the_fallback() -> None:
    message = Message(TEXT, fields=(("When", time_token(AT, FALLBACK)),))
    assert SLACK_DATE not in slack_render.fallback_text(message)
    assert FALLBACK in slack_render.fallback_text(message)
    assert SLACK_DATE in json.dumps(slack_render.blocks(message))
    button = Message("x", buttons=(Button(f"Going {time_token(AT, '17:00')}", "rsvp:event:1"),))
    assert slack_render.blocks(button)[-1]["elements"][0]["text"]["text"] == "Going 17:00"
    field = Message("x", fields=((f"Moved to {time_token(AT, '17:00')}", time_token(AT, "17:00")),))
    [shown] = discord_render.message_kwargs(field)["embed"].to_dict()["fields"]
    assert (shown["name"], shown["value"]) == ("Moved to 17:00", DISCORD_TIME)
    label = discord_render.view(button).children[0]  # type: ignore[union-attr]
    assert label.label == "Going 17:00"  # type: ignore[attr-defined]


def test_a_long_slack_text_is_never_cut_inside_a_date() -> None:
    token = time_token(AT, FALLBACK)
    text = "a" * (slack_render.SECTION_TEXT - 20) + token + "b" * 10
    pieces = [b["text"]["text"] for b in slack_render.blocks(Message(text))]
    assert pieces[1].startswith("<!date^") and "".join(pieces) == slack_mrkdwn(text)


def _blocks(posted: dict[str, Any]) -> Any:
    blocks = posted["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


async def test_the_slack_stand_in_receives_a_date_and_refuses_native_events(
    stack: SlackStack,
) -> None:
    post = Outgoing(Recipient("slack", TEAM, channel="C1"), Message(TEXT), "time:slack")
    event = NativeEvent("Data clinic", AT, AT.replace(hour=17), "https://meet.example/c")
    calendar = Outgoing(
        Recipient("slack", TEAM, channel="C1"), Message("x", native_event=event), "native:slack"
    )
    await put(stack.harness.store, post, calendar)
    await stack.harness.delivery.deliver_due()
    [posted] = stack.fake.calls_to("chat.postMessage")
    assert _blocks(posted)[0]["text"]["text"] == slack_mrkdwn(TEXT)
    assert SLACK_DATE in _blocks(posted)[0]["text"]["text"]
    assert FALLBACK in posted["text"] and "<!date" not in posted["text"]
    refused = (await rows(stack.harness.store))["native:slack"]
    assert (refused.status, refused.last_error) == ("failed", NATIVE_EVENTS_ONLY_ON_DISCORD)


async def test_the_discord_stand_in_receives_a_timestamp(store: Store) -> None:
    async with running(store) as discord:
        post = Outgoing(Recipient("discord", GUILD_ID, channel=CHANNEL_ID), Message(TEXT), "t:d")
        await put(store, post)
        await discord.harness.delivery.deliver_due()
        [sent] = discord.fake.calls_to("POST", f"/channels/{CHANNEL_ID}/messages")
        assert sent["content"] == discord_text(TEXT)
        assert DISCORD_TIME in sent["content"]


async def test_the_console_refuses_a_native_event(store: Store) -> None:
    harness = await Harness.start(store)
    event = NativeEvent("Data clinic", AT, AT.replace(hour=17), "https://meet.example/c")
    try:
        await put(
            store,
            Outgoing(
                Recipient("console", "demo", channel="general"),
                Message("x", native_event=event),
                "native:console",
            ),
        )
        await harness.delivery.deliver_due()
        row = (await rows(store))["native:console"]
        assert (row.status, row.last_error) == ("failed", NATIVE_EVENTS_ONLY_ON_DISCORD)
        assert harness.out.getvalue() == ""
    finally:
        await harness.close()
