"""Issue 9 items 1 and 2 where people see them: the shared thread, a list, App Home and ``/cop
about`` on the Slack and Discord stand-ins, and the console; and control characters refused."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlmodel import select

from adapters.console.render import Screen
from adapters.console.session import ConsoleSession
from bot.config import ConsoleConfig
from bot.events import CommandInvoked
from storage.engine import Store
from storage.models import CheckIn
from tests.discord_kit import BOB, FACILITATOR, message_create, message_id, modal_submit, slash
from tests.factories import Harness, actor, config, event_id, place, text_of
from tests.fakes.discord import CHANNEL_ID
from tests.fakes.slack import FakeSlack
from tests.slack_kit import SLACK_CONFIG, SlackClient, eventually, http_runtime, submission_payload
from tests.test_discord import DiscordStack, running, said
from tests.test_safe_text import DISCORD_ATTACK, SLACK_ATTACK

SLACK_RAW = ("<!channel>", "<@U0FAC>", "<https://evil.example")
NO_MENTIONS = {"parse": []}


@asynccontextmanager
async def _slack(store: Store) -> AsyncIterator[tuple[Harness, FakeSlack, SlackClient]]:
    fake = FakeSlack(users={"UBOB": {"profile": {"display_name": "Bob"}}})
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    runtime, base = http_runtime(harness, fake)
    harness.delivery.add_sender(runtime.sender)
    await runtime.start()
    try:
        yield harness, fake, SlackClient(base + "/slack/events", fake)
    finally:
        await runtime.stop()
        await harness.close()
        await fake.stop()


async def _answered(slack: SlackClient, command: str) -> str:
    """Run a command and wait for its answer (copbot works on it after acknowledging)."""
    name = await slack.command(command)
    return str((await eventually(lambda: slack.replies(name)))[-1])


def _escaped(shown: Any) -> bool:
    """Nothing of the attack is left as Slack markup, and it shows as typed."""
    text = json.dumps(shown, ensure_ascii=False)
    return not any(raw in text for raw in SLACK_RAW) and "&lt;!channel&gt;" in text


async def test_slack_shows_people_s_text_escaped_everywhere(store: Store) -> None:
    async with _slack(store) as (harness, fake, slack):
        await slack.event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "1.1"}, "E1")
        await _answered(
            slack,
            'checkin add name:"<!channel> now" schedule:"daily 09:00" '
            'questions:"<!here> what?|Blocked?" share:<#CWINS|wins>',
        )
        ran = await _answered(slack, "checkin run 1")
        assert ran.startswith("📨 Queued &lt;!channel&gt; now")
        await harness.delivery.deliver_due()
        status, body = await slack.interaction(
            submission_payload("answer:occurrence:1", {"q1": SLACK_ATTACK, "q2": "none"})
        )
        assert status == 200 and "Thanks, Bob!" in body
        await harness.delivery.deliver_due()

        # The share in the thread: the request body Slack received, text and blocks.
        thread = [p for p in fake.calls_to("chat.postMessage") if p.get("thread_ts")]
        assert len(thread) == 1 and "Bob answered:" in thread[0]["text"]
        assert _escaped(thread[0]["text"]) and _escaped(thread[0]["blocks"])
        assert "&lt;!here&gt; what?" in thread[0]["text"]
        header = next(p for p in fake.calls_to("chat.postMessage") if p["channel"] == "CWINS")
        assert "<!channel>" not in json.dumps(header) and "&lt;!channel&gt; now" in header["text"]

        # A list and /cop about (the charter holds the attack too), through the response_url.
        listed = await slack.command("checkin list")
        await slack.interaction(
            submission_payload(
                "charter:community:1", {"audience": SLACK_ATTACK}, user="UFAC", title="charter"
            )
        )
        about = await slack.command("about", user="UBOB")
        await eventually(lambda: {listed, about} <= {r["_url"] for r in fake.responses})
        replies = {r["_url"]: r for r in fake.responses}
        assert "&lt;!channel&gt; now" in replies[listed]["text"]
        assert "<!channel>" not in json.dumps(replies[listed])
        assert _escaped(replies[about]["text"]) and _escaped(replies[about]["blocks"])

        # App Home lists the check-in by its name.
        await slack.event({"type": "app_home_opened", "user": "UFAC", "tab": "home"}, "EH")
        home = (await eventually(lambda: fake.calls_to("views.publish")))[0]["view"]
        assert "&lt;!channel&gt; now" in json.dumps(home) and "<!channel>" not in json.dumps(home)


async def test_slack_stores_what_was_typed_and_shows_it_so(store: Store) -> None:
    async with _slack(store) as (harness, _fake, slack):
        # Slack sends "&", "<" and ">" typed in a command as entities.
        await _answered(
            slack, 'checkin add name:"R&amp;D &lt;3" schedule:"daily 09:00" questions:Q'
        )
        listed = await _answered(slack, "checkin list")
        async with harness.store.read() as db:
            assert (await db.exec(select(CheckIn.name))).all() == ["R&D <3"]
        assert "*R&amp;D &lt;3*" in listed  # Slack shows it as "R&D <3"


async def test_discord_neutralises_mentions_and_allows_none(store: Store) -> None:
    async with running(store) as stack:
        fake, harness = stack.fake, stack.harness
        await fake.dispatch("MESSAGE_CREATE", message_create(message_id(), BOB))
        await stack.interact(
            2,
            slash(
                "checkin",
                "add",
                name="@everyone now",
                schedule="daily 09:00",
                questions="Learned?|Blocked?",
                share=CHANNEL_ID,
            ),
            FACILITATOR,
        )
        await stack.interact(2, slash("checkin", "run", id=1), FACILITATOR)
        await harness.delivery.deliver_due()
        await stack.interact(
            5, modal_submit("answer:occurrence:1", {"q1": DISCORD_ATTACK, "q2": "none"}), BOB
        )
        await harness.delivery.deliver_due()

        # The share in the thread: the payload Discord received.
        thread = next(iter(fake.threads))
        shared = fake.calls_to("POST", f"/channels/{thread}/messages")[0]
        text = shared.get("content") or shared["embeds"][0]["description"]
        assert "Bob answered:" in text
        assert "@\u200beveryone <@\u200b123456789012345678> [Discord SSO]\u200b(" in text
        assert shared["allowed_mentions"] == NO_MENTIONS
        posts = [b for m, p, b in fake.calls if m == "POST" and p.endswith("/messages")]
        assert posts and all(b["allowed_mentions"] == NO_MENTIONS for b in posts)

        # A list and /cop about, answered to the interaction.
        listed = await stack.interact(2, slash("checkin", "list"), FACILITATOR)
        assert "@\u200beveryone now" in said(listed)
        assert listed["data"]["allowed_mentions"] == NO_MENTIONS
        await _write_charter(stack, {"audience": DISCORD_ATTACK})
        about = await stack.interact(2, slash("about"), BOB)
        shown = json.dumps(about["data"], ensure_ascii=False)
        assert "@everyone" not in shown and "](" not in shown
        assert "<@\u200b123456789012345678>" in shown
        assert about["data"]["allowed_mentions"] == NO_MENTIONS


async def _write_charter(stack: DiscordStack, values: dict[str, str]) -> None:
    opened = await stack.interact(2, slash("charter"), FACILITATOR)
    assert opened["type"] == 9
    saved = await stack.interact(5, modal_submit(opened["data"]["custom_id"], values), FACILITATOR)
    assert said(saved).startswith("✅ Charter saved.")


async def test_the_console_prints_no_control_from_a_charter(harness: Harness) -> None:
    out = io.StringIO()
    screen = Screen(out)
    session = ConsoleSession(harness.core, harness.delivery, ConsoleConfig(), screen, harness.clock)
    typed = ["\x1b]0;pwned\x07We\x1b[31m learn", "\x00Data\u202e", "", "", ""]
    for line in ["/cop charter", *typed, "/cop about"]:
        await session.handle_line(line + "\n")
    printed = out.getvalue()
    assert "Audience: ]0;pwnedWe[31m learn" in printed and "Domain: Data" in printed
    assert not any(c in printed for c in "\x1b\x07\x00\u202e")


async def test_a_lone_surrogate_in_a_form_is_dropped_not_a_failure(harness: Harness) -> None:
    """Found by tests/test_form_fuzz.py: JSON's "\\ud800" decodes to a lone surrogate, which
    the database cannot encode ("something went wrong" before)."""
    form = (await harness.cmd("charter"))[0].form  # type: ignore[union-attr]
    saved = await harness.submit(form.form_id, {"audience": "Data\ud800 folk"}, "alice")
    assert text_of(saved).startswith("✅ Charter saved.")
    assert "Audience: Data folk" in await harness.say("about", user="bob")


async def test_names_and_questions_with_controls_are_refused(harness: Harness) -> None:
    refused = await harness.say(
        'checkin add name:"stand\x1b[2Jup" schedule:"daily 09:00" questions:Q'
    )
    assert refused.startswith("⚠️ `name` contains a control character (U+001B); type plain text.")
    refused = await harness.say(
        'checkin add name:standup schedule:"daily 09:00" questions:"a\u202eb"'
    )
    assert "`questions` contains a control character (U+202E)" in refused
    # Discord's typed options take the same way in.
    typed = CommandInvoked(
        actor(),
        place(),
        event_id(),
        harness.clock.now(),
        group="checkin",
        verb="add",
        options={"name": "x\x07", "schedule": "daily 09:00", "questions": "Q"},
    )
    assert "`name` contains a control character (U+0007)" in text_of(
        await harness.core.handle(typed)
    )
    async with harness.store.transaction() as db:
        assert (await db.exec(select(CheckIn))).all() == []
