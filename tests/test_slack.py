"""copbot on Slack: the real slack-bolt and slack-sdk against the local fake Slack, over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from sqlmodel import select

from adapters.slack.runtime import SlackRuntime
from bot.outbox import outbox_row
from bot.ui import Attachment, Message, Outgoing, Recipient
from storage import outbox
from storage.engine import Store
from storage.models import Answer, Identity, LedgerEntry, OutboxRow
from tests.factories import ACTS, Harness, config, welcomed_users
from tests.fakes.slack import FakeSlack, signed_headers
from tests.slack_kit import (
    SECRET,
    SLACK_CONFIG,
    TEAM,
    SlackClient,
    button_payload,
    eventually,
    eventually_async,
    http_runtime,
    submission_payload,
)


@dataclass
class SlackStack:
    fake: FakeSlack
    harness: Harness
    runtime: SlackRuntime
    slack: SlackClient
    base: str


@pytest.fixture
async def stack(store: Store) -> AsyncIterator[SlackStack]:
    fake = FakeSlack(
        users={"UADMIN": {"is_admin": True}, "UBOB": {"profile": {"display_name": "Bob"}}}
    )
    await fake.start()
    harness = await Harness.start(store, config(SLACK_CONFIG))
    runtime, base = http_runtime(harness, fake)
    harness.delivery.add_sender(runtime.sender)
    await runtime.start()
    yield SlackStack(fake, harness, runtime, SlackClient(base + "/slack/events", fake), base)
    await runtime.stop()
    await harness.close()
    await fake.stop()


async def reply_text(stack: SlackStack, name: str) -> str:
    texts = await eventually(lambda: stack.slack.replies(name))
    return texts[-1]


async def test_help_is_acknowledged_and_answered_privately(stack: SlackStack) -> None:
    name = await stack.slack.command("help", user="UBOB")
    text = await reply_text(stack, name)
    assert text.startswith("Hi Bob! Here is what you can do as a member of demo")
    response = next(r for r in stack.fake.responses if r["_url"] == name)
    assert response["response_type"] == "ephemeral"
    assert response["blocks"][0]["type"] == "section"


async def test_forged_and_stale_requests_are_refused(stack: SlackStack) -> None:
    body = "command=%2Fcop&text=checkin+list&team_id=T1&user_id=UFAC&channel_id=C1"
    forged = await stack.slack.send(
        body, "application/x-www-form-urlencoded", **signed_headers("wrong-secret", body)
    )
    stale = await stack.slack.send(
        body,
        "application/x-www-form-urlencoded",
        **signed_headers(SECRET, body, timestamp=int(time.time()) - 600),
    )
    async with aiohttp.ClientSession() as session:
        unsigned = await session.post(stack.slack.url, data=body)
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    assert stack.fake.responses == [] and stack.fake.calls_to("users.info") == []


async def test_healthz(stack: SlackStack) -> None:
    async with aiohttp.ClientSession() as session:
        response = await session.get(stack.base + "/healthz")
        assert response.status == 200 and await response.json() == {"ok": True}


async def test_members_cannot_run_facilitator_commands_but_admins_can(stack: SlackStack) -> None:
    denied = await reply_text(stack, await stack.slack.command("checkin list", user="UBOB"))
    assert denied.startswith("🔒 `/cop checkin list` is for facilitators.")
    allowed = await reply_text(stack, await stack.slack.command("checkin list", user="UADMIN"))
    assert allowed.startswith("No check-ins yet.")


async def test_a_checkin_from_creation_to_answer(stack: SlackStack) -> None:
    slack, fake = stack.slack, stack.fake
    await slack.event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "1.1"}, "Ev1")
    created = await reply_text(
        stack,
        await slack.command(
            'checkin add name:standup schedule:"weekdays 09:30" '
            'questions:"What did you learn?|Any blockers?" share:<#CWINS|wins>'
        ),
    )
    assert created.startswith("✅ Check-in created: #1 *standup*")
    sent = await reply_text(stack, await slack.command("checkin run 1"))
    assert sent.startswith("📨 Queued standup for 2 members;")
    await stack.harness.delivery.deliver_due()

    # Each member got a DM through conversations.open, with an Answer button.
    assert sorted(c["users"] for c in fake.calls_to("conversations.open")) == ["UBOB", "UFAC"]
    dm = next(
        c
        for c in fake.calls_to("chat.postMessage")
        if c["channel"] == "DUBOB" and "Welcome" not in c["text"]  # his welcome came first
    )
    button = dm["blocks"][-1]["elements"][0]
    assert button["text"]["text"] == "Answer" and button["action_id"] == "answer:occurrence:1"
    assert dm["metadata"]["event_payload"]["key"].startswith("checkin:1:")
    async with stack.harness.store.transaction() as session:
        stored = (
            await session.exec(select(Identity.dm_channel).where(Identity.user_id == "UBOB"))
        ).one()
    assert stored == "DUBOB"

    # Bob presses Answer: the modal opens with the questions.
    status, _ = await slack.interaction(
        button_payload("answer:occurrence:1", response_url=fake.response_url("btn"))
    )
    assert status == 200
    opened = await eventually(lambda: fake.calls_to("views.open"))
    view = opened[0]["view"]
    assert opened[0]["trigger_id"] == "trig-answer:occurrence:1"
    assert view["title"]["text"] == "standup" and view["callback_id"] == "answer:occurrence:1"
    assert [b["label"]["text"] for b in view["blocks"]] == ["What did you learn?", "Any blockers?"]

    def submission(first: str, second: str) -> dict[str, object]:
        return submission_payload("answer:occurrence:1", {"q1": first, "q2": second})

    # An empty answer is shown inline under its field; nothing is stored.
    status, body = await slack.interaction(submission("fixtures", ""))
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"q2": "This one needs an answer, even a short one."},
    }
    status, body = await slack.interaction(submission("fixtures", "none"))
    thanks = json.loads(body)
    assert thanks["response_action"] == "update"
    assert "Thanks, Bob! Your answers to standup are in." in json.dumps(thanks["view"])
    async with stack.harness.store.transaction() as session:
        assert [a.answers for a in (await session.exec(select(Answer))).all()] == [
            ["fixtures", "none"]
        ]

    # The summary goes into the thread under the check-in's channel message.
    await stack.harness.delivery.deliver_due()
    posts = fake.calls_to("chat.postMessage")
    header = next(p for p in posts if p["channel"] == "CWINS" and "thread_ts" not in p)
    summary = next(p for p in posts if p["channel"] == "CWINS" and p.get("thread_ts"))
    assert "Bob answered:" in summary["text"]
    assert summary["thread_ts"] == fake.history["CWINS"][-1]["ts"]
    assert "standup* check-in" in header["text"]

    # Bob edits his answers: the message in the thread is updated, nothing new is posted.
    stack.harness.later(minutes=2)
    status, _ = await slack.interaction(submission("fixtures and marks", "none"))
    assert status == 200
    await stack.harness.delivery.deliver_due()
    (update,) = fake.calls_to("chat.update")
    shared = fake.threads[("CWINS", summary["thread_ts"])]
    assert len(shared) == 1 and update["ts"] == shared[0]["ts"]
    assert "fixtures and marks" in shared[0]["text"] and "edited" in shared[0]
    assert len(fake.calls_to("chat.postMessage")) == len(posts)

    # A second run reuses the stored DM channels.
    stack.harness.later(minutes=1)
    await reply_text(stack, await slack.command("checkin run 1"))
    await stack.harness.delivery.deliver_due()
    assert len(fake.calls_to("conversations.open")) == 2


async def test_events_are_counted_once_despite_retries(stack: SlackStack) -> None:
    slack = stack.slack
    message = {"type": "message", "user": "UBOB", "channel": "C1", "ts": "1733000000.1"}
    assert await slack.event(message, "EvM") == 200
    assert await slack.event(message, "EvM", **{"X-Slack-Retry-Num": "1"}) == 200
    reply = {**message, "ts": "1733000000.2", "thread_ts": "1733000000.1"}
    await slack.event(reply, "EvR")
    await slack.event({"type": "reaction_added", "user": "UBOB", "item": {"channel": "C1"}}, "EvX")
    await slack.event({"type": "member_joined_channel", "user": "UNEW", "channel": "C1"}, "EvJ")
    await slack.event({**message, "subtype": "message_changed"}, "EvE")
    await slack.event({**message, "bot_id": "B9"}, "EvB")
    await slack.event({"type": "message", "channel": "C1"}, "EvBroken")  # no user: ignored

    async def kinds() -> list[str]:
        async with stack.harness.store.transaction() as session:
            rows = (
                await session.exec(select(LedgerEntry).where(ACTS).order_by(LedgerEntry.id))
            ).all()
        return sorted(row.kind for row in rows)

    await eventually_async(kinds, ["join", "message", "reaction", "reply"])
    # A message keeps its own ts; a thread reply its parent's too (for time to first reply).
    async with stack.harness.store.transaction() as session:
        rows = (await session.exec(select(LedgerEntry).where(ACTS).order_by(LedgerEntry.id))).all()
    refs = {row.kind: (row.message_ref, row.parent_ref) for row in rows}
    assert refs["message"] == ("1733000000.1", None)
    assert refs["reply"] == ("1733000000.2", "1733000000.1")
    assert refs["reaction"] == (None, None)


async def test_app_home_shows_the_week(stack: SlackStack) -> None:
    await stack.slack.event({"type": "app_home_opened", "user": "UFAC", "tab": "home"}, "EvH")
    published = await eventually(lambda: stack.fake.calls_to("views.publish"))
    assert published[0]["user_id"] == "UFAC"
    shown = json.dumps(published[0]["view"])
    assert published[0]["view"]["type"] == "home"
    assert "Community, last 7 days" in shown and "Your last 7 days" in shown


async def test_unknown_buttons_get_a_private_answer(stack: SlackStack) -> None:
    status, _ = await stack.slack.interaction(
        button_payload("vote:poll:9", response_url=stack.fake.response_url("old"))
    )
    assert status == 200
    assert (await reply_text(stack, "old")).startswith("This button is no longer in use.")


async def test_a_rate_limited_post_is_retried(stack: SlackStack) -> None:
    stack.fake.script(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "1"}
    )
    await stack.slack.event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "1.1"}, "E1")
    await stack.harness.core.welcomer.settle()  # Bob's welcome DM is queued too
    await reply_text(
        stack, await stack.slack.command('checkin add name:s schedule:"daily 09:00" questions:Q')
    )
    await reply_text(stack, await stack.slack.command("checkin run 1"))
    await stack.harness.delivery.deliver_due()
    # The 429 paused the workspace's lane for its Retry-After (on copbot's clock), no longer.
    stack.harness.later(seconds=1)
    await stack.harness.delivery.deliver_due()
    posts = stack.fake.calls_to("chat.postMessage")
    assert len(posts) == 4  # one 429, then Bob's welcome and both DMs
    async with stack.harness.store.transaction() as session:
        assert {r.status for r in (await session.exec(select(OutboxRow))).all()} == {"sent"}


async def test_a_slack_failure_while_answering_is_logged_not_fatal(stack: SlackStack) -> None:
    await stack.slack.event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "1.1"}, "E1")
    await reply_text(
        stack, await stack.slack.command('checkin add name:s schedule:"daily 09:00" questions:Q')
    )
    await reply_text(stack, await stack.slack.command("checkin run 1"))
    stack.fake.script("views.open", 500, {"ok": False, "error": "internal_error"})
    status, _ = await stack.slack.interaction(button_payload("answer:occurrence:1"))
    assert status == 200
    await eventually(lambda: stack.fake.calls_to("views.open"))  # it was tried, and failed
    # copbot is still there and answers the next request.
    assert (await reply_text(stack, await stack.slack.command("about", user="UBOB"))).startswith(
        "*demo*"
    )


async def test_files_go_up_with_files_upload_v2(stack: SlackStack) -> None:
    report = Outgoing(
        Recipient("slack", TEAM, user="ULEAD"),
        Message(
            "📊 Your weekly report",
            attachment=Attachment("cop-demo-2026-W49.xlsx", b"PK\x03\x04data"),
        ),
        "report:demo:2026-W49:ULEAD",
    )
    async with stack.harness.store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(report, stack.harness.clock.now())])
    await stack.harness.delivery.deliver_due()
    fake = stack.fake
    assert fake.calls_to("files.getUploadURLExternal")[0]["filename"] == "cop-demo-2026-W49.xlsx"
    assert fake.calls_to("upload") == [{"size": 8}]
    completed = fake.calls_to("files.completeUploadExternal")[0]
    assert completed["channel_id"] == "DULEAD"
    assert completed["initial_comment"] == "📊 Your weekly report"
    async with stack.harness.store.transaction() as session:
        row = (await session.exec(select(OutboxRow))).one()
    assert (row.status, row.platform_message_id) == ("sent", "F1")


async def test_a_file_and_its_picture_go_up_in_one_upload(stack: SlackStack) -> None:
    report = Outgoing(
        Recipient("slack", TEAM, user="ULEAD"),
        Message(
            "📊 Your weekly report",
            attachment=Attachment("cop-demo-2026-W49.xlsx", b"PK\x03\x04data"),
            image=Attachment("cop-demo-2026-W49.png", b"\x89PNG-chart", "image/png"),
        ),
        "report:demo:2026-W49:ULEAD",
    )
    async with stack.harness.store.transaction() as session:
        await outbox.enqueue(session=session, rows=[outbox_row(report, stack.harness.clock.now())])
    await stack.harness.delivery.deliver_due()
    fake = stack.fake
    assert {u["filename"]: u["content"] for u in fake.uploads.values()} == {
        "cop-demo-2026-W49.xlsx": b"PK\x03\x04data",
        "cop-demo-2026-W49.png": b"\x89PNG-chart",
    }
    [completed] = fake.calls_to("files.completeUploadExternal")
    assert completed["initial_comment"] == "📊 Your weekly report"
    assert len(json.loads(completed["files"])) == 2


async def test_a_form_for_a_deleted_checkin_says_so(stack: SlackStack) -> None:
    await stack.slack.event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "1.1"}, "E1")
    await reply_text(
        stack, await stack.slack.command('checkin add name:s schedule:"daily 09:00" questions:Q')
    )
    await reply_text(stack, await stack.slack.command("checkin run 1"))
    await reply_text(stack, await stack.slack.command("checkin delete 1 confirm:yes"))
    status, body = await stack.slack.interaction(
        submission_payload("answer:occurrence:1", {"q1": "x"}, title="s")
    )
    assert status == 200
    assert "This check-in no longer exists" in json.dumps(json.loads(body)["view"])
    async with stack.harness.store.transaction() as session:
        assert (await session.exec(select(Answer))).all() == []


async def test_a_thread_reply_sent_just_before_a_crash_is_found_not_resent(
    stack: SlackStack,
) -> None:
    parent = Outgoing(Recipient("slack", TEAM, channel="CWINS"), Message("header"), "p")
    child = Outgoing(
        Recipient("slack", TEAM, channel="CWINS", thread_key="p"), Message("summary"), "c"
    )
    async with stack.harness.store.transaction() as session:
        now = stack.harness.clock.now()
        await outbox.enqueue(
            session=session, rows=[outbox_row(parent, now), outbox_row(child, now)]
        )
    await stack.harness.delivery.deliver_due()
    await stack.harness.delivery.deliver_due()
    posts = len(stack.fake.calls_to("chat.postMessage"))
    # The crash: Slack has the reply, the store still says "sending".
    async with stack.harness.store.transaction() as session:
        row = (await session.exec(select(OutboxRow).where(OutboxRow.key == "c"))).one()
        sent_ts, row.status, row.platform_message_id = row.platform_message_id, "sending", None
        row.claimed_at = now - timedelta(minutes=5)
        session.add(row)
    assert await stack.harness.delivery.reconcile() == 0
    await stack.harness.delivery.deliver_due()
    assert len(stack.fake.calls_to("chat.postMessage")) == posts
    assert stack.fake.calls_to("conversations.replies")
    async with stack.harness.store.transaction() as session:
        row = (await session.exec(select(OutboxRow).where(OutboxRow.key == "c"))).one()
    assert (row.status, row.platform_message_id) == ("sent", sent_ts)


async def test_nudge_send_dms_a_quiet_member_once(stack: SlackStack) -> None:
    slack, fake = stack.slack, stack.fake
    await slack.event({"type": "message", "user": "UBOB", "channel": "C1", "ts": "1.1"}, "EvQ1")
    await slack.event({"type": "message", "user": "UFAC", "channel": "C1", "ts": "1.2"}, "EvQ2")
    stack.harness.later(weeks=4)
    # The facilitator keeps talking (its ts is now); Bob stays quiet.
    now = f"{stack.harness.clock.now().timestamp():.6f}"
    await slack.event({"type": "message", "user": "UFAC", "channel": "C1", "ts": now}, "EvQ3")

    async def said() -> int:
        async with stack.harness.store.transaction() as session:
            return len((await session.exec(select(LedgerEntry).where(ACTS))).all())

    await eventually_async(said, 3)
    sent = await reply_text(stack, await slack.command("nudge send"))
    assert sent.startswith("✅ Nudged 1 member by DM: Bob.")
    again = await reply_text(stack, await slack.command("nudge send"))
    assert again.startswith("Nobody to nudge")
    await stack.harness.delivery.deliver_due()
    await stack.harness.delivery.deliver_due()
    dms = [c for c in fake.calls_to("chat.postMessage") if c["channel"] == "DUBOB"]
    nudges = [c for c in dms if "Welcome" not in c["text"]]  # his welcome, weeks ago, apart
    assert len(nudges) == 1 and "Hi Bob, it has been a while" in nudges[0]["text"]


async def test_slack_member_joined_channel_gives_one_welcome_dm(stack: SlackStack) -> None:
    fake: FakeSlack = stack.fake
    join = {"type": "member_joined_channel", "user": "UNEW", "channel": "C1"}
    assert await stack.slack.event(join, "EvJ1") == 200
    await eventually_async(lambda: welcomed_users(stack.harness), ["UNEW"])
    await stack.harness.delivery.deliver_due()
    (dm,) = [p for p in fake.calls_to("chat.postMessage") if "Welcome to demo" in p["text"]]
    shown = json.dumps(dm["blocks"], ensure_ascii=False)
    assert "🕘 Set my timezone" in shown and "🤝 Join pairing" in shown
    assert "tz:member:" in shown and "pair:community:1" in shown
    # Joined again (another channel, another day): no second welcome.
    assert await stack.slack.event({**join, "channel": "C2"}, "EvJ2") == 200
    await stack.slack.event({"type": "message", "user": "UNEW", "channel": "C1", "ts": "1.1"}, "M1")
    await stack.harness.core.welcomer.settle()
    await stack.harness.delivery.deliver_due()
    assert await welcomed_users(stack.harness) == ["UNEW"]
    assert len([p for p in fake.calls_to("chat.postMessage") if "Welcome" in p["text"]]) == 1
